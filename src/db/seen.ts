/** Baselines and seen keys, per scope: a server's id for its announcements, `follows` for follow deliveries and digests. */
import type { Kysely } from 'kysely';
import { inChunks } from './chunks.js';
import type { Database } from './schema.js';

/** The kinds of key a paper is recognised by (src/announce/seen.ts). */
const SEEN_KINDS = ['id', 'title', 'abstract', 'signature'] as const;
/** One kind of key. */
export type SeenKind = (typeof SEEN_KINDS)[number];

/** One key of a seen paper. */
export interface SeenKey {
  kind: SeenKind;
  value: string;
}

/** The scope of follow deliveries and digests: papers new to the bot, whatever the server. */
export const FOLLOWS_SCOPE = 'follows';

/** Takes the baseline of `scope` with these keys (one transaction), unless one was taken before; true when this call took it. */
export async function takeBaseline(db: Kysely<Database>, scope: string, keys: readonly SeenKey[], papers: number, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .insertInto('baselines')
      .values({ scope, papers, taken_at: now })
      .onConflict((conflict) => conflict.column('scope').doNothing())
      .returning('scope')
      .executeTakeFirst();
    if (!taken) return false;
    await rememberKeys(trx, scope, keys, now);
    return true;
  });
}

/** True once a baseline of `scope` was taken. */
export async function hasBaseline(db: Kysely<Database>, scope: string): Promise<boolean> {
  return (await db.selectFrom('baselines').select('scope').where('scope', '=', scope).executeTakeFirst()) !== undefined;
}

/** Every key seen in `scope`. */
export async function seenKeys(db: Kysely<Database>, scope: string): Promise<SeenKey[]> {
  const rows = await db.selectFrom('seen_keys').select(['kind', 'value']).where('scope', '=', scope).execute();
  return rows.filter((row): row is SeenKey => (SEEN_KINDS as readonly string[]).includes(row.kind));
}

/** Adds keys to `scope` (those already there are left as they are). */
export async function rememberKeys(db: Kysely<Database>, scope: string, keys: readonly SeenKey[], now: number): Promise<void> {
  for await (const chunk of inChunks(keys)) {
    const rows = chunk.map((key) => ({ scope, kind: key.kind, value: key.value, created_at: now }));
    await db
      .insertInto('seen_keys')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['scope', 'kind', 'value']).doNothing())
      .execute();
  }
}
