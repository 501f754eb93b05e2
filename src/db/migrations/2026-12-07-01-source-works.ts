/**
 * The sources' cache: each member's works as last read (`source_works`, the paper as JSON), and when each source
 * was last read for each member, with the OpenAlex author chosen and its figures (`source_reads`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('source_works')
    .addColumn('member', 'text', (column) => column.notNull())
    .addColumn('work_id', 'text', (column) => column.notNull())
    .addColumn('paper', 'text', (column) => column.notNull())
    .addColumn('fetched_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('source_works_pkey', ['member', 'work_id'])
    .execute();
  await db.schema
    .createTable('source_reads')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('member', 'text', (column) => column.notNull())
    .addColumn('last_ok_at', 'bigint')
    .addColumn('last_attempt_at', 'bigint', (column) => column.notNull())
    .addColumn('last_error', 'text')
    .addColumn('author_id', 'text')
    .addColumn('author', 'text')
    .addPrimaryKeyConstraint('source_reads_pkey', ['source', 'member'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('source_reads').execute();
  await db.schema.dropTable('source_works').execute();
}
