/**
 * Paging state in the database, on SQLite and on a Postgres server of the test's own: a /search whose query is
 * too long for its buttons, started on one replica (its own database connection) and continued on another.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import search from '../../commands/search.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { databasePagingStore } from '../../src/db/paging.js';
import type { PagingStateStore } from '../../src/discord/command.js';
import { COMPONENT_LIFETIME_MS, memoryPagingStore } from '../../src/discord/components.js';
import type { Library } from '../../src/search/library.js';
import { AS_OF, click, contextOf, listedTitles, run, testLibrary, userErrorOf } from '../commands/context.js';
import { startPostgres, type PostgresServer } from './postgres.js';

const QUERY = 'learning '.repeat(22).trim();

let library: Library;
let postgres: PostgresServer;
let folder: string;
const handles: DatabaseHandle[] = [];

beforeAll(async () => {
  library = await testLibrary();
  postgres = await startPostgres();
  folder = await mkdtemp(path.join(os.tmpdir(), 'paperbot-paging-'));
}, 60_000);

afterAll(async () => {
  for (const handle of handles) await handle.close();
  await postgres?.stop();
  await rm(folder, { recursive: true, force: true });
});

/** Two replicas' connections to one database, migrated. */
async function replicas(url: string): Promise<[PagingStateStore, PagingStateStore]> {
  const a = await openDatabase(url);
  const b = await openDatabase(url);
  handles.push(a, b);
  await migrateToLatest(a.db);
  return [databasePagingStore(a.db, COMPONENT_LIFETIME_MS), databasePagingStore(b.db, COMPONENT_LIFETIME_MS)];
}

function nextButton(reply: Awaited<ReturnType<typeof run>>): string {
  const ids = (reply.components ?? []).flatMap((row) => row.components).flatMap((c) => ('custom_id' in c && 'label' in c && c.label === 'Next ▶' ? [c.custom_id] : []));
  if (!ids[0]) throw new Error('no Next button');
  return ids[0];
}


describe.each([
  ['SQLite', () => `sqlite:${path.join(folder, 'paging.db')}`],
  ['Postgres', () => postgres.createDatabase('paging')],
])('paging state on %s', (_engine, url) => {
  it('continues on one replica a paging another started, and expires with the buttons', async () => {
    const [storeA, storeB] = await replicas(await url());
    const first = await run(search, { ...contextOf(library), pagingState: storeA }, { query: QUERY });
    const next = nextButton(first);
    expect(next).toMatch(/^search:page:1:[0-9a-z]+:s[\w-]{12}$/);
    const second = await click(search, { ...contextOf(library), pagingState: storeB }, next);
    const expected = library.index.search(QUERY, { offset: 5, limit: 5 });
    expect(listedTitles(second.embeds?.[0] ?? {})).toEqual(expected.hits.map((h) => h.paper.title));

    const late = contextOf(library, () => new Date(AS_OF.getTime() + COMPONENT_LIFETIME_MS + 1_000));
    expect(await userErrorOf(() => click(search, { ...late, pagingState: storeB }, next))).toBe('This search has expired: buttons work for 15 minutes. Run /search again.');
    const forged = next.replace(/s[\w-]{12}$/, 'sAAAAAAAAAAAA');
    expect(await userErrorOf(() => click(search, { ...contextOf(library), pagingState: storeB }, forged))).toBe('This search has expired: buttons work for 15 minutes. Run /search again.');
  });
});

it('cannot continue a paging across replicas that keep state in their own memory (why the database is used)', async () => {
  const first = await run(search, { ...contextOf(library), pagingState: memoryPagingStore() }, { query: QUERY });
  const message = await userErrorOf(() => click(search, { ...contextOf(library), pagingState: memoryPagingStore() }, nextButton(first)));
  expect(message).toBe('This search has expired: buttons work for 15 minutes. Run /search again.');
});
