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

  it('makes one MiniSearch search, or two when no paper has every word as typed', () => {
    const searches = vi.spyOn(MiniSearch.prototype, 'search');
    try {
      for (const query of ['score matching additive noise models', 'bommerang distilation', 'montagna vision', 'causal zebra', 'rotating features quantum chromodynamics']) {
        searches.mockClear();
        index.search(query);
        // One when some paper prints every word as typed (a scan of the papers); two otherwise (typos, words missing).
        expect(searches.mock.calls.length, query).toBe(withEvery(foldText(query).split(' ')).length > 0 ? 1 : 2);
      }
    } finally {
      searches.mockRestore();
    }
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
