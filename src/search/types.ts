/**
 * What the commands ask of the index. `PaperIndex` (src/search/index.ts) implements it;
 * everything here is plain data, with no Discord types.
 */
import type { Category } from '../corpus/categories.js';
import type { Paper } from '../corpus/schema.js';
import type { YearRange } from './query.js';

export type { YearRange } from './query.js';

/** Sort order of a search. */
export type SortOrder = 'relevance' | 'newest';

/** Filters, usable with or without a query. Every field is optional; absent means "any". */
export interface SearchFilters {
  /** A person: any printed spelling or the person key; resolved with `personKey`. */
  author?: string;
  /** A category code or arXiv name, any case (`ME`, `stat.me`). */
  category?: string;
  /** Inclusive year range; give both the same for one year. */
  yearFrom?: number;
  yearTo?: number;
  hasCode?: boolean;
}

/** A search: filters plus order and the page wanted. */
export interface SearchOptions extends SearchFilters {
  sort?: SortOrder;
  /** Hits to skip (paging); default 0. */
  offset?: number;
  /** Hits to return; default 5, at most 100. */
  limit?: number;
}

/** One hit of a search. */
export interface SearchHit {
  paper: Paper;
  score: number;
  /**
   * The paper's words the query matched (as typed, as another word form or through a typo), folded
   * with `foldText`, for bolding in a snippet: "bommerang" gives "boomerang".
   */
  terms: string[];
}

/**
 * How the hits of a search match its words: `all`, every hit has every word; `some`, no paper has every word
 * and these have some of them (enough to count: at least half, and the rarer ones).
 */
export type MatchedWords = 'all' | 'some';

/** A page of hits and how many there are in all. */
export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** Query words the corpus has nowhere, not even within a typo, left out of the search; absent when none. */
  ignoredTerms?: string[];
  /** How the hits match the query's words; absent when there are no words or no hits. */
  matched?: MatchedWords;
  /** A year or range typed in the query ("causal 2022"), applied as a year filter; absent when none. */
  queryYears?: YearRange;
}

/** The paper a `/paper`-style lookup opens, and how many papers the words matched. */
export interface PaperLookup {
  /** The paper opened; null when nothing matches. */
  paper: Paper | null;
  /** Papers the query matched (as `search` counts them), the one opened included; 1 for an id or exact title. */
  total: number;
  /** How the search matched the words; absent for an id or exact title. */
  matched?: MatchedWords;
}

/** A person in the corpus. */
export interface Person {
  /** The normalized person key (`personKey`). */
  key: string;
  /** The spelling to show. */
  name: string;
  paperCount: number;
}

/** A coauthor of someone, with the number of papers they share. */
export interface Coauthor {
  person: Person;
  shared: number;
}

/** An autocomplete choice: `name` as it reads in full (src/discord cuts it to Discord's limit), `value` a paper id, person key or category code. */
export interface Suggestion {
  name: string;
  value: string;
}

/** Who a typed name may mean. */
export interface PersonMatch {
  /** The people it names, most prolific first; or, where none is named, the closest spellings first. */
  people: Person[];
  /** True when each person listed fits the name as typed (a spelling, or a prefix of every word); false for close spellings. */
  exact: boolean;
}

/** The index every command queries. Never throws on any query text. */
export interface PaperSearch {
  /** Number of papers indexed. */
  readonly size: number;
  /** A paper by id. */
  get(id: string): Paper | undefined;
  /** Ranked, filtered, paged search; a query without words lists the filtered papers, newest first (/latest). */
  search(query: string, options?: SearchOptions): SearchResult;
  /** Which of `paperIds` a saved search (a follow) matches: every term must match; a word no paper has matches nothing. */
  matchingAmong(query: string, filters: SearchFilters, paperIds: readonly string[]): string[];
  /** The one paper meant by an id, a title, an acronym or any words about it; null when nothing matches. */
  findPaper(query: string): Paper | null;
  /** `findPaper`, also telling how many papers the words matched (for "1 of 3 papers matching …"). */
  lookupPaper(query: string): PaperLookup;
  /** Up to `limit` titles close to a query that found nothing (for "did you mean"). */
  didYouMean(query: string, limit?: number): Paper[];
  /** Paper titles for autocomplete, best first; empty input gives the newest. Value is the paper id. */
  suggestTitles(input: string, limit: number): Suggestion[];
  /** Papers with any of these index terms, best first, never the paper `exceptId` (for related papers). */
  searchAny(terms: readonly string[], limit: number, exceptId?: string): Paper[];
  /** The people of the papers. */
  readonly people: PersonLookup;
  /** The categories of the papers. */
  readonly categories: CategoryLookup;
}

/** The people of the corpus (`People`, src/search/people.ts). Never throws on any input text. */
export interface PersonLookup {
  /** Number of distinct people. */
  readonly size: number;
  /** The person meant by a key or any spelling or a unique prefix, or a unique close spelling; null when none. */
  resolve(input: string): Person | null;
  /** Who a typed name may mean, at most `limit` (several: the name is ambiguous; not `exact`: typos forgiven). */
  match(input: string, limit: number): PersonMatch;
  /** True when `input` spells the person's name in full (any spelling or key), false when it is only a prefix of it. */
  isSpellingOf(input: string, personKey: string): boolean;
  /** People for autocomplete, best first; empty input gives the most prolific. Value is the person key. */
  suggest(input: string, limit: number): Suggestion[];
  /** All papers of a person, newest first (the page's owner has all of the page's papers). */
  papersOf(person: string): Paper[];
  /** A person's coauthors ranked by shared papers (ties by name). */
  coauthorsOf(person: string, limit?: number): Coauthor[];
  /** The papers two people share, newest first. */
  sharedPapers(a: string, b: string): Paper[];
}

/** The categories of the corpus (`Categories`, src/search/categories.ts). Never throws on any input text. */
export interface CategoryLookup {
  /** Every category with its paper count, most papers first. */
  all(): Array<{ category: Category; count: number }>;
  /** A category by code, arXiv name or label, any case; null when the corpus has none such. */
  resolve(input: string): Category | null;
  /** Categories for autocomplete; value is the code. */
  suggest(input: string, limit: number): Suggestion[];
}
