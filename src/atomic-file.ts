/**
 * Replacing a file so that a crash leaves the old content or the new, never half of either: a temp file beside
 * it, fsync, rename over, fsync of the directory.
 */
import { constants } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Replaces `file` with `data` atomically and durably. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  // pid and thread: two threads of one process may write beside each other.
  const temp = `${file}.tmp-${process.pid}-${threadId}`;
  try {
    // flush: the data is fsynced before the file is closed.
    await writeFile(temp, data, { mode: 0o644, flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file));
}

// The rename is durable only once the directory entry is; some platforms cannot open a directory for fsync.
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
