/** Members' follows and their deliveries. A delivery is claimed (primary key member + paper) before it is sent. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, FollowsTable } from './schema.js';

/** What a follow is about. */
export type FollowKind = 'author' | 'topic' | 'category';

/** A follow as stored. */
export type Follow = ReturnType<typeof toFollow>;

/** A new follow. */
export type NewFollow = Pick<Follow, 'userId' | 'guildId' | 'kind' | 'value' | 'category' | 'hasCode' | 'label'>;

/** Most follows one member may have. */
export const MAX_FOLLOWS = 25;

/** What `addFollow` did. */
export type AddFollowResult = { added: Follow } | { duplicate: Follow } | { full: number };

/** Adds a follow, unless the member follows the same already or has `MAX_FOLLOWS`. */
export async function addFollow(db: Kysely<Database>, follow: NewFollow, now: number): Promise<AddFollowResult> {
  const ruleKey = ruleKeyOf(follow);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('follows').selectAll().where('user_id', '=', follow.userId).execute();
    const same = existing.find((row) => row.rule_key === ruleKey);
    if (same) return { duplicate: toFollow(same) };
    if (existing.length >= MAX_FOLLOWS) return { full: existing.length };
    const row: FollowsTable = {
      id: randomBytes(5).toString('hex'),
      user_id: follow.userId,
      guild_id: follow.guildId,
      kind: follow.kind,
      value: follow.value,
      category: follow.category,
      has_code: follow.hasCode === null ? null : follow.hasCode ? 1 : 0,
      label: follow.label,
      rule_key: ruleKey,
      created_at: now,
      last_paper_id: null,
      last_delivered_at: null,
    };
    // The unique (member, rule) constraint settles two adds racing past the check above: one row, not two.
    const inserted = await trx
      .insertInto('follows')
      .values(row)
      .onConflict((conflict) => conflict.columns(['user_id', 'rule_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted ? { added: toFollow(row) } : { duplicate: toFollow(row) };
  });
}

/** A member's follows, oldest first. */
export async function followsOf(db: Kysely<Database>, userId: string): Promise<Follow[]> {
  const rows = await db.selectFrom('follows').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toFollow);
}

/** Every follow of every member. */
export async function allFollows(db: Kysely<Database>): Promise<Follow[]> {
  const rows = await db.selectFrom('follows').selectAll().orderBy('user_id').orderBy('created_at').execute();
  return rows.map(toFollow);
}

/** Removes one of the member's follows; the removed follow, or null when the member has none with that id. */
export async function removeFollow(db: Kysely<Database>, userId: string, followId: string): Promise<Follow | null> {
  const row = await db.deleteFrom('follows').where('user_id', '=', userId).where('id', '=', followId).returningAll().executeTakeFirst();
  return row ? toFollow(row) : null;
}

/** Deletes every follow and delivery of the member; how many follows went. */
export async function clearFollows(db: Kysely<Database>, userId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('follows').where('user_id', '=', userId).executeTakeFirst();
    await trx.deleteFrom('deliveries').where('user_id', '=', userId).execute();
    return Number(removed.numDeletedRows);
  });
}

/** What to do about one member and paper: send it (new claim, or a claim never confirmed), or nothing (done before). */
export type DeliveryClaim = { send: true; nonce: string } | { send: false; status: string };

/** Claims the delivery of `paperId` to the member; a second claim of the same pair sends nothing unless the first was never confirmed. */
export async function claimDelivery(db: Kysely<Database>, delivery: { userId: string; paperId: string; followIds: readonly string[]; nonce: string; now: number }): Promise<DeliveryClaim> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('deliveries')
      .values({ user_id: delivery.userId, paper_id: delivery.paperId, status: 'pending', follow_ids: delivery.followIds.join(','), nonce: delivery.nonce, error: null, created_at: delivery.now, updated_at: delivery.now })
      .onConflict((conflict) => conflict.columns(['user_id', 'paper_id']).doNothing())
      .returning('nonce')
      .executeTakeFirst();
    if (inserted) return { send: true, nonce: inserted.nonce };
    const row = await trx.selectFrom('deliveries').select(['status', 'nonce']).where('user_id', '=', delivery.userId).where('paper_id', '=', delivery.paperId).executeTakeFirstOrThrow();
    return row.status === 'pending' ? { send: true, nonce: row.nonce } : { send: false, status: row.status };
  });
}

/** Records how a claimed delivery ended; a sent one also becomes its follows' last delivery. */
export async function finishDelivery(db: Kysely<Database>, result: { userId: string; paperId: string; followIds: readonly string[]; status: 'sent' | 'failed' | 'skipped'; error: string | null; now: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('deliveries')
      .set({ status: result.status, error: result.error, updated_at: result.now })
      .where('user_id', '=', result.userId)
      .where('paper_id', '=', result.paperId)
      .execute();
    if (result.status === 'sent' && result.followIds.length > 0) {
      await trx
        .updateTable('follows')
        .set({ last_paper_id: result.paperId, last_delivered_at: result.now })
        .where('user_id', '=', result.userId)
        .where('id', 'in', [...result.followIds])
        .execute();
    }
  });
}

/** The member's most recent delivery that was tried (sent or failed); null when none. */
export async function lastDelivery(db: Kysely<Database>, userId: string): Promise<{ paperId: string; status: string; error: string | null; at: number } | null> {
  const row = await db
    .selectFrom('deliveries')
    .select(['paper_id', 'status', 'error', 'updated_at'])
    .where('user_id', '=', userId)
    .where('status', 'in', ['sent', 'failed'])
    .orderBy('updated_at', 'desc')
    .orderBy('paper_id')
    .executeTakeFirst();
  return row ? { paperId: row.paper_id, status: row.status, error: row.error, at: Number(row.updated_at) } : null;
}

/** kind, value and filters as one string: the same follow twice has the same key. */
function ruleKeyOf(follow: Pick<Follow, 'kind' | 'value' | 'category' | 'hasCode'>): string {
  const value = follow.kind === 'topic' ? follow.value.trim().replace(/\s+/g, ' ').toLowerCase() : follow.value;
  return [follow.kind, value, follow.category ?? '', follow.hasCode === null ? '' : String(follow.hasCode)].join('\u0001');
}

function toFollow(row: FollowsTable) {
  return {
    id: row.id,
    userId: row.user_id,
    guildId: row.guild_id,
    kind: row.kind as FollowKind,
    value: row.value,
    category: row.category,
    hasCode: row.has_code === null ? null : Number(row.has_code) === 1,
    label: row.label,
    createdAt: Number(row.created_at),
    lastPaperId: row.last_paper_id,
    lastDeliveredAt: row.last_delivered_at === null ? null : Number(row.last_delivered_at),
  };
}
