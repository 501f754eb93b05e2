/**
 * A query's words as one MiniSearch query: each word an OR of its root in the form fields and its spelling in the
 * word fields (typos forgiven in words the corpus lacks), the words combined with AND or OR; never by prefix.
 */
import type { Query, SearchOptions, SearchResult } from 'minisearch';
import { FIELD_BOOST, FORM_FIELDS, WORD_FIELDS } from './documents.js';
import type { QueryTerm } from './query.js';
import { root } from './stem.js';

/** How hits match a search's words: `all`, each has every word; `some`, none has them all and these have enough (half, a rarer one). */
export type MatchedWords = 'all' | 'some';

/** What `matchWords` found: MiniSearch's results in its order, the run that noted them, and how the words matched. */
export interface WordsFound {
  results: SearchResult[];
  /** Null when nothing was found. */
  run: WordMatches | null;
  matched: MatchedWords | null;
  /** Words no paper has in any way, left out of the search (as typed). */
  ignored: string[];
}

/** The papers with every word of a query, else with enough of them (words found nowhere left out); the site's page searches so too. */
export function matchWords(search: (query: Query) => SearchResult[], words: readonly QueryTerm[], allowed: Uint8Array | null, size: number): WordsFound {
  const none = (ignored: string[]): WordsFound => ({ results: [], run: null, matched: null, ignored });
  if (words.length === 0) return none([]);
  const every = everyWord(search, words, allowed, size);
  if (every.results.length > 0) return { results: every.results, run: every.run, matched: 'all', ignored: [] };
  const { unknown } = every;
  if (unknown.size === 0 && words.length === 1) return none([]);
  const run = new WordMatches(words, allowed, size, unknown);
  const found = search(run.query('OR'));
  const ignored = words.filter((_, i) => run.reached[i] !== true).map(({ term }) => term);
  const kept = candidates(run, found);
  return kept === null ? none(ignored) : { ...kept, run, ignored };
}

/** The papers with every word, as typed or by word form; when none, with typos forgiven in the words found nowhere (`unknown`). */
export function everyWord(search: (query: Query) => SearchResult[], words: readonly QueryTerm[], allowed: Uint8Array | null, size: number): { results: SearchResult[]; run: WordMatches; unknown: ReadonlySet<number> } {
  const first = new WordMatches(words, allowed, size);
  const results = search(first.query('AND'));
  const unknown = new Set(words.map((_, i) => i).filter((i) => first.reached[i] !== true));
  if (results.length > 0 || unknown.size === 0) return { results, run: first, unknown };
  const typos = new WordMatches(words, allowed, size, unknown);
  return { results: search(typos.query('AND')), run: typos, unknown };
}

/** What each word of a query reached in one search, noted by its `boostDocument`: MiniSearch does not say once words are combined. */
export class WordMatches {
  readonly words: readonly QueryTerm[];
  readonly roots: readonly string[];
  /** Per paper ordinal, a bit per word the paper has (in any way), among the papers allowed. */
  readonly covered: Uint16Array;
  /** True for a word some paper has in any way, filters aside. */
  readonly reached: boolean[];
  /** Papers (allowed by the filters) per word. */
  readonly papers: number[];
  /** The near terms a word's typos matched → the word's position. */
  readonly typos = new Map<string, number>();
  readonly #allowed: Uint8Array | null;
  readonly #fuzzy: ReadonlySet<number>;

  /** `allowed` and `size` as for `matchWords`; `fuzzy`: the positions of the words whose typos are forgiven. */
  constructor(words: readonly QueryTerm[], allowed: Uint8Array | null, size: number, fuzzy: ReadonlySet<number> = new Set()) {
    this.words = words;
    this.roots = words.map((word) => root(searched(word)));
    this.covered = new Uint16Array(size);
    this.#fuzzy = fuzzy;
    this.reached = words.map(() => false);
    this.papers = words.map(() => 0);
    this.#allowed = allowed;
  }

