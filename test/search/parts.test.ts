/** The index's building blocks: text analysis, the prefix structure, top-k selection and the LRU. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/corpus/names.js';
import { remember } from '../../src/search/lru-cache.js';
import { MAX_QUERY_CHARS, MAX_QUERY_TERMS, readQuery } from '../../src/search/query.js';
import { fold, indexTerms, joinedCompounds } from '../../src/search/text.js';
import { acronymsOf } from '../../src/search/titles.js';

const queryTerms = (query: string): string[] => readQuery(query).terms.map(({ term }) => term);

describe('text analysis', () => {
  it('folds exactly as foldText does, on ASCII and on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (text) => {
        expect(fold(text)).toBe(foldText(text));
      }),
      { numRuns: 500 },
    );
    expect(fold('Aeon QUEUE Löwe')).toBe(foldText('Aeon QUEUE Löwe'));
  });

  it('indexes folded words without stop words, plus hyphenated words joined', () => {
    expect(indexTerms('The Perception-Physics Paradox: Probing Scientific Alignment with TC-Bench')).toEqual([
      'perception',
      'physics',
      'paradox',
      'probing',
      'scientific',
      'alignment',
      'tc',
      'bench',
      'perceptionphysics',
      'tcbench',
    ]);
    expect(joinedCompounds('in- and out-of-distribution (self-supervised), e.g. x')).toEqual(['outofdistribution', 'selfsupervised']);
  });

  it('joins a compound the way the query side folds it', () => {
    expect(joinedCompounds('Co-Evolution')).toEqual(queryTerms('coevolution'));
  });

  it('drops stop words from a query, even when nothing else is left (they are not in the index)', () => {
    expect(queryTerms('The Theory of the Gap')).toEqual(['theory', 'gap']);
    expect(queryTerms('to be or not to be')).toEqual(['not']);
    expect(queryTerms('the of')).toEqual([]);
  });

  it('reads at most MAX_QUERY_CHARS characters and MAX_QUERY_TERMS distinct terms', () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`);
    expect(queryTerms(words.join(' '))).toEqual(words.slice(0, MAX_QUERY_TERMS));
    expect(queryTerms(`${'x'.repeat(MAX_QUERY_CHARS - 1)} tail`)).toEqual(['x'.repeat(MAX_QUERY_CHARS - 1)]);
    expect(queryTerms('graph graph Graph GRAPH')).toEqual(['graph']);
  });

  it('takes acronym-like words from an abstract', () => {
    expect(acronymsOf('Our approach, DINOSAUR, beats NoGAM and the TC-Bench on COCO. A model, It works.')).toEqual([
      'dinosaur',
      'nogam',
      'tc',
      'bench',
      'tcbench',
      'coco',
    ]);
  });
});

describe('remember (an LRU cache)', () => {
  it('drops the least recently used entry when full', () => {
    const cache = new Map<string, number>();
    const capacity = 2;
    let made = 0;
    const make = (): number => (made += 1);
    remember(cache, capacity, 'a', make);
    remember(cache, capacity, 'b', make);
    expect(remember(cache, capacity, 'a', make)).toBe(1);
    expect(remember(cache, capacity, 'c', make)).toBe(3);
    expect(remember(cache, capacity, 'a', make)).toBe(1);
    expect(remember(cache, capacity, 'c', make)).toBe(3);
    expect(remember(cache, capacity, 'b', make)).toBe(4);
    expect(made).toBe(4);
  });

  it('holds nothing at capacity 0', () => {
    const cache = new Map<string, number>();
    const capacity = 0;
    let made = 0;
    const make = (): number => (made += 1);
    remember(cache, capacity, 'a', make);
    expect(remember(cache, capacity, 'a', make)).toBe(2);
  });

  it('remembers a made value and makes it again only once it is dropped', () => {
    const cache = new Map<string, number>();
    const capacity = 1;
    let made = 0;
    const make = (): number => (made += 1);
    expect(remember(cache, capacity, 'a', make)).toBe(1);
    expect(remember(cache, capacity, 'a', make)).toBe(1);
    expect(remember(cache, capacity, 'b', make)).toBe(2);
    expect(remember(cache, capacity, 'a', make)).toBe(3);
    expect(made).toBe(3);
  });
});
