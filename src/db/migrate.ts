/** The schema's versions: Kysely's Migrator over src/db/migrations/, applied on start and by `npm run migrate`. */
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration } from 'kysely';
import * as leases from './migrations/2026-12-04-01-leases.js';
import * as serversFollows from './migrations/2026-12-04-02-servers-follows.js';
import * as pagingState from './migrations/2026-12-04-12-paging-state.js';
import * as sourceWorks from './migrations/2026-12-07-01-source-works.js';
import { DatabaseError, openDatabase, type DatabaseHandle } from './connect.js';

/** Every migration, by name; names sort in the order they apply (date, then a sequence number). */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-12-04-01-leases': leases,
  '2026-12-04-02-servers-follows': serversFollows,
  '2026-12-04-12-paging-state': pagingState,
  '2026-12-07-01-source-works': sourceWorks,
};

/** Brings the database to the newest schema, naming the migrations applied now; a `DatabaseError` when it is newer than the code or one fails. */
// Migrations see the database untyped (its tables change under them), as Kysely's own migrations do.
export async function migrateToLatest(db: Kysely<any>, label = 'the database'): Promise<{ applied: string[]; current: string | null }> {
  const known = Object.keys(MIGRATIONS);
  const unknown = (await executedMigrations(db)).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DatabaseError(
      `database: ${label} has migrations this paperbot does not know (${unknown.join(', ')}): it was written by a newer version. Upgrade paperbot, or point DATABASE_URL at another database.`,
    );
  }
  const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } }).migrateToLatest();
  const applied = (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'a migration';
    throw new DatabaseError(`database: ${label}: ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // Every known migration has run, and no other (refused above).
  return { applied, current: known.at(-1) ?? null };
}

/** Opens the database at `url` and brings it to the newest schema; closed again when that fails. */
export async function openMigratedDatabase(url: string): Promise<DatabaseHandle & { migrated: Awaited<ReturnType<typeof migrateToLatest>> }> {
  const handle = await openDatabase(url);
  try {
    return { ...handle, migrated: await migrateToLatest(handle.db, handle.label) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function executedMigrations(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === DEFAULT_MIGRATION_TABLE)) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)} order by name`.execute(db);
  return rows.map((row) => row.name);
}
