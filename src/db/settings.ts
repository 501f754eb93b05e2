/** Per-server settings: the announcement channel and the digest schedule. */
import type { Kysely } from 'kysely';
import type { Database, GuildSettingsTable } from './schema.js';

/** How often a server's digest is posted. */
export const DIGEST_SCHEDULES = ['off', 'daily', 'weekly'] as const;
/** One schedule. */
export type DigestSchedule = (typeof DIGEST_SCHEDULES)[number];

/** A server's settings as the bot reads them. */
export type GuildSettings = ReturnType<typeof toSettings>;

/** Creates the server's row with these starting settings, unless it exists. */
export async function ensureGuild(db: Kysely<Database>, guildId: string, start: { announceChannelId: string | null }, now: number): Promise<void> {
  await db
    .insertInto('guild_settings')
    .values({ guild_id: guildId, announce_channel_id: start.announceChannelId, digest_schedule: 'off', digest_weekday: null, digest_hour: null, digest_since: null, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('guild_id').doNothing())
    .execute();
}

/** The server's settings; null when the bot has not met it. */
export async function guildSettings(db: Kysely<Database>, guildId: string): Promise<GuildSettings | null> {
  const row = await db.selectFrom('guild_settings').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
  return row ? toSettings(row) : null;
}

/** Every server's settings, by id. */
export async function allGuildSettings(db: Kysely<Database>): Promise<GuildSettings[]> {
  const rows = await db.selectFrom('guild_settings').selectAll().orderBy('guild_id').execute();
  return rows.map(toSettings);
}

/** Sets (or with null clears) the server's announcement channel. */
export async function setAnnounceChannel(db: Kysely<Database>, guildId: string, channelId: string | null, now: number): Promise<void> {
  await db.updateTable('guild_settings').set({ announce_channel_id: channelId, updated_at: now }).where('guild_id', '=', guildId).execute();
}

/** Sets the server's digest schedule; switching it on (or changing it) starts its next period from `now`. */
export async function setDigest(db: Kysely<Database>, guildId: string, digest: { schedule: DigestSchedule; weekday: number; hour: number }, now: number): Promise<void> {
  const on = digest.schedule !== 'off';
  await db
    .updateTable('guild_settings')
    .set({ digest_schedule: digest.schedule, digest_weekday: on ? digest.weekday : null, digest_hour: on ? digest.hour : null, digest_since: on ? now : null, updated_at: now })
    .where('guild_id', '=', guildId)
    .execute();
}

function toSettings(row: GuildSettingsTable) {
  const schedule = (DIGEST_SCHEDULES as readonly string[]).includes(row.digest_schedule) ? (row.digest_schedule as DigestSchedule) : 'off';
  return {
    guildId: row.guild_id,
    announceChannelId: row.announce_channel_id,
    digest: { schedule, weekday: Number(row.digest_weekday ?? 1), hour: Number(row.digest_hour ?? 9), since: row.digest_since === null ? null : Number(row.digest_since) },
  };
}
