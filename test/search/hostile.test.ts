/** Any text as a query: never throws, always bounded. Property tests over the seed index. */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_HIT_TERMS } from '../../src/search/documents.js';
import type { PaperIndex } from '../../src/search/index.js';
import { readQuery } from '../../src/search/query.js';
import type { SearchOptions } from '../../src/search/types.js';
import { seedIndex } from './seed.js';

const queryTerms = (query: string): string[] => readQuery(query).terms.map(({ term }) => term);

let index: PaperIndex;
beforeAll(async () => {
  ({ index } = await seedIndex());
});

const HOSTILE = [
  '',
  '   \t\n ',
  '(a+)+$',
  '*',
  '.*',
  '[',
  '\\',
  '"causal discovery"',
  "'; DROP TABLE papers; --",
  '**bold** _it_ `code` > quote [link](http://x)',
  '@everyone <@123> <#456>',
  '🦕🦖 dinosaur 🦕',
  '👩🏽‍🔬',
  'причинное обучение',
  '因果表示学习',
  'ŝçőřé ɱàţçĥíñğ',
  '\u0000\u0001\u202e',
  '\ud800',
  'a'.repeat(2_000),
  'causal '.repeat(300),
  Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '),
  'constructor __proto__ toString hasOwnProperty',
];

// Every entry point that takes text, with the bounds its answer must keep.
function exerciseAll(text: string, options: SearchOptions = {}): void {
  const result = index.search(text, options);
  expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
  expect(result.hits.length).toBeLessThanOrEqual(100);
  for (const hit of result.hits) {
    expect(Number.isFinite(hit.score)).toBe(true);
    expect(hit.terms.length).toBeLessThanOrEqual(MAX_HIT_TERMS);
  }
  for (const suggestions of [index.suggestTitles(text, 25), index.people.suggest(text, 25), index.categories.suggest(text, 25)]) {
    expect(suggestions.length).toBeLessThanOrEqual(25);
    for (const { name, value } of suggestions) {
      expect(name.length).toBeGreaterThan(0);
      expect(name.length).toBeLessThanOrEqual(100);
      expect(value.length).toBeLessThanOrEqual(100);
    }
  }
  index.lookupPaper(text);
  expect(index.didYouMean(text).length).toBeLessThanOrEqual(3);
  index.people.resolve(text);
  index.categories.resolve(text);
  index.people.papersOf(text);
  index.people.coauthorsOf(text);
  index.people.sharedPapers(text, text);
  index.related(text);
}

describe('hostile input', () => {
  it.each(HOSTILE.map((text) => [JSON.stringify(text).slice(0, 40), text]))('answers %s without throwing', (_, text) => {
    expect(() => exerciseAll(text)).not.toThrow();
  });

  it('treats pattern syntax as plain words, and one-letter words as none', () => {
    expect(index.search('(a+)+$')).toEqual({ total: 0, hits: [] });
    expect(index.search('(dinosaur+)+$').hits.map((hit) => hit.terms)).toEqual([['dinosaur']]);
    expect(index.search('*')).toEqual({ total: 0, hits: [] });
    expect(index.search('.*')).toEqual({ total: 0, hits: [] });
  });

  it('cuts a long query to a bounded number of terms', () => {
    const words = ['bridging', 'gap', 'real', 'world', 'object', 'centric', 'learning', 'dinosaur'];
    const long = `${words.join(' ')} ${Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ')}`;
    expect(queryTerms(long)).toEqual([...words, 'w0', 'w1', 'w2', 'w3']);
    const result = index.search(long);
    expect(result.hits[0]?.paper.title).toBe('Bridging the Gap to Real-World Object-Centric Learning');
    expect(result.hits[0]?.terms).toEqual(expect.arrayContaining(words));
    // An abstract has "W₂": w2 is a word of the corpus.
    expect(result.ignoredTerms).toEqual(['w0', 'w1', 'w3']);
  });

  it('answers any string without throwing, within bounds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 })), (text) => {
        exerciseAll(text);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps paging and limits bounded whatever the options', () => {
    const anyNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 1e12));
    fc.assert(
      fc.property(
        fc.record(
          {
            limit: anyNumber,
            offset: anyNumber,
            yearFrom: anyNumber,
            yearTo: anyNumber,
            hasCode: fc.boolean(),
            sort: fc.constantFrom('relevance', 'newest', 'sideways') as fc.Arbitrary<SearchOptions['sort']>,
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom('', 'causal', 'learning', 'zzz'),
        (options, query) => {
          const result = index.search(query, options);
          expect(result.hits.length).toBeLessThanOrEqual(100);
          expect(result.hits.length).toBeLessThanOrEqual(result.total);
        },
      ),
      { numRuns: 200 },
    );
  });
});
