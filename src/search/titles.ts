/** Title autocomplete: a small MiniSearch over the titles' words and the acronyms an abstract names ("DINOSAUR"), by prefix. */
import MiniSearch, { type Options } from 'minisearch';
import type { Paper } from '../corpus/schema.js';
import { type Steps, addAllPaced } from './pacing.js';
import { type SavedMiniSearch, loadMiniSearch, saveMiniSearch } from './saved.js';
import { foldedWords, joinedCompounds } from './text.js';

/** The most acronyms taken from one abstract. */
const MAX_ACRONYMS = 12;
/** Papers added between two yields of the build. */
const CHUNK = 50;
/** The shortest last word searched by prefix (one letter would reach nearly every title; it only narrows). */
const MIN_LAST_WORD = 2;
/** Suggestions are looked for among this many newest papers first, and among all only when those give too few. */
const WINDOW = 5_000;

/** Titles (and abstract acronyms) by word prefix, for autocomplete. */
export class TitleSuggester {
  private constructor(private readonly miniSearch: MiniSearch<number>, private readonly foldedTitle: string[]) {}

  /** Builds the suggester over papers in index order and their folded titles, a step at a time. */
  static *build(papers: readonly Paper[], foldedTitle: string[]): Steps<TitleSuggester> {
    const miniSearch = new MiniSearch<number>(titleOptions(papers));
    yield* addAllPaced(miniSearch, papers.length, CHUNK);
    return new TitleSuggester(miniSearch, foldedTitle);
  }

  /** The suggester `save` saved for these papers (and their folded titles). */
  static load(papers: readonly Paper[], foldedTitle: string[], saved: SavedMiniSearch): TitleSuggester {
    return new TitleSuggester(loadMiniSearch(saved, titleOptions(papers)), foldedTitle);
  }

  /** What `load` needs besides the papers. */
  save(): SavedMiniSearch {
    return saveMiniSearch(this.miniSearch);
  }

  /** Paper ordinals for an input, best first, newest first within a kind; empty input gives the newest. */
  suggest(input: string, limit: number): number[] {
    const words = foldedWords(input);
    const last = words[words.length - 1] ?? '';
    const searched = last.length < MIN_LAST_WORD ? words.slice(0, -1) : words;
    const narrow = last.length < MIN_LAST_WORD && last !== '' ? last : null;
    const hasNarrow = (ordinal: number): boolean => narrow === null || (` ${this.foldedTitle[ordinal] ?? ''}`).includes(` ${narrow}`);
    if (searched.length === 0) return this.#newest(limit, hasNarrow);
    const phrase = words.join(' ');
    // The newest papers first: a short prefix reaches most titles, and building a result for each is the cost.
    const size = this.foldedTitle.length;
    const window = size > WINDOW && limit <= WINDOW ? WINDOW : size;
    const found = this.#ranked(searched, phrase, hasNarrow, limit, window);
    return found.length >= limit || window === size ? found : this.#ranked(searched, phrase, hasNarrow, limit, size);
  }

  // The best `limit` among the `window` newest papers.
  #ranked(searched: readonly string[], phrase: string, hasNarrow: (ordinal: number) => boolean, limit: number, window: number): number[] {
    const results = this.miniSearch.search(
      { combineWith: 'AND', queries: [...searched] },
      { prefix: true, fuzzy: false, tokenize: (text) => [text], processTerm: (term) => term, boostDocument: (ordinal: number) => (ordinal < window ? 1 : 0) },
    );
    const starting: number[] = [];
    const containing: number[] = [];
    const acronyms: number[] = [];
    for (const result of results) {
      const ordinal = result.id as number;
      if (!hasNarrow(ordinal)) continue;
      if ((this.foldedTitle[ordinal] ?? '').startsWith(phrase)) starting.push(ordinal);
      else if (Object.values(result.match).every((fields) => fields.includes('title'))) containing.push(ordinal);
      else acronyms.push(ordinal);
    }
    const newestFirst = (a: number, b: number): number => a - b;
    return [...starting.sort(newestFirst), ...containing.sort(newestFirst), ...acronyms.sort(newestFirst)].slice(0, limit);
  }

  // The newest titles that `hasNarrow` keeps.
  #newest(limit: number, hasNarrow: (ordinal: number) => boolean): number[] {
    const found: number[] = [];
    for (let ordinal = 0; ordinal < this.foldedTitle.length && found.length < limit; ordinal += 1) {
      if (hasNarrow(ordinal)) found.push(ordinal);
    }
    return found;
  }
}

function titleOptions(papers: readonly Paper[]): Options<number> {
  return {
    fields: ['title', 'acronyms'],
    storeFields: [],
    extractField: (ordinal, field) => {
      if (field === 'id') return ordinal;
      return field === 'title' ? papers[ordinal]?.title : papers[ordinal]?.abstract;
    },
    tokenize: (text, field) => (field === 'title' ? [...foldedWords(text), ...joinedCompounds(text)] : acronymsOf(text)),
    processTerm: (term) => term,
  };
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

function capitals(word: string): number {
  let count = 0;
  for (const ch of word) if (ch < '\x80' ? ch >= 'A' && ch <= 'Z' : ch !== ch.toLowerCase()) count += 1;
  return count;
}
