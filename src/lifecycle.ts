/**
 * The life of an entry point's process (`npm start`, `npm run serve`): start, exit 1 with the reason when starting
 * fails, and on SIGINT or SIGTERM stop cleanly (exit 0) or say why not (exit 1).
 */
import type { Logger } from './log.js';

/** What an entry point runs (a `Bot`, a `Server`): it stops, and its router counts the replies in flight. */
export interface Running {
  stop(): Promise<void>;
  readonly router: { readonly inFlight: number };
}

/** Starts `start()` and stops it on the first SIGINT or SIGTERM; the process exits as said above. */
export async function runUntilSignalled<T extends Running>(start: () => Promise<T>, log: Logger): Promise<T> {
  let running: T;
  try {
    running = await start();
  } catch (error) {
    log.error('start failed', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  const shutdown = (signal: NodeJS.Signals): void => {
    log.info('shutting down', { signal, inFlight: running.router.inFlight });
    void running.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return running;
}
