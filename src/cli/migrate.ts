/** `npm run migrate`: brings DATABASE_URL's database to the newest schema (as the bot does on start) and says what it did. */
import { readConfigOrExit } from '../config.js';
import { openMigratedDatabase } from '../db/migrate.js';

const config = readConfigOrExit({ requireToken: false });
try {
  const { label, migrated: { applied, current }, close } = await openMigratedDatabase(config.databaseUrl);
  await close();
  const now = `now at ${current ?? 'no migration'}`;
  if (applied.length === 0) process.stdout.write(`${label}: up to date (${now})\n`);
  else process.stdout.write(`${label}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'} (${now}):\n`);
  for (const name of applied) process.stdout.write(`  ${name}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
