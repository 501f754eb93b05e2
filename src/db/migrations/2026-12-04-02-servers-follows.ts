/**
 * What the bot remembers besides leases: per-server settings and baselines, the keys of the papers seen (announced
 * or in a baseline) per scope, announcement claims, the papers found new, follows, deliveries and digests.
 * Every "exactly once" is a primary key here; the code inserts with `on conflict do nothing`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('guild_settings')
    .addColumn('guild_id', 'text', (column) => column.primaryKey())
    .addColumn('announce_channel_id', 'text')
    .addColumn('digest_schedule', 'text', (column) => column.notNull().defaultTo('off'))
    .addColumn('digest_weekday', 'integer')
    .addColumn('digest_hour', 'integer')
    .addColumn('digest_since', 'bigint')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('baselines')
    .addColumn('scope', 'text', (column) => column.primaryKey())
    .addColumn('papers', 'integer', (column) => column.notNull())
    .addColumn('taken_at', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('seen_keys')
    .addColumn('scope', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('seen_keys_pk', ['scope', 'kind', 'value'])
    .execute();

  await db.schema
    .createTable('announcements')
    .addColumn('guild_id', 'text', (column) => column.notNull())
    .addColumn('paper_id', 'text', (column) => column.notNull())
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('nonce', 'text', (column) => column.notNull())
    .addColumn('claimed_at', 'bigint', (column) => column.notNull())
    .addColumn('posted_at', 'bigint')
    .addPrimaryKeyConstraint('announcements_pk', ['guild_id', 'paper_id'])
    .execute();

  await db.schema
    .createTable('new_papers')
    .addColumn('paper_id', 'text', (column) => column.primaryKey())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('found_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('new_papers_found_at').on('new_papers').column('found_at').execute();

  await db.schema
    .createTable('follows')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('guild_id', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('category', 'text')
    .addColumn('has_code', 'integer')
    .addColumn('label', 'text', (column) => column.notNull())
    .addColumn('rule_key', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('last_paper_id', 'text')
    .addColumn('last_delivered_at', 'bigint')
    .addUniqueConstraint('follows_user_rule', ['user_id', 'rule_key'])
    .execute();
  await db.schema.createIndex('follows_user').on('follows').column('user_id').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('paper_id', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('follow_ids', 'text', (column) => column.notNull())
    .addColumn('nonce', 'text', (column) => column.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('deliveries_pk', ['user_id', 'paper_id'])
    .execute();

  await db.schema
    .createTable('digests')
    .addColumn('guild_id', 'text', (column) => column.notNull())
    .addColumn('period', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('channel_id', 'text', (column) => column.notNull())
    .addColumn('since', 'bigint', (column) => column.notNull())
    .addColumn('until', 'bigint', (column) => column.notNull())
    .addColumn('papers', 'integer', (column) => column.notNull())
    .addColumn('nonce', 'text', (column) => column.notNull())
    .addColumn('claimed_at', 'bigint', (column) => column.notNull())
    .addColumn('posted_at', 'bigint')
    .addPrimaryKeyConstraint('digests_pk', ['guild_id', 'period'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['digests', 'deliveries', 'follows', 'new_papers', 'announcements', 'seen_keys', 'baselines', 'guild_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
