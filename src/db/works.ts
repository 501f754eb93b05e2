/** The sources' cache: each member's works as last read (a failed read keeps the last good works), and each source's last read. */
import type { Kysely } from 'kysely';
import { inChunks } from './chunks.js';
import type { Database } from './schema.js';

/** The OpenAlex author read for a member: its figures, and which id and why. */
export interface AuthorRecord {
  id: string;
  name: string;
  worksCount: number | null;
  citations: number | null;
  hIndex: number | null;
  /** How the id was found: `lab.yaml`, `ORCID …`, or the titles it matched. */
  why: string;
}

/** One source's last read for one member. */
export type SourceRead = Awaited<ReturnType<typeof sourceReads>>[number];

/** Replaces a member's works (JSON values with the paper's id) in one transaction: the old stay until the new are written. */
export async function replaceMemberWorks(
  db: Kysely<Database>,
  member: string,
  papers: ReadonlyArray<{ id: string; openalexId?: string | undefined }>,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('source_works').where('member', '=', member).execute();
    const rows = [...new Map(papers.map((paper) => [paper.openalexId ?? paper.id, paper])).entries()].map(([workId, paper]) => ({ member, work_id: workId, paper: JSON.stringify(paper), fetched_at: now }));
    for await (const chunk of inChunks(rows)) await trx.insertInto('source_works').values(chunk).execute();
  });
}

/** Every member's cached works that `parse` (the caller's schema: the database knows no paper) accepts. */
export async function cachedWorks<T>(db: Kysely<Database>, parse: (value: unknown) => T | undefined): Promise<T[]> {
  const rows = await db.selectFrom('source_works').select(['paper']).orderBy('member').orderBy('work_id').execute();
  const papers: T[] = [];
  for (const row of rows) {
    try {
      const parsed = parse(JSON.parse(row.paper));
      if (parsed !== undefined) papers.push(parsed);
    } catch {
      // A row written by hand or cut short: the next read replaces it.
    }
  }
  return papers;
}

/** Records an attempt to read `source` for `member`: its time, and either success or the error. */
export async function recordRead(db: Kysely<Database>, read: { source: string; member: string; at: number; error: string | null; author?: AuthorRecord | null }): Promise<void> {
  const ok = read.error === null;
  const author = read.author === undefined ? {} : { author_id: read.author?.id ?? null, author: read.author ? JSON.stringify(read.author) : null };
  await db
    .insertInto('source_reads')
    .values({ source: read.source, member: read.member, last_ok_at: ok ? read.at : null, last_attempt_at: read.at, last_error: read.error, author_id: null, author: null, ...author })
    .onConflict((conflict) =>
      conflict.columns(['source', 'member']).doUpdateSet({
        last_attempt_at: read.at,
        last_error: read.error,
        ...(ok ? { last_ok_at: read.at } : {}),
        ...author,
      }),
    )
    .execute();
}

/** Every source's last read per member. */
export async function sourceReads(db: Kysely<Database>) {
  const rows = await db.selectFrom('source_reads').selectAll().orderBy('source').orderBy('member').execute();
  return rows.map((row) => ({
    source: row.source,
    member: row.member,
    lastOkAt: row.last_ok_at === null ? null : Number(row.last_ok_at),
    lastAttemptAt: Number(row.last_attempt_at),
    lastError: row.last_error,
    author: row.author ? (JSON.parse(row.author) as AuthorRecord) : null,
  }));
}