  /** The MiniSearch query of the words, every word (`AND`) or any (`OR`); longer (rarer) words first. */
  query(combineWith: 'AND' | 'OR'): Query {
    const order = this.words.map((_, i) => i).sort((a, b) => searched(this.words[b] as QueryTerm).length - searched(this.words[a] as QueryTerm).length || a - b);
    let before = 0;
    return {
      combineWith,
      queries: order.map((i) => {
        const spelling = searched(this.words[i] as QueryTerm);
        const needed = combineWith === 'AND' ? before : 0;
        before |= 1 << i;
        return {
          combineWith: 'OR',
          queries: [
            { queries: [this.roots[i] as string], fields: [...FORM_FIELDS], fuzzy: false, boostDocument: this.#boost(i, null, needed) },
            { queries: [spelling], fields: [...WORD_FIELDS], fuzzy: this.#fuzzy.has(i) ? typoRatio : false, boostDocument: this.#boost(i, spelling, needed) },
          ],
        };
      }),
    };
  }

  /** How many of the words a paper has. */
  count(ordinal: number): number {
    let bits = this.covered[ordinal] ?? 0;
    let count = 0;
    for (; bits !== 0; bits &= bits - 1) count += 1;
    return count;
  }

  /** Which query word a folded text word is (as typed, by root, or as a typo matched); -1 for none. */
  wordOf(word: string): number {
    for (const [i, { term, forms }] of this.words.entries()) if (term === word || forms.includes(word)) return i;
    const typo = this.typos.get(word);
    if (typo !== undefined) return typo;
    return this.roots.indexOf(root(word));
  }

  // Word `i`'s boost for its root (`spelling` null) or spelling, noting what it reaches; 0 (no result) outside the filters or `needed`.
  #boost(i: number, spelling: string | null, needed: number): (ordinal: number, term: string) => number {
    const bit = 1 << i;
    return (ordinal, term) => {
      if (spelling !== null && term !== spelling) this.typos.set(term, i);
      this.reached[i] = true;
      if (this.#allowed !== null && this.#allowed[ordinal] !== 1) return 0;
      const bits = this.covered[ordinal] ?? 0;
      if ((bits & needed) !== needed) return 0;
      if ((bits & bit) === 0) {
        this.covered[ordinal] = bits | bit;
        this.papers[i] = (this.papers[i] ?? 0) + 1;
      }
      return 1;
    };
  }
}

// Of the OR search's results, those with every word found (`all`), else those with enough and a rarer one (`some`: not common words alone).
function candidates(run: WordMatches, found: SearchResult[]): { results: SearchResult[]; matched: MatchedWords } | null {
  const rest = run.words.map((_, i) => i).filter((i) => run.reached[i] === true);
  const bitsOf = (list: readonly number[]): number => list.reduce((bits, i) => bits | (1 << i), 0);
  const every = bitsOf(rest);
  // The rarer half: as many words as half of them, rarest first, and any as rare as the last of those.
  const counts = rest.map((i) => run.papers[i] ?? 0).sort((x, y) => x - y);
  const bar = counts[Math.ceil(rest.length / 2) - 1] ?? 0;
  const rarer = bitsOf(rest.filter((i) => (run.papers[i] ?? 0) <= bar));
  const needed = wordsNeeded(rest.length, run.words.length - rest.length);
  const bits = (result: SearchResult): number => run.covered[result.id as number] ?? 0;
  const all = found.filter((result) => (bits(result) & every) === every);
  if (all.length > 0) return { results: all, matched: 'all' };
  const some = found.filter((result) => (bits(result) & rarer) !== 0 && run.count(result.id as number) >= needed);
  return some.length > 0 ? { results: some, matched: 'some' } : null;
}

/** How many of `count` words a hit needs when it lacks some: half of them, and two beside words the corpus has nowhere. */
export function wordsNeeded(count: number, ignored: number): number {
  return Math.max(Math.ceil(count / 2), ignored > 0 ? Math.min(count, 2) : 1);
}

// A word with an umlaut is looked up by its transliteration ("Löwe" → loewe), indexed for papers printing it either way.
function searched({ term, forms }: QueryTerm): string {
  return forms[0] ?? term;
}

/** MiniSearch's fuzzy ratio for a term: edits per character, none below 5 letters or above 24. */
export function typoRatio(term: string): number | false {
  return term.length >= MIN_TYPO_LENGTH && term.length <= MAX_TYPO_LENGTH ? TYPO_RATIO : false;
}

const TYPO_RATIO = 0.2;
/** The most typos forgiven in one word (MiniSearch's `maxFuzzy`). */
export const MAX_TYPOS = 2;
const MIN_TYPO_LENGTH = 5;
const MAX_TYPO_LENGTH = 24;

/** Search options every query runs with: the words are already analyzed, so each leaf is one term as it is. */
export const ANALYZED: SearchOptions = {
  tokenize: (text) => [text],
  processTerm: (term) => term,
  boost: { ...FIELD_BOOST },
  maxFuzzy: MAX_TYPOS,
};
