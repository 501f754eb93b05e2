/**
 * `npm run migrate`: brings the database named by DATABASE_URL (default: the SQLite file in STATE_DIR) to the
 * newest schema and says what it did. The bot also does this on start; this is for an admin who wants it first.
 */
import { readConfigOrExit } from '../config.js';
import { openMigratedDatabase } from '../db/migrate.js';

/** Migrates the database at `url`; returns the lines to print. */
async function migrate(url: string): Promise<string[]> {
  const { label, migrated, close } = await openMigratedDatabase(url);
  await close();
  const { applied, current } = migrated;
  const now = `now at ${current ?? 'no migration'}`;
  if (applied.length === 0) return [`${label}: up to date (${now})`];
  return [`${label}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${now}):`, ...applied.map((name) => `  ${name}`)];
}

const config = readConfigOrExit({ requireToken: false });
try {
  for (const line of await migrate(config.databaseUrl)) process.stdout.write(`${line}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
