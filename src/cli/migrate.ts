/** `npm run migrate`: brings DATABASE_URL's database to the newest schema (as the bot does on start) and says what it did. */
import { readConfigOrExit } from '../config.js';
import { openMigratedDatabase } from '../db/migrate.js';

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
