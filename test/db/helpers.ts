/** A real SQLite database file in a temp directory, migrated to the newest schema; reopen it to test a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A temp directory with a database file in it. */
export interface TempDatabase {
  dir: string;
  file: string;
  /** The open handle (reopened by `reopen`). */
  handle: DatabaseHandle;
  /** Closes the handle and opens the same file again, as a restart does. */
  reopen(): Promise<DatabaseHandle>;
  /** Closes the handle and removes the directory. */
  remove(): Promise<void>;
}

/** Opens (and migrates) a fresh SQLite file in a new temp directory. */
export async function tempDatabase(prefix = 'db'): Promise<TempDatabase> {
  const dir = await mkdtemp(join(tmpdir(), `paperbot-${prefix}-`));
  const file = join(dir, 'paperbot.db');
  const open = async (): Promise<DatabaseHandle> => {
    const handle = await openDatabase(`sqlite:${file}`);
    await migrateToLatest(handle.db);
    return handle;
  };
  const temp: TempDatabase = {
    dir,
    file,
    handle: await open(),
    async reopen() {
      await temp.handle.close();
      temp.handle = await open();
      return temp.handle;
    },
    async remove() {
      await temp.handle.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return temp;
}
