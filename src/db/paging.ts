/** The state of paged replies too long for their buttons' custom_ids, in the database so any replica can read it. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One write in this many also deletes the rows past their lifetime. */
const SWEEP_EVERY = 50;

/** A store over `db` whose entries live `lifetimeMs` (the shape of discord/command.ts's `PagingStateStore`). */
export function databasePagingStore(db: Kysely<Database>, lifetimeMs: number) {
  let writes = 0;
  return {
    async put(fields: readonly string[], now: number): Promise<string> {
      // 9 random bytes: 12 characters of base64url, unguessable, so a forged id finds nothing.
      const key = randomBytes(9).toString('base64url');
      await db.insertInto('paging_state').values({ key, fields: JSON.stringify(fields), created_at: now }).execute();
      writes += 1;
      if (writes % SWEEP_EVERY === 0) await db.deleteFrom('paging_state').where('created_at', '<', now - lifetimeMs).execute();
      return key;
    },
    async get(key: string, now: number): Promise<string[] | null> {
      const row = await db.selectFrom('paging_state').select(['fields', 'created_at']).where('key', '=', key).executeTakeFirst();
      if (!row || now - row.created_at > lifetimeMs) return null;
      const fields: unknown = JSON.parse(row.fields);
      return Array.isArray(fields) && fields.every((field) => typeof field === 'string') ? fields : null;
    },
  };
}
