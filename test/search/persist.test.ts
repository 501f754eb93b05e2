/**
 * The index built step by step, saved and loaded: `buildAsync` and `loadAsync` (from `toJSON` through JSON text)
 * answer every kind of query exactly as `build` does, and a saved index of another format or corpus is refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/corpus/schema.js';
import { INDEX_FORMAT_VERSION, PaperIndex, type PersistedIndex } from '../../src/search/index.js';
import { relatedPapers } from '../../src/search/related.js';
import { seedIndex } from './seed.js';

let corpus: Corpus;
let built: PaperIndex;
beforeAll(async () => {
  ({ corpus, index: built } = await seedIndex());
});

/** Scores to 12 significant digits: a loaded index sums the same terms in another order, which moves the last bits. */
function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'score' && typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
}

/** Every kind of answer the commands ask for, over queries that take every path (typos, forms, prefix, filters, years, fallback). */
function answers(index: PaperIndex): unknown {
  return rounded(rawAnswers(index));
}

function rawAnswers(index: PaperIndex): unknown {
  const queries = ['score matching', 'bommerang distilation', 'Löwe', 'loewe', 'forecasting', 'disentangled', 'object-centric learning', 'causal 2023', 'weather forecasting zzqx', 'SAE', 'obj'];
  return {
    size: index.size,
    searches: queries.map((query) => index.search(query, { limit: 100 })),
    filtered: index.search('causal', { category: 'ME', yearFrom: 2023, yearTo: 2023, hasCode: false }),
    lookups: queries.map((query) => index.lookupPaper(query)),
    didYouMean: queries.map((query) => index.didYouMean(query)),
    titles: ['', 'bo', 'dino', 'tc-b'].map((input) => index.suggestTitles(input, 25)),
    people: ['', 'lo', 'kleind'].map((input) => index.people.suggest(input, 25)),
    coauthors: index.people.coauthorsOf('francesco locatello', 100),
    categories: index.categories.all(),
    related: corpus.papers.slice(0, 5).map((paper) => relatedPapers(index, paper.id)),
    latest: index.search('', { author: 'Francesco Locatello', limit: 7 }),
  };
}

async function roundTrip(index: PaperIndex): Promise<PersistedIndex> {
  return JSON.parse(JSON.stringify(index.toJSON())) as PersistedIndex;
}

describe('building and loading', () => {
  it('builds step by step to the same index', async () => {
    const stepwise = await PaperIndex.buildAsync(corpus);
    expect(answers(stepwise)).toEqual(answers(built));
  });

  it('loads a saved index through JSON text that answers as the one saved', async () => {
    const loaded = await PaperIndex.loadAsync(corpus, await roundTrip(built));
    expect(answers(loaded)).toEqual(answers(built));
    const [again, saved] = [loaded.toJSON(), built.toJSON()];
    expect({ ...again, miniSearch: { ...again.miniSearch, index: new Map(again.miniSearch.index) } }).toEqual({
      ...saved,
      miniSearch: { ...saved.miniSearch, index: new Map(saved.miniSearch.index) },
    });
  });

  it('loads a saved index in one go to the same answers', async () => {
    expect(answers(PaperIndex.load(corpus, await roundTrip(built)))).toEqual(answers(built));
  });

  it('refuses an index saved in another format version', async () => {
    const saved = { ...(await roundTrip(built)), version: INDEX_FORMAT_VERSION + 1 };
    await expect(PaperIndex.loadAsync(corpus, saved)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: search: saved index has format version 3, this code reads version 2; rebuild it]`,
    );
    await expect(PaperIndex.loadAsync(corpus, null as unknown as PersistedIndex)).rejects.toThrow(/format version/);
    expect(() => PaperIndex.load(corpus, saved)).toThrow(/format version 3/);
  });

  it('refuses an index saved for other papers', async () => {
    const saved = await roundTrip(built);
    const fewer: Corpus = { ...corpus, papers: corpus.papers.slice(1) };
    await expect(PaperIndex.loadAsync(fewer, saved)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: search: saved index is of ${corpus.papers.length} other papers, not of this corpus's ${corpus.papers.length - 1}; rebuild it]`,
    );
    const renamed: Corpus = { ...corpus, papers: corpus.papers.map((paper, i) => (i === 3 ? { ...paper, id: 'zzzzzzzz' } : paper)) };
    await expect(PaperIndex.loadAsync(renamed, saved)).rejects.toThrow(/not of this corpus/);
  });
});
