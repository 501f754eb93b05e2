/** Shared by the command-line front ends. */

/**
 * Ends the process quietly when whoever reads stdout goes away (`npm run corpus -- --json | head`):
 * a closed pipe is the reader's choice, not an error worth a stack trace.
 */
export function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
