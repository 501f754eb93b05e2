/**
 * `npm run migrate`: brings the database named by DATABASE_URL (default: the SQLite file in STATE_DIR) to the
 * newest schema and says what it did. The bot also does this on start; this is for an admin who wants it first.
 */
import { readConfigOrExit } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';

/** Migrates the database at `url`; returns the lines to print. */
async function migrate(url: string): Promise<string[]> {
  const handle = await openDatabase(url);
  try {
    const { applied, current } = await migrateToLatest(handle.db, handle.label);
    const now = `now at ${current ?? 'no migration'}`;
    if (applied.length === 0) return [`${handle.label}: up to date (${now})`];
    return [`${handle.label}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${now}):`, ...applied.map((name) => `  ${name}`)];
  } finally {
    await handle.close();
  }
}

const config = readConfigOrExit({ requireToken: false });
try {
  for (const line of await migrate(config.databaseUrl)) process.stdout.write(`${line}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
