/** The last good generation of an SQLite state file (`<file>.bak`), put on start in place of a file SQLite cannot read. */
import { accessSync, constants, copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Logger } from '../log.js';
import { errorCode } from './connect.js';

/** Before the SQLite file is opened: a damaged one is moved aside (with its -wal and -shm) and the last good generation restored. */
export function recoverSqliteFile(file: string, log: Logger): 'ok' | 'absent' | 'restored' | 'set-aside' {
  if (file === ':memory:' || !existsSync(file)) return 'absent';
  // A directory (or anything but a file) is no damage to repair: opening it reports it, with what to do.
  if (!statSync(file).isFile()) return 'ok';
  try {
    // A file we may not read or write is the admin's to fix, never "damage" to set aside.
    accessSync(file, constants.R_OK | constants.W_OK);
    accessSync(path.dirname(path.resolve(file)), constants.W_OK);
  } catch (error) {
    throw new Error(stateProblem(error, file), { cause: error });
  }
  const problem = damage(file);
  if (problem === null) return 'ok';
  const movedTo = `${file}.corrupt-${Date.now()}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${movedTo}${suffix}`);
  }
  const backup = `${file}.bak`;
  const restored = existsSync(backup) && damage(backup) === null;
  if (restored) copyFileSync(backup, file);
  const fields = { file, reason: problem, movedTo, ...(restored ? { restoredFrom: backup } : {}) };
  if (restored) log.error('database: the state file is unreadable; it was set aside and the last good generation restored. Papers added since that generation are announced as new', fields);
  else log.error('database: the state file is unreadable and there is no good generation to restore; it was set aside and a new database started (the present corpus becomes the baseline)', fields);
  return restored ? 'restored' : 'set-aside';
}

/** Why a state path cannot be used (a file-system or SQLite error), in words an admin can act on. */
export function stateProblem(error: unknown, file: string): string {
  const where = path.resolve(file);
  switch ((error as { code?: unknown } | null)?.code) {
    case 'EACCES':
    case 'EPERM':
      return `state: ${where} cannot be read or written (permission denied): give the bot's user read and write access to it and its folder, or set STATE_DIR (or DATABASE_URL) to a folder it owns`;
    case 'EROFS':
    case 'SQLITE_READONLY':
      return `state: ${where} is on a read-only file system: mount it writable, or set STATE_DIR (or DATABASE_URL) to a writable folder`;
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return `state: the disk holding ${where} is full: free some space there, or set STATE_DIR (or DATABASE_URL) to another disk`;
    case 'EISDIR':
      return `state: ${where} is a directory where a file should be: remove or rename it, or set STATE_DIR (or DATABASE_URL) elsewhere`;
    case 'ENOTDIR':
      return `state: a part of ${where} is a file where a directory should be: fix the path, or set STATE_DIR (or DATABASE_URL) elsewhere`;
    default:
      return `state: ${where} cannot be used (${errorCode(error)}): check the path, its permissions and free space`;
  }
}

/** Copies the database at `file` to its generation file, atomically (a copy beside it, then a rename). */
export async function backupSqliteFile(file: string): Promise<void> {
  const backup = `${file}.bak`;
  const temp = `${backup}.tmp-${process.pid}`;
  const source = new SQLite(file, { fileMustExist: true });
  try {
    await source.backup(temp);
  } finally {
    source.close();
  }
  try {
    renameSync(temp, backup);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Backs up after changes, one at a time and at most once per BACKUP_INTERVAL_MS, logging failures; `stop` takes the one due. */
export function backupScheduler(file: string, log: Logger): { changed(): void; flush(): Promise<void>; stop(): Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let failing = false;
  const run = (): Promise<void> => {
    running = running.then(async () => {
      try {
        await backupSqliteFile(file);
        if (failing) log.info('database: backups work again', { file: `${file}.bak` });
        failing = false;
      } catch (error) {
        if (!failing) log.warn('database: could not write the last good generation; check free space and permissions of the state folder', { file: `${file}.bak`, error });
        failing = true;
      }
    });
    return running;
  };
  return {
    changed() {
      if (stopped || timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, BACKUP_INTERVAL_MS);
      timer.unref();
    },
    flush: run,
    async stop() {
      stopped = true;
      if (timer === null) return running;
      clearTimeout(timer);
      timer = null;
      return run();
    },
  };
}

// Why SQLite cannot use the file, or null when it can: it opens, its header is a database, and its quick check passes.
function damage(file: string): string | null {
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
    const verdict = rows.map((row) => row.quick_check).join('; ');
    return verdict === 'ok' ? null : `quick_check: ${verdict.slice(0, 200)}`;
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    return `${typeof code === 'string' ? code : 'error'}: ${typeof message === 'string' ? message : String(error)}`;
  } finally {
    db?.close();
  }
}

const BACKUP_INTERVAL_MS = 2_000;
