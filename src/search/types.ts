/** What the commands ask of the index and get back: plain data, with no Discord types. */
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

/** The index every command queries: `PaperIndex` (index.ts). Never throws on any query text. */
export type { PaperIndex as PaperSearch } from './index.js';
