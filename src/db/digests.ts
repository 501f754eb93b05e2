/** Digests sent: one row per server and period (primary key), claimed before the message is posted. */
import type { Kysely } from 'kysely';
import type { Database, DigestsTable } from './schema.js';

/** What to do about a server's period: post it (claimed now, or claimed and never confirmed), or nothing. */
export type DigestDecision = { post: true; since: number; until: number; nonce: string } | { post: false; status: string };

/** Claims the server's digest for `period`: an `empty` one posts nothing; a second claim posts only if the first was never confirmed. */
export async function claimDigest(db: Kysely<Database>, claim: Omit<DigestsTable, 'status' | 'posted_at'>): Promise<DigestDecision> {
  return db.transaction().execute(async (trx) => {
    const row =
      (await trx
        .insertInto('digests')
        .values({ ...claim, status: claim.papers === 0 ? 'empty' : 'claimed', posted_at: null })
        .onConflict((conflict) => conflict.columns(['guild_id', 'period']).doNothing())
        .returning(['status', 'since', 'until', 'nonce'])
        .executeTakeFirst()) ??
      (await trx.selectFrom('digests').select(['status', 'since', 'until', 'nonce']).where('guild_id', '=', claim.guild_id).where('period', '=', claim.period).executeTakeFirstOrThrow());
    return row.status === 'claimed' ? { post: true, since: Number(row.since), until: Number(row.until), nonce: row.nonce } : { post: false, status: row.status };
  });
}

/** Marks the period's digest posted. */
export async function markDigestPosted(db: Kysely<Database>, guildId: string, period: string, now: number): Promise<void> {
  await db.updateTable('digests').set({ status: 'posted', posted_at: now }).where('guild_id', '=', guildId).where('period', '=', period).execute();
}

/** Where the server's next digest starts: the end of its last claimed period; null when it has none. */
export async function lastDigestUntil(db: Kysely<Database>, guildId: string): Promise<number | null> {
  const row = await db.selectFrom('digests').select((eb) => eb.fn.max('until').as('until')).where('guild_id', '=', guildId).executeTakeFirst();
  return row?.until === null || row?.until === undefined ? null : Number(row.until);
}
