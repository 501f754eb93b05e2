/**
 * One announcer per STATE_DIR. Two bot processes sharing a state directory are how
 * duplicate announcements usually happen, so the second one is refused with a clear message.
 * The lock is a file created with O_EXCL holding the owner's pid; a lock whose pid is dead is stale and taken over.
 */
import { constants } from 'node:fs';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isCode } from './state.js';

/** The lock file's name in STATE_DIR. */
export const LOCK_FILE = 'announce.lock';

/** A held lock; `release` removes the file if it is still ours. */
export interface StateLock {
  readonly file: string;
  release(): Promise<void>;
}

/** Refusal to start because another live process holds the lock. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

// Locks held by this process. A lock file with our own pid that is not in here was left by an
// earlier life of a process that happened to get the same pid (common in containers) and is stale.
const heldHere = new Set<string>();

/** Takes the lock on `stateDir`, creating the directory; throws LockHeldError when a live process holds it. */
export async function acquireStateLock(stateDir: string): Promise<StateLock> {
  await mkdir(stateDir, { recursive: true });
  const file = resolve(join(stateDir, LOCK_FILE));
  if (heldHere.has(file)) throw heldError(file, process.pid);
  // Two attempts: the second follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      try {
        await handle.writeFile(`${process.pid}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      heldHere.add(file);
      return { file, release: () => releaseLock(file) };
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const owner = await readOwner(file);
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw heldError(file, owner);
    // Stale (dead pid, our own pid from an earlier life, or unreadable): remove it and try once more.
    // Two processes taking over the same stale lock at the same instant can race here; that needs
    // both to start within microseconds of each other after a crash, and is accepted.
    await unlink(file).catch((error: unknown) => {
      if (!isCode(error, 'ENOENT')) throw error;
    });
  }
  const owner = await readOwner(file);
  throw heldError(file, owner ?? 0);
}

async function releaseLock(file: string): Promise<void> {
  if (!heldHere.delete(file)) return;
  if ((await readOwner(file)) !== process.pid) return;
  await unlink(file).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) throw error;
  });
}

async function readOwner(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

// Signal 0 checks existence without sending anything; EPERM means it exists but is not ours.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function heldError(file: string, pid: number): LockHeldError {
  return new LockHeldError(
    `announce: STATE_DIR is in use by another paperbot process (pid ${pid}, lock ${file}). ` +
      'Two bots on one STATE_DIR would announce papers twice: stop the other process, or give this one its own STATE_DIR.',
  );
}
