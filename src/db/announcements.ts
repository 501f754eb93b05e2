/** Announcement claims: made per server before the post, marked posted once Discord took it; an unposted claim is posted again. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { inChunks } from './chunks.js';
import { rememberKeys, type SeenKey } from './seen.js';

/** Claims `paperIds` for the server; the ids to post now: those claimed now or before but never confirmed posted. */
export async function claimAnnouncements(db: Kysely<Database>, claim: { guildId: string; channelId: string; paperIds: readonly string[]; nonce: string; now: number }): Promise<string[]> {
  if (claim.paperIds.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const wanted = new Set<string>();
    // In chunks: a big drop's summary claims thousands of papers, and SQLite and Postgres cap a statement's parameters.
    for await (const paperIds of inChunks(claim.paperIds)) {
      await trx
        .insertInto('announcements')
        .values(paperIds.map((paperId) => ({ guild_id: claim.guildId, paper_id: paperId, channel_id: claim.channelId, nonce: claim.nonce, claimed_at: claim.now, posted_at: null })))
        .onConflict((conflict) => conflict.columns(['guild_id', 'paper_id']).doNothing())
        .execute();
      const open = await trx
        .selectFrom('announcements')
        .select('paper_id')
        .where('guild_id', '=', claim.guildId)
        .where('paper_id', 'in', paperIds)
        .where('posted_at', 'is', null)
        .execute();
      for (const row of open) wanted.add(row.paper_id);
    }
    return claim.paperIds.filter((id) => wanted.has(id));
  });
}

/** The papers claimed for the channel of the server but never confirmed posted, each with its message's nonce. */
export async function unconfirmedClaims(db: Kysely<Database>, guildId: string, channelId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('announcements')
    .select(['paper_id', 'nonce'])
    .where('guild_id', '=', guildId)
    .where('channel_id', '=', channelId)
    .where('posted_at', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.paper_id, row.nonce]));
}

/** Marks the papers posted in the server and remembers their keys there, in one transaction. */
export async function markAnnounced(db: Kysely<Database>, guildId: string, paperIds: readonly string[], keys: readonly SeenKey[], now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for await (const chunk of inChunks(paperIds)) {
      await trx.updateTable('announcements').set({ posted_at: now }).where('guild_id', '=', guildId).where('paper_id', 'in', chunk).execute();
    }
    await rememberKeys(trx, guildId, keys, now);
  });
}

/** Papers found new since the first baseline, with when: what follows and digests are about. */
export async function recordNewPapers(db: Kysely<Database>, papers: ReadonlyArray<{ id: string; title: string }>, now: number): Promise<void> {
  for await (const chunk of inChunks(papers)) {
    const rows = chunk.map((paper) => ({ paper_id: paper.id, title: paper.title, found_at: now }));
    await db
      .insertInto('new_papers')
      .values(rows)
      .onConflict((conflict) => conflict.column('paper_id').doNothing())
      .execute();
  }
}

/** Ids of the papers found new in [since, until), oldest find first. */
export async function newPapersBetween(db: Kysely<Database>, since: number, until: number): Promise<string[]> {
  const rows = await db
    .selectFrom('new_papers')
    .select('paper_id')
    .where('found_at', '>=', since)
    .where('found_at', '<', until)
    .orderBy('found_at')
    .orderBy('paper_id')
    .execute();
  return rows.map((row) => row.paper_id);
}
