/**
 * A query's words as one MiniSearch query. Each word is an OR of its root in the form fields (at `FORM_WEIGHT`)
 * and its spelling in the word fields, with typos forgiven (MiniSearch's `fuzzy`) in the words of 5 to 24
 * letters asked for (those the corpus does not have); the words are combined with AND (every word) or OR (some).
 * Prefix matching is autocomplete's, never a submitted query's: "Lowe" does not find "lower".
 *
 * MiniSearch does not say which query word reached which paper once the words are combined, so each word's
 * `boostDocument` notes it as MiniSearch walks the postings. The same boost applies the filters (0 outside
 * them: MiniSearch then builds no result for the paper), and with AND it gives 0 to a paper lacking a word
 * looked up before, since MiniSearch builds every word's results before it intersects them: longer words go
 * first, as they tend to be rarer, so a common word ("models") builds results only for the papers left.
 */
import type { Query, SearchOptions } from 'minisearch';
import { FIELD_BOOST, FORM_FIELDS, WORD_FIELDS } from './documents.js';
import type { QueryTerm } from './query.js';
import { root } from './stem.js';

/** One run of a query's words over the index: what each word reached, filled as MiniSearch searches. */
export class WordMatches {
  /** The query's words, in query order. */
  readonly words: readonly QueryTerm[];
  /** Each word's root (its word form in the form fields). */
  readonly roots: readonly string[];
  /** Per paper ordinal, a bit per word the paper has (as typed, by form, or by typo), among the papers allowed (with AND, among those with every word before it). */
  readonly covered: Uint16Array;
  /** True for a word some paper has in any way, filters aside. */
  readonly reached: boolean[];
  /** Papers (allowed by the filters) per word. */
  readonly papers: number[];
  /** The near terms a word's typos matched → the word's position. */
  readonly typos = new Map<string, number>();
  readonly #allowed: Uint8Array | null;
  readonly #fuzzy: ReadonlySet<number>;

  /**
   * `allowed`: a mask of the papers the filters allow, or null for all; `size`: the number of papers;
   * `fuzzy`: the positions of the words whose typos are forgiven.
   */
  constructor(words: readonly QueryTerm[], allowed: Uint8Array | null, size: number, fuzzy: ReadonlySet<number> = new Set()) {
    this.words = words;
    this.roots = words.map((word) => root(searched(word)));
    this.covered = new Uint16Array(size);
    this.#fuzzy = fuzzy;
    this.reached = words.map(() => false);
    this.papers = words.map(() => 0);
    this.#allowed = allowed;
  }

  /** The MiniSearch query of the words, every word (`AND`) or any (`OR`); `only` limits it to some of the words. */
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

  // The boost of word `i`'s root (`spelling` null) or spelling: notes what it reaches; 0 for a paper the filters
  // leave out or without the words of `needed`.
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

// The spelling a word is looked up by: a word with an umlaut by its transliteration ("Löwe" → loewe), which is
// indexed for every paper printing it either way ("Löwe" and "Loewe"), so both weigh alike; "Lowe" is another name.
function searched({ term, forms }: QueryTerm): string {
  return forms[0] ?? term;
}

/** MiniSearch's fuzzy ratio for a term: edits per character, none below 5 letters or above 24. */
export function typoRatio(term: string): number | false {
  return term.length >= MIN_TYPO_LENGTH && term.length <= MAX_TYPO_LENGTH ? TYPO_RATIO : false;
}

/** Edits allowed per character of a term (MiniSearch's fuzzy ratio), at most `MAX_TYPOS`. */
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
