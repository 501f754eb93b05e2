/**
 * The index built step by step, saved and loaded: `buildAsync` and `load` (from `save` through JSON text and a copy
 * of the postings) answer every kind of query exactly as `build` does, and a saved index of another format or
 * corpus, or with postings that do not fit its terms, is refused.
 */
import { deserialize, serialize } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus } from '../../src/corpus/schema.js';
import MiniSearch from 'minisearch';
import { INDEX_FORMAT_VERSION, PaperIndex, type SavedIndex } from '../../src/search/index.js';
import { loadMiniSearch, saveMiniSearch } from '../../src/search/saved.js';
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
    related: corpus.papers.slice(0, 5).map((paper) => index.related(paper.id)),
    latest: index.search('', { author: 'Francesco Locatello', limit: 7 }),
  };
}

// As a snapshot file carries it: the rest through V8's serialization (as src/live/snapshot.ts writes it), the postings copied.
function roundTrip(index: PaperIndex): SavedIndex {
  const saved = index.save();
  return { json: deserialize(serialize(saved.json)) as SavedIndex['json'], postings: new Uint32Array(saved.postings) };
}

// A saved index's postings read by the layout saved.ts documents: term → field id → [document, frequency] pairs,
// the index's, the title suggester's and the people's name parts'.
function postingsByTerm({ json, postings }: SavedIndex): Array<Map<string, Map<number, number[][]>>> {
  const { titles, people } = json;
  return [readPostings(json.miniSearch.terms, postings), readPostings(titles.json.terms, titles.postings), readPostings(people.parts.json.terms, people.parts.postings)];
}

function readPostings(termList: readonly string[], postings: Uint32Array): Map<string, Map<number, number[][]>> {
  const terms = new Map<string, Map<number, number[][]>>();
  let at = 0;
  for (const term of termList) {
    const fields = new Map<number, number[][]>();
    const count = postings[at++] ?? 0;
    for (let field = 0; field < count; field++) {
      const [fieldId = -1, docs = 0] = [postings[at], postings[at + 1]];
      at += 2;
      fields.set(fieldId, Array.from({ length: docs }, (_, i) => [postings[at + 2 * i], postings[at + 2 * i + 1]] as number[]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)));
      at += 2 * docs;
    }
    terms.set(term, fields);
  }
  expect(at).toBe(postings.length);
  return terms;
}

describe('building and loading', () => {
  it('builds step by step to the same index', async () => {
    const stepwise = await PaperIndex.buildAsync(corpus);
    expect(answers(stepwise)).toEqual(answers(built));
  });

  it('loads a saved index that answers as the one saved, and saves again to the same', () => {
    const loaded = PaperIndex.load(corpus, roundTrip(built));
    expect(answers(loaded)).toEqual(answers(built));
    // Some terms were read by the searches above, the rest not yet: both kinds are saved as they were.
    const [again, saved] = [loaded.save(), built.save()];
    expect(postingsByTerm(again)).toEqual(postingsByTerm(saved));
    const withoutTerms = ({ json }: SavedIndex) => ({
      ...json,
      miniSearch: { ...json.miniSearch, terms: [] },
      titles: { ...json.titles.json, terms: [] },
      people: { ...json.people, parts: { ...json.people.parts.json, terms: [] } },
    });
    expect(withoutTerms(again)).toEqual(withoutTerms(saved));
  });

  it('refuses an index saved in another format version', () => {
    const saved = roundTrip(built);
    expect(() => PaperIndex.load(corpus, { ...saved, json: { ...saved.json, version: INDEX_FORMAT_VERSION + 1 } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: search: saved index has format version 4, this code reads version 3; rebuild it]`,
    );
    expect(() => PaperIndex.load(corpus, { json: null, postings: saved.postings } as unknown as SavedIndex)).toThrow(/format version object/);
  });

  it('refuses an index saved for other papers', () => {
    const saved = roundTrip(built);
    const fewer: Corpus = { ...corpus, papers: corpus.papers.slice(1) };
    expect(() => PaperIndex.load(fewer, saved)).toThrowErrorMatchingInlineSnapshot(
      `[Error: search: saved index is of ${corpus.papers.length} other papers, not of this corpus's ${corpus.papers.length - 1}; rebuild it]`,
    );
    const renamed: Corpus = { ...corpus, papers: corpus.papers.map((paper, i) => (i === 3 ? { ...paper, id: 'zzzzzzzz' } : paper)) };
    expect(() => PaperIndex.load(renamed, saved)).toThrow(/not of this corpus/);
  });

  it('refuses postings cut short or run long', () => {
    const saved = roundTrip(built);
    const terms = saved.json.miniSearch.terms.length;
    expect(() => PaperIndex.load(corpus, { ...saved, postings: saved.postings.subarray(0, saved.postings.length - 2) })).toThrow(
      `search: saved index's postings end before term ${terms} of ${terms}; rebuild it`,
    );
    const longer = new Uint32Array(saved.postings.length + 3);
    longer.set(saved.postings);
    expect(() => PaperIndex.load(corpus, { ...saved, postings: longer })).toThrow('search: saved index has 3 numbers past its last term; rebuild it');
  });

  it('refuses people saved for other papers', () => {
    const saved = roundTrip(built);
    const people = { ...saved.json.people, peopleOf: saved.json.people.peopleOf.slice(1) };
    expect(() => PaperIndex.load(corpus, { ...saved, json: { ...saved.json, people } })).toThrow(
      `search: saved people do not fit these ${corpus.papers.length} papers; rebuild the index`,
    );
  });

  it('gives a loaded term its postings through every Map method, as the first thing read', () => {
    type TermData = Map<number, Map<number, number>>;
    const options = { fields: ['title', 'abstract'] };
    const docs = [
      { id: 1, title: 'slot attention', abstract: 'attention over slots' },
      { id: 2, title: 'object slots', abstract: 'objects' },
    ];
    const original = new MiniSearch(options);
    original.addAll(docs);
    const termOf = (miniSearch: MiniSearch, term: string) => (miniSearch as unknown as { _index: Map<string, TermData> })._index.get(term);
    // Each read is the first on a freshly loaded index: none of them may see an empty term.
    const reads: Array<(data: TermData) => unknown> = [
      (data) => data.size,
      (data) => [...data.keys()],
      (data) => [...data.values()].map((docsOf) => [...docsOf]),
      (data) => [...data.entries()].map(([field, docsOf]) => [field, [...docsOf]]),
      (data) => [...data].map(([field, docsOf]) => [field, [...docsOf]]),
      (data) => [0, 1].map((field) => data.has(field)),
      (data) => [0, 1].map((field) => [...(data.get(field) ?? [])]),
      (data) => {
        const seen: unknown[] = [];
        data.forEach((docsOf, field) => seen.push([field, [...docsOf]]));
        return seen;
      },
    ];
    // Fields in any order: the saved postings keep them by field id.
    const unordered = (value: unknown) => (Array.isArray(value) ? value.map((v) => JSON.stringify(v)).sort() : value);
    for (const term of ['slot', 'attention', 'slots', 'objects']) {
      const expected = termOf(original, term);
      expect(expected, term).toBeDefined();
      for (const read of reads) {
        const loaded = loadMiniSearch(saveMiniSearch(original), options);
        expect(unordered(read(termOf(loaded, term) as TermData)), `${term}: ${read.toString()}`).toEqual(unordered(read(expected as TermData)));
      }
    }
  });
});
