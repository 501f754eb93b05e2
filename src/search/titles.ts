/**
 * Title autocomplete: every folded title word (and joined hyphenated word) in a `PrefixIndex`, plus the
 * acronyms an abstract names ("DINOSAUR", "NoGAM") as a second, weaker index. Papers are numbered newest
 * first, so the prefix walk yields the newest matches first and stops as soon as it has enough.
 */
import type { Paper } from '../corpus/schema.js';
import { PrefixIndex } from './prefix.js';
import { fold, foldedWords, joinedCompounds } from './text.js';

/** How many papers one suggestion may visit before the walk stops. */
const SUGGEST_BUDGET = 5_000;
/** The most acronyms taken from one abstract. */
const MAX_ACRONYMS = 12;


/** Titles (and abstract acronyms) by word prefix, for autocomplete. */
export class TitleSuggester {
  readonly #count: number;
  readonly #words: PrefixIndex;
  readonly #acronyms: PrefixIndex;
  /** `' ' + words.join(' ')` per paper: "does a word start with t" is `includes(' ' + t)`. */
  readonly #wordsText: string[];
  readonly #foldedTitle: string[];

  private constructor(papers: readonly Paper[]) {
    this.#count = papers.length;
    const titleWords = papers.map((paper) => [...foldedWords(paper.title), ...joinedCompounds(paper.title)]);
    const acronymWords = papers.map((paper) => acronymsOf(paper.abstract));
    this.#foldedTitle = papers.map((paper) => fold(paper.title));
    this.#wordsText = titleWords.map((words, i) => ` ${[...words, ...(acronymWords[i] ?? [])].join(' ')}`);
    this.#words = PrefixIndex.build(pairs(titleWords));
    this.#acronyms = PrefixIndex.build(pairs(acronymWords));
  }

  /** Builds the suggester over papers in ordinal order (newest first). */
  static build(papers: readonly Paper[]): TitleSuggester {
    return new TitleSuggester(papers);
  }

  /**
   * Paper ordinals for an input, best first: titles starting with the input, then titles with a word
   * starting with each input word, then papers whose abstract names a matching acronym; newest first
   * within each. Empty input gives the newest.
   */
  suggest(input: string, limit: number): number[] {
    const words = foldedWords(input);
    if (words.length === 0) return Array.from({ length: Math.min(limit, this.#count) }, (_, i) => i);
    const phrase = words.join(' ');
    const starting: number[] = [];
    const containing: number[] = [];
    this.#walk(this.#words, words, (ordinal) => {
      if ((this.#foldedTitle[ordinal] ?? '').startsWith(phrase)) starting.push(ordinal);
      else if (containing.length < limit) containing.push(ordinal);
      return starting.length < limit;
    });
    const found = [...starting, ...containing].slice(0, limit);
    if (found.length < limit) {
      const seen = new Set(found);
      this.#walk(this.#acronyms, words, (ordinal) => {
        if (!seen.has(ordinal)) found.push(ordinal);
        return found.length < limit;
      });
    }
    return found;
  }

  // Visits the papers matching every word in `index`, newest first, within the budget.
  #walk(index: PrefixIndex, words: readonly string[], visit: (ordinal: number) => boolean): void {
    index.walkMatching(words, (ordinal) => this.#wordsText[ordinal] ?? '', visit, SUGGEST_BUDGET);
  }
}

/** Acronym-like words of an abstract (two or more capitals: "DINOSAUR", "NoGAM", "TC-Bench"), folded. */
export function acronymsOf(abstract: string): string[] {
  const found = new Set<string>();
  for (const word of abstract.split(/\s+/)) {
    if (word.length < 3 || word.length > 30 || capitals(word) < 2) continue;
    for (const term of [...foldedWords(word), ...joinedCompounds(word)]) found.add(term);
    if (found.size >= MAX_ACRONYMS) break;
  }
  return [...found];
}

// (word, ordinal) pairs of per-paper word lists.
function* pairs(wordLists: readonly string[][]): Generator<[string, number]> {
  for (const [ordinal, words] of wordLists.entries()) for (const word of words) yield [word, ordinal];
}

// How many capital letters a word has.
function capitals(word: string): number {
  let count = 0;
  for (const ch of word) {
    const code = ch.charCodeAt(0);
    if (code < 128 ? code >= 65 && code <= 90 : ch !== ch.toLowerCase()) count += 1;
  }
  return count;
}
