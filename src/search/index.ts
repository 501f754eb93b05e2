/** The text search every command queries: the papers in one MiniSearch and the query layer around it; `save` lets `load` skip the build. */
import MiniSearch, { type Query, type SearchOptions as MiniSearchOptions, type SearchResult as MiniSearchResult } from 'minisearch';
import type { Corpus, Paper } from '../corpus/schema.js';
import { metrics, timed } from '../metrics.js';
import { type Catalog, type ResolvedFilters, type SearchFilters, allowedPapers, buildCatalog, inIndexOrder, resolveFilters } from './catalog.js';
import type { Categories } from './categories.js';
import { LOAD_OPTIONS, WORD_FIELDS, indexOptions, matchedWords } from './documents.js';
import { remember } from './lru-cache.js';
import { type Steps, addAllPaced, runNow, runPaced } from './pacing.js';
import type { People, SavedPeople } from './people.js';
import { ANALYZED, type MatchedWords, type WordsFound, everyWord, matchWords, wordsNeeded } from './plan.js';
import { MAX_LIMIT, MAX_SUGGEST_CHARS, type QueryTerm, type Suggestion, type YearRange, clampInt, readQuery } from './query.js';
import { type SavedMiniSearch, loadMiniSearch, saveMiniSearch } from './saved.js';
import { fold, foldedWords, indexTerms } from './text.js';

/** Sort order of a search. */
export type SortOrder = 'relevance' | 'newest';

/** A search: filters plus order and the page wanted. */
export interface SearchOptions extends SearchFilters {
  sort?: SortOrder;
  offset?: number;
  /** Default 5, at most 100. */
  limit?: number;
}

/** One hit of a search. */
export interface SearchHit {
  paper: Paper;
  score: number;
  /** The paper's words the query matched (as typed, by word form or by typo), folded, for bolding. */
  terms: string[];
}

/** A page of hits and how many there are in all. */
export interface SearchResult {
  total: number;
  hits: SearchHit[];
  /** Query words the corpus has nowhere, not even within a typo, left out of the search. */
  ignoredTerms?: string[];
  /** Absent when there are no words or no hits. */
  matched?: MatchedWords;
  /** A year or range typed in the query ("causal 2022"), applied as a year filter. */
  queryYears?: YearRange;
}

/** The paper a `/paper`-style lookup opens, and how many papers the words matched. */
export interface PaperLookup {
  paper: Paper | null;
  /** Papers the query matched (as `search` counts them); 1 for an id or exact title. */
  total: number;
  /** Absent for an id or exact title. */
  matched?: MatchedWords;
}

/** Version of `SavedIndex`; `load` refuses any other. Raise it whenever the saved shape or the analysis changes. */
export const INDEX_FORMAT_VERSION = 3;

/** Everything `load` needs besides the corpus: `json` plain data with Maps and typed arrays (for `node:v8`), `postings` the bulk. */
export interface SavedIndex {
  json: {
    version: number;
    /** In index order: the corpus it is loaded with must have exactly these. */
    paperIds: string[];
    miniSearch: SavedMiniSearch['json'];
    titles: SavedMiniSearch;
    people: SavedPeople;
  };
  postings: Uint32Array;
}

interface PaperIndexOptions {
  /** Recent searches and suggestions remembered (an LRU); 0 turns the cache off. Default 500. */
  cacheSize?: number;
}

/** A ranked list before it is paged: hits best first, and how the words matched. */
interface Ranked extends Omit<WordsFound, 'results'> {
  hits: RankedHit[];
}

interface RankedHit {
  ordinal: number;
  /** Scattered past the window re-read and for one-word queries. */
  tier: Proximity;
  result: MiniSearchResult;
}

/** The index over one corpus; immutable once built. */
export class PaperIndex {
  /** Newest first (ties by title, then id): a paper's position here is its ordinal and its MiniSearch id. */
  readonly #papers: readonly Paper[];
  readonly #miniSearch: MiniSearch<number>;
  readonly #catalog: Catalog;
  readonly #cacheSize: number;
  readonly #searches = new Map<string, SearchResult>();
  readonly #suggestions = new Map<string, Suggestion[]>();
  readonly people: People;
  readonly categories: Categories;
  /** Runs a query of analyzed words, as plan.ts builds them. */
  readonly #search = (query: Query): MiniSearchResult[] => this.#miniSearch.search(query, ANALYZED);

