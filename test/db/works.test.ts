import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperId } from '../../src/corpus/ids.js';
import type { Paper } from '../../src/corpus/schema.js';
import { cachedWorks, recordRead, replaceMemberWorks, sourceReads } from '../../src/db/works.js';
import { cachedPaper } from '../../src/sources/papers.js';
import { tempDatabase, type TempDatabase } from './helpers.js';

function work(n: number, owner: string): Paper {
  const title = `Work ${n}`;
  return { id: paperId(title), title, authors: [owner], authorsTruncated: false, owners: [owner], affiliations: [], categoryCode: 'none', category: 'none', categoryLabel: 'No category', date: '2024-01-01', hasCode: false, codeUrl: null, abstract: '', source: { file: `https://openalex.org/W${n}`, line: 1 }, openalexId: `W${n}` };
}

let temp: TempDatabase;
beforeEach(async () => {
  temp = await tempDatabase('works');
});
afterEach(() => temp.remove());

describe('the sources cache', () => {
  it('replaces a member’s works whole, keeps other members’, and survives a restart', async () => {
    await replaceMemberWorks(temp.handle.db, 'Ada', Array.from({ length: 1_200 }, (_, i) => work(i, 'Ada')), 1);
    await replaceMemberWorks(temp.handle.db, 'Ivo', [work(5_000, 'Ivo')], 1);
    await replaceMemberWorks(temp.handle.db, 'Ada', [work(1, 'Ada'), work(2, 'Ada')], 2);
    const db = (await temp.reopen()).db;
    expect((await cachedWorks(db, cachedPaper)).map((p) => `${p.owners[0]} ${p.openalexId}`)).toEqual(['Ada W1', 'Ada W2', 'Ivo W5000']);
  });

  it('keeps the last good read’s time through a failure, with the failure’s reason', async () => {
    const db = temp.handle.db;
    const author = { id: 'A1', name: 'Ada Quill', worksCount: 3, citations: 10, hIndex: 2, why: 'pinned in lab.yaml' };
    await recordRead(db, { source: 'openalex', member: 'Ada', at: 100, error: null, author });
    await recordRead(db, { source: 'openalex', member: 'Ada', at: 200, error: 'OpenAlex: answered 503' });
    expect(await sourceReads(db)).toEqual([{ source: 'openalex', member: 'Ada', lastOkAt: 100, lastAttemptAt: 200, lastError: 'OpenAlex: answered 503', author }]);
  });
});
