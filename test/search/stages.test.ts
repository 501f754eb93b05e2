/**
 * The all-words stage: a search asks first for the papers with every word, and falls back to papers with some
 * of them only when none has them all. The papers expected are found here by scanning the papers' own text.
 */
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { foldText } from '../../src/corpus/names.js';
import type { Corpus, Paper } from '../../src/corpus/schema.js';
import type { PaperIndex } from '../../src/search/index.js';
import { seedIndex } from './seed.js';

let corpus: Corpus;
let index: PaperIndex;
beforeAll(async () => {
  ({ corpus, index } = await seedIndex());
});

/** Every folded word of a paper, all fields. */
function wordsOf(paper: Paper): Set<string> {
  const text = [paper.title, paper.abstract, ...paper.authors, ...paper.owners, ...paper.affiliations, paper.category, paper.categoryLabel, paper.categoryCode].join(' ');
  return new Set(foldText(text).split(' '));
}

/** Papers printing each of `words` as a word of its own (the words chosen below have no other forms in the seed). */
function withEvery(words: readonly string[]): string[] {
  return corpus.papers.filter((paper) => words.every((word) => wordsOf(paper).has(word))).map((paper) => paper.id);
}

/** Levenshtein distance, for the typos a search forgives. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The typos forgiven in a word found nowhere, as docs/search-lookups.md states it: a fifth of its letters, at most two, none below 5 or above 24 letters. */
function typosAllowed(word: string): number {
  return word.length < 5 || word.length > 24 ? 0 : Math.min(2, Math.round(word.length * 0.2));
}

function withSome(words: readonly string[]): string[] {
  return corpus.papers.filter((paper) => words.some((word) => wordsOf(paper).has(word))).map((paper) => paper.id);
}

describe('the all-words stage', () => {
  it('returns exactly the papers with every word when some paper has them all', () => {
    // Neither word has another form or a longer word it starts in the seed: checked here, so the scan is exact.
    const words = ['montagna', 'synthetic'];
    const vocabulary = new Set(corpus.papers.flatMap((paper) => [...wordsOf(paper)]));
    for (const word of words) expect([...vocabulary].filter((other) => other !== word && other.startsWith(word.slice(0, 5)))).toEqual([]);
    const every = withEvery(words);
    expect(every.length).toBeGreaterThan(0);
    expect(withSome(words).length).toBeGreaterThan(every.length);
    const result = index.search(words.join(' '), { limit: 100 });
    expect(result.matched).toBe('all');
    expect(result.total).toBe(every.length);
    expect(result.hits.map((hit) => hit.paper.id).sort()).toEqual([...every].sort());
  });

  it('falls back to papers with some of the words only when none has them all, and says so', () => {
    const words = ['montagna', 'vision'];
    expect(withEvery(words)).toEqual([]);
    const result = index.search(words.join(' '), { limit: 100 });
    expect(result.matched).toBe('some');
    const some = new Set(withSome(words));
    expect(result.hits.length).toBeGreaterThan(0);
    for (const hit of result.hits) expect(some.has(hit.paper.id)).toBe(true);
    // With two words, a paper must hold at least half of their weight: the rarer word's papers all come back.
    const [rarer] = [...words].sort((a, b) => withSome([a]).length - withSome([b]).length);
    expect(result.hits.map((hit) => hit.paper.id)).toEqual(expect.arrayContaining(withSome([rarer ?? ''])));
  });
});

describe('a submitted query', () => {
  it('matches whole words, never longer words a query word starts (issue 21: "Lowe" is not "lower")', () => {
    // The seed prints "lower" and "lowering"; the words are scanned here, so the check cannot hold by accident.
    const longer = corpus.papers.filter((paper) => [...wordsOf(paper)].some((word) => word.startsWith('lowe') && word !== 'lowe' && word !== 'loewe'));
    expect(longer.length).toBeGreaterThan(0);
    const result = index.search('Lowe', { limit: 100 });
    expect(result.hits.length).toBeGreaterThan(0);
    for (const hit of result.hits) expect(hit.terms.filter((term) => term.startsWith('lowe')), hit.paper.title).toEqual(['lowe']);
    const lowe = corpus.papers.filter((paper) => wordsOf(paper).has('lowe')).map((paper) => paper.id);
    expect(result.hits.map((hit) => hit.paper.id).sort()).toEqual([...lowe].sort());
  });

  it('makes one MiniSearch search, a second when no paper has every word as typed, a third only when typos forgiven do not give every word either', () => {
    const searches = vi.spyOn(MiniSearch.prototype, 'search');
    const expected = new Map<string, number>();
    try {
      for (const query of ['score matching additive noise models', 'bommerang distilation', 'montagna vision', 'causal zebra', 'rotating features quantum chromodynamics']) {
        searches.mockClear();
        index.search(query);
        // From a scan of the papers: one when some paper prints every word as typed; else two when every word is
        // printed somewhere (the second asks for papers with some of them) or when, typos forgiven in the words
        // printed nowhere, some paper has them all; three otherwise (typos, then some of the words).
        const words = foldText(query).split(' ');
        const missing = words.filter((word) => !corpus.papers.some((paper) => wordsOf(paper).has(word)));
        const hasNear = (paper: Paper, word: string): boolean => [...wordsOf(paper)].some((printed) => editDistance(printed, word) <= typosAllowed(word));
        const allForgiven = corpus.papers.some((paper) => words.every((word) => (missing.includes(word) ? hasNear(paper, word) : wordsOf(paper).has(word))));
        expected.set(query, withEvery(words).length > 0 ? 1 : missing.length === 0 || allForgiven ? 2 : 3);
        expect(searches.mock.calls.length, query).toBe(expected.get(query));
      }
    } finally {
      searches.mockRestore();
    }
    // The queries take every path.
    expect(new Set(expected.values())).toEqual(new Set([1, 2, 3]));
  });
});

describe('a saved search (a follow)', () => {
  it('forgives a typo in a word the corpus does not have, and a word no paper has within a typo matches nothing', () => {
    const ids = corpus.papers.map((paper) => paper.id);
    const boomerang = corpus.papers.filter((paper) => wordsOf(paper).has('boomerang') && wordsOf(paper).has('distillation')).map((paper) => paper.id);
    expect(boomerang.length).toBeGreaterThan(0);
    expect(index.matchingAmong('bommerang distilation', {}, ids).sort()).toEqual([...boomerang].sort());
    expect(index.matchingAmong('boomerang zzqxv', {}, ids)).toEqual([]);
  });
});