  private constructor(papers: readonly Paper[], miniSearch: MiniSearch<number>, catalog: Catalog, options: PaperIndexOptions) {
    this.#papers = papers;
    this.#miniSearch = miniSearch;
    this.#catalog = catalog;
    this.people = catalog.people;
    this.categories = catalog.categories;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
  }

  /** Builds the index over a corpus's papers in one go (tests, the CLI). */
  static build(corpus: Corpus, options: PaperIndexOptions = {}): PaperIndex {
    return runNow(PaperIndex.#build(corpus, options));
  }

  /** `build`, paced: the bot keeps answering meanwhile. */
  static async buildAsync(corpus: Corpus, options: PaperIndexOptions = {}): Promise<PaperIndex> {
    return runPaced(PaperIndex.#build(corpus, options));
  }

  static *#build(corpus: Corpus, options: PaperIndexOptions): Steps<PaperIndex> {
    const papers = inIndexOrder(corpus.papers);
    const miniSearch = new MiniSearch<number>(indexOptions(papers));
    yield* addAllPaced(miniSearch, papers.length, ADD_CHUNK);
    return new PaperIndex(papers, miniSearch, yield* buildCatalog(papers), options);
  }

  /** Loads what `save` gave for the same corpus; throws for another format version or other papers. */
  static load(corpus: Corpus, saved: SavedIndex, options: PaperIndexOptions = {}): PaperIndex {
    const papers = checkedPapers(corpus, saved?.json);
    const { json, postings } = saved;
    const miniSearch = loadMiniSearch<number>({ json: json.miniSearch, postings }, LOAD_OPTIONS);
    return new PaperIndex(papers, miniSearch, runNow(buildCatalog(papers, json)), options);
  }

  /** Everything `load` needs besides the corpus. */
  save(): SavedIndex {
    const { json, postings } = saveMiniSearch(this.#miniSearch);
    const paperIds = this.#papers.map((paper) => paper.id);
    const { titles, people } = this.#catalog;
    return { json: { version: INDEX_FORMAT_VERSION, paperIds, miniSearch: json, titles: titles.save(), people: people.save() }, postings };
  }

  /** Number of papers indexed. */
  get size(): number {
    return this.#papers.length;
  }

  /** A paper by id. */
  get(id: string): Paper | undefined {
    return this.#papers[this.#catalog.ordinalOf.get(id) ?? -1];
  }

  /** Ranked, filtered, paged search of whole words, else of enough of them (`matched`); no words lists the filtered papers, newest first. */
  search(query: string, options: SearchOptions = {}): SearchResult {
    return timed(metrics.searchLatency, () => {
      const text = typeof query === 'string' ? query : '';
      const { terms, years } = readQuery(text);
      const blank = terms.length === 0 && (text.trim() === '' || years !== null);
      const filters = resolveFilters(options, this.#catalog, years);
      const sort: SortOrder = options.sort === 'newest' ? 'newest' : 'relevance';
      const offset = clampInt(options.offset, 0, MAX_OFFSET, 0);
      const limit = clampInt(options.limit, 0, MAX_LIMIT, DEFAULT_LIMIT);
      return remember(this.#searches, this.#cacheSize, JSON.stringify([blank, terms, filters, sort, offset, limit, years]), () => {
        const found = blank ? this.#list(filters, offset, limit) : this.#shown(this.#rank(terms, filters, sort), offset, limit);
        return years === null ? found : { ...found, queryYears: years };
      });
    });
  }

  /** Which of `paperIds` a follow's saved search matches: every word (no fallback) within the filters; no words, what they allow. */
  matchingAmong(query: string, filters: SearchFilters, paperIds: readonly string[]): string[] {
    const ordinals = paperIds.map((id) => this.#catalog.ordinalOf.get(id)).filter((ordinal): ordinal is number => ordinal !== undefined);
    if (ordinals.length === 0) return [];
    const { terms, years } = readQuery(query);
    const allowed = allowedPapers(resolveFilters(filters, this.#catalog, years), this.#catalog);
    const mask = new Uint8Array(this.#papers.length);
    for (const ordinal of ordinals) if (allowed === null || allowed.mask[ordinal] === 1) mask[ordinal] = 1;
    const found = terms.length === 0 ? null : new Set(everyWord(this.#search, terms, mask, this.#papers.length).results.map((result) => result.id));
    return ordinals.filter((ordinal) => (found === null ? mask[ordinal] === 1 : found.has(ordinal))).map((ordinal) => this.#paperAt(ordinal).id);
  }

  /** The paper meant by an id, an exact title, or the best hit with enough of the words (a title holding them in a row first). */
  lookupPaper(query: string): PaperLookup {
    const text = typeof query === 'string' ? query.trim() : '';
    if (text === '') return { paper: null, total: 0 };
    const byId = this.get(text.toLowerCase());
    if (byId !== undefined) return { paper: byId, total: 1 };
    const byTitle = this.#catalog.ordinalOfTitle.get(fold(text.slice(0, MAX_TITLE_CHARS)));
    if (byTitle !== undefined) return { paper: this.#paperAt(byTitle), total: 1 };
    const { terms, years } = readQuery(text);
    if (terms.length === 0) return { paper: null, total: 0 };
    const { hits, ignored, matched, run } = this.#rank(terms, resolveFilters({}, this.#catalog, years), 'relevance');
    const needed = wordsNeeded(terms.length, ignored.length);
    const covered = (hit: RankedHit): number => (matched === 'all' ? terms.length - ignored.length : (run?.count(hit.ordinal) ?? 0));
    const candidates = hits.filter((hit) => covered(hit) >= needed).slice(0, FIND_CANDIDATES).map((hit) => this.#paperAt(hit.ordinal));
    const words = ` ${terms.map(({ term }) => term).join(' ')} `;
    const paper = candidates.find((candidate) => ` ${indexTerms(candidate.title).join(' ')} `.includes(words)) ?? candidates[0] ?? null;
    if (paper === null) return { paper: null, total: 0 };
    return { paper, total: hits.length, ...(matched === null ? {} : { matched }) };
  }

  /** Up to `limit` titles close to the query: a title word within max(1, length / 4) edits of a query word, or one it starts. */
  didYouMean(query: string, limit = 3): Paper[] {
    const { terms } = readQuery(query);
    const count = clampInt(limit, 0, MAX_LIMIT, 3);
    if (terms.length === 0 || count === 0) return [];
    return this.#best(
      terms.map(({ term }) => term),
      { fields: ['title'], fuzzy: (term) => Math.max(1, Math.floor(term.length / 4)), prefix: (term) => term.length >= MIN_NEAR_PREFIX },
      count,
    );
  }

  /** Titles for autocomplete (value: the paper id), best first; empty input gives the newest. */
  suggestTitles(input: string, limit: number): Suggestion[] {
    const choice = (paper: Paper): Suggestion => ({ name: paper.title, value: paper.id });
    // A pasted paper id (from a footer or a link) offers that paper.
    const byId = limit > 0 && typeof input === 'string' ? this.get(input.trim().toLowerCase()) : undefined;
    if (byId) return [choice(byId)];
    // The caller's limit: Discord's 25 choices are src/discord's.
    const text = typeof input === 'string' ? input.slice(0, MAX_SUGGEST_CHARS) : '';
    const count = clampInt(limit, 0, MAX_LIMIT, 0);
    return remember(this.#suggestions, this.#cacheSize, `${count}:${fold(text)}`, () =>
      count === 0 ? [] : this.#catalog.titles.suggest(text, count).map((ordinal) => choice(this.#paperAt(ordinal))),
    );
  }

  /** Up to `limit` papers like this one (with its title's words or those its abstract repeats), best first, never itself; none for an unknown id. */
  related(paperId: string, limit = 5): Paper[] {
    const self = this.#catalog.ordinalOf.get(paperId);
    const count = clampInt(limit, 0, MAX_LIMIT, 0);
    if (self === undefined || count === 0) return [];
    const { title, abstract } = this.#paperAt(self);
    const terms = [...new Set([...indexTerms(title), ...repeatedWords(abstract)])].slice(0, MAX_RELATED_TERMS);
    if (terms.length === 0) return [];
    return this.#best(terms, { fields: [...WORD_FIELDS], boostDocument: (ordinal: number) => (ordinal === self ? 0 : 1) }, count);
  }

  // The best `count` papers with any of the terms, searched with `options` besides `ANALYZED`'s.
  #best(terms: string[], options: MiniSearchOptions, count: number): Paper[] {
    const results = this.#miniSearch.search({ combineWith: 'OR', queries: terms }, { ...ANALYZED, ...options });
    return results.slice(0, count).map((result) => this.#paperAt(result.id as number));
  }

  // Ranks the papers with the query's words as the site's page does, then re-reads the best hits for phrase and nearness.
  #rank(words: readonly QueryTerm[], filters: ResolvedFilters, sort: SortOrder): Ranked {
    const allowed = allowedPapers(filters, this.#catalog);
    if (words.length === 0 || (allowed !== null && allowed.list.length === 0)) return { hits: [], ignored: [], matched: null, run: null };
    const { results, run, matched, ignored } = matchWords(this.#search, words, allowed?.mask ?? null, this.#papers.length);
    if (run === null || matched === null) return { hits: [], ignored, matched: null, run: null };
    const hits: RankedHit[] = results.map((result) => ({ ordinal: result.id as number, tier: Proximity.Scattered, result }));
    if (sort === 'newest') hits.sort((a, b) => a.ordinal - b.ordinal);
    else {
      const counted = words.length - ignored.length;
      for (const hit of hits.slice(0, PROXIMITY_WINDOW)) hit.tier = proximity(this.#paperAt(hit.ordinal), counted, (word) => run.wordOf(word));
      hits.sort(byScore);
    }
    return { hits, ignored, matched, run };
  }

  #shown(ranked: Ranked, offset: number, limit: number): SearchResult {
    const hits = ranked.hits.slice(offset, offset + limit).map(({ ordinal, result }): SearchHit => {
      const paper = this.#paperAt(ordinal);
      return { paper, score: result.score, terms: matchedWords(paper, result) };
    });
    const result: SearchResult = { total: ranked.hits.length, hits };
    if (ranked.ignored.length > 0) result.ignoredTerms = ranked.ignored;
    if (ranked.matched !== null && ranked.hits.length > 0) result.matched = ranked.matched;
    return result;
  }

  // The filtered papers, newest first, as a page of hits.
  #list(filters: ResolvedFilters, offset: number, limit: number): SearchResult {
    const allowed = allowedPapers(filters, this.#catalog);
    const ordinals = allowed?.list.subarray(offset, offset + limit);
    const papers = ordinals === undefined ? this.#papers.slice(offset, offset + limit) : Array.from(ordinals, (ordinal) => this.#paperAt(ordinal));
    return { total: allowed?.list.length ?? this.#papers.length, hits: papers.map((paper) => ({ paper, score: 0, terms: [] })) };
  }

  #paperAt(ordinal: number | undefined): Paper {
    const paper = this.#papers[ordinal ?? -1];
    if (paper === undefined) throw new Error(`search: no paper at ordinal ${String(ordinal)}`);
    return paper;
  }
}

// The corpus's papers in index order, checked against a saved index: same format version, same papers.
function checkedPapers(corpus: Corpus, persisted: SavedIndex['json'] | undefined): readonly Paper[] {
  if (persisted === null || typeof persisted !== 'object' || persisted.version !== INDEX_FORMAT_VERSION) {
    const found = persisted !== null && typeof persisted === 'object' ? String(persisted.version) : typeof persisted;
    throw new Error(`search: saved index has format version ${found}, this code reads version ${INDEX_FORMAT_VERSION}; rebuild it`);
  }
  const papers = inIndexOrder(corpus.papers);
  const ids = persisted.paperIds;
  if (!Array.isArray(ids) || ids.length !== papers.length || papers.some((paper, ordinal) => paper.id !== ids[ordinal])) {
    throw new Error(`search: saved index is of ${Array.isArray(ids) ? ids.length : 0} other papers, not of this corpus's ${papers.length}; rebuild it`);
  }
  return papers;
}

// An abstract's words that it uses more than once, most used first (ties in order of first use).
function repeatedWords(abstract: string): string[] {
  const counts = new Map<string, number>();
  for (const term of indexTerms(abstract)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([term, count]) => count > 1 && term.length >= MIN_RELATED_LENGTH)
    .sort((a, b) => b[1] - a[1])
    .slice(0, RELATED_ABSTRACT_TERMS)
    .map(([term]) => term);
}

// Higher tier first, then higher score; scores equal but for rounding count as a tie, which the newer paper wins.
function byScore(a: RankedHit, b: RankedHit): number {
  if (a.tier !== b.tier) return b.tier - a.tier;
  const difference = b.result.score - a.result.score;
  return Math.abs(difference) > SCORE_EPSILON * Math.max(Math.abs(a.result.score), Math.abs(b.result.score)) ? difference : a.ordinal - b.ordinal;
}

/** How closely a paper holds the query's words, as a tier (higher first, by score within one): MiniSearch keeps no word positions. */
enum Proximity {
  Scattered = 0,
  Near = 1,
  PhraseInAbstract = 2,
  PhraseInTitle = 3,
}

// The tier of a paper for `count` query words (`wordOf`: which query word a folded text word is, -1 for none).
function proximity(paper: Paper, count: number, wordOf: (word: string) => number): Proximity {
  if (count < 2) return Proximity.Scattered;
  const title = foldedWords(paper.title).map(wordOf);
  if (hasPhrase(title, count)) return Proximity.PhraseInTitle;
  const abstract = foldedWords(paper.abstract).map(wordOf);
  if (hasPhrase(abstract, count)) return Proximity.PhraseInAbstract;
  const span = Math.min(shortestSpan(title, count), shortestSpan(abstract, count));
  return span <= count + NEAR_SLACK ? Proximity.Near : Proximity.Scattered;
}

// True when words 0, 1, …, count − 1 follow one another, stop words between them allowed ("learning of representations").
function hasPhrase(words: readonly number[], count: number): boolean {
  for (let start = 0; start < words.length; start += 1) {
    if (words[start] !== 0) continue;
    let next = 1;
    for (let at = start + 1; at < words.length && next < count && at - start <= count + PHRASE_GAPS; at += 1) {
      if (words[at] === next) next += 1;
      else if (words[at] !== -1) break;
    }
    if (next === count) return true;
  }
  return false;
}

// The fewest consecutive words that hold every query word (any order); Infinity when some word is missing.
function shortestSpan(words: readonly number[], count: number): number {
  const seen = new Array<number>(count).fill(0);
  let covered = 0;
  let best = Number.POSITIVE_INFINITY;
  let left = 0;
  for (let right = 0; right < words.length; right += 1) {
    const word = words[right] ?? -1;
    if (word < 0) continue;
    if ((seen[word] ?? 0) === 0) covered += 1;
    seen[word] = (seen[word] ?? 0) + 1;
    while (covered === count) {
      best = Math.min(best, right - left + 1);
      const dropped = words[left] ?? -1;
      left += 1;
      if (dropped < 0) continue;
      seen[dropped] = (seen[dropped] ?? 0) - 1;
      if (seen[dropped] === 0) covered -= 1;
    }
  }
  return best;
}

const DEFAULT_CACHE_SIZE = 500;
/** Relative difference below which two scores are equal. */
const SCORE_EPSILON = 1e-9;
/** Papers added to MiniSearch between two yields of the build. */
const ADD_CHUNK = 25;
/** `lookupPaper` prefers, among this many best hits, one whose title holds the query's words in a row. */
const FIND_CANDIDATES = 5;
/** A query word this long that starts a title word is near it. */
const MIN_NEAR_PREFIX = 4;
const DEFAULT_LIMIT = 5;
const MAX_OFFSET = 10_000;
/** The most words `related` looks for, and the most of them from the abstract. */
const MAX_RELATED_TERMS = 16;
const RELATED_ABSTRACT_TERMS = 8;
/** The shortest abstract word `related` looks for. */
const MIN_RELATED_LENGTH = 3;
const MAX_TITLE_CHARS = 1_000;
/** How many of the best hits are re-read for phrase and nearness (the rest keep MiniSearch's order below them). */
const PROXIMITY_WINDOW = 100;
/** Words that are no query word allowed inside a phrase, in all ("score-based matching" has one). */
const PHRASE_GAPS = 1;
/** A window this many words longer than the query still counts as close. */
const NEAR_SLACK = 3;
