/**
 * The one in-memory index every command queries: each field's terms in compact postings, scored with
 * MiniSearch's BM25 and looked up (prefix, typos) through MiniSearch's radix tree; a person registry; and
 * small prefix structures for autocomplete. Built once from a corpus and never changed afterwards, so
 * swapping in a new one is a single assignment.
 */
import type { Category } from '../corpus/categories.js';
import { newestFirst } from '../corpus/merge.js';
import { foldText } from '../corpus/names.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import { LIMITS, clip, truncate } from '../discord/limits.js';
import { LruCache, TopK } from './collections.js';
import { PersonRegistry } from './people.js';
import { type AnalyzedField, FieldPostings, ScoreBoard, type TermLookup } from './postings.js';
import { compareCodeUnits } from './prefix.js';
import { type QueryTerm, analyzeQuery, fold, foldedWords, indexTerms, queryTerms, umlautPairs } from './text.js';
import { TitleSuggester } from './titles.js';
import { Vocabulary } from './vocabulary.js';
import type {
  Coauthor,
  PaperSearch,
  Person,
  SearchFilters,
  SearchHit,
  SearchOptions,
  SearchResult,
  SortOrder,
  Suggestion,
} from './types.js';

/** How the index is built. */
export interface PaperIndexOptions {
  /** Recent searches and suggestions remembered (an LRU); 0 turns the cache off. Default 500. */
  cacheSize?: number;
}

/** A paper's fields as analyzed terms. */
type AnalyzedPaper = Record<Field, AnalyzedField>;

/** Filters checked and resolved: a person key and category code the corpus has, years in order. */
interface ResolvedFilters {
  author: string | null;
  category: string | null;
  yearFrom: number | null;
  yearTo: number | null;
  hasCode: boolean | null;
}

/** The papers a search matched: ordinals, scores, and the query terms each matched. */
interface Matches {
  ids: number[];
  scores: number[];
  terms: string[][];
}

/** A ranked page before it is shown: the query terms searched and dropped, and each hit's coverage. */
interface Ranked {
  total: number;
  hits: Array<{ ordinal: number; score: number; covered: string[] }>;
  /** The query's terms, in order. */
  terms: string[];
  /** Terms the corpus has nowhere, not even within a typo: left out of the search. */
  ignored: string[];
}

/** The index over one corpus; immutable once built. */
export class PaperIndex implements PaperSearch {
  /** Newest first (ties by title, then id): a paper's position here is its ordinal. */
  readonly #papers: readonly Paper[];
  readonly #ordinalOf: ReadonlyMap<string, number>;
  readonly #ordinalOfTitle: ReadonlyMap<string, number>;
  readonly #years: Int16Array;
  readonly #hasCode: Uint8Array;
  readonly #categories: ReadonlyArray<{ category: Category; ordinals: Int32Array }>;
  /** Each field's postings, scored as MiniSearch scores them (see postings.ts). */
  readonly #postings: ReadonlyArray<{ field: Field; postings: FieldPostings }>;
  /** Scratch space of `#match`, one per index: queries run one at a time, so it is cleared and reused. */
  readonly #board: ScoreBoard;
  /** Field terms the current query reached (exact, word forms, prefix, typos): the words a snippet bolds. */
  readonly #reached = new Set<string>();
  /** A transliterated word ("loewe") → the accent-dropped word it was indexed beside ("lowe"). */
  readonly #plainOf: ReadonlyMap<string, string>;
  /** Every indexed term and the number of papers it occurs in. */
  readonly #vocabulary: Vocabulary;
  readonly #people: PersonRegistry;
  readonly #titles: TitleSuggester;
  readonly #searches: LruCache<string, SearchResult>;
  readonly #suggestions: LruCache<string, Suggestion[]>;

  private constructor(papers: readonly Paper[], options: PaperIndexOptions) {
    this.#papers = Object.freeze([...papers].sort(newestFirst));
    this.#ordinalOf = new Map(this.#papers.map((paper, ordinal) => [paper.id, ordinal]));
    const byTitle = new Map<string, number>();
    for (const [ordinal, paper] of this.#papers.entries()) {
      const title = fold(paper.title);
      if (!byTitle.has(title)) byTitle.set(title, ordinal);
    }
    this.#ordinalOfTitle = byTitle;
    this.#years = Int16Array.from(this.#papers, (paper) => Number(paper.date.slice(0, 4)));
    this.#hasCode = Uint8Array.from(this.#papers, (paper) => (paper.hasCode ? 1 : 0));
    this.#categories = groupCategories(this.#papers);
    const { postings, documentFrequency, plainOf } = buildPostings(this.#papers);
    this.#postings = postings;
    this.#plainOf = plainOf;
    this.#board = new ScoreBoard(this.#papers.length);
    this.#vocabulary = new Vocabulary(documentFrequency, stemmedTerms(postings));
    this.#people = PersonRegistry.build(this.#papers);
    this.#titles = TitleSuggester.build(this.#papers);
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#searches = new LruCache(cacheSize);
    this.#suggestions = new LruCache(cacheSize);
  }

  /** Builds the index over a corpus's papers. */
  static build(corpus: Corpus, options: PaperIndexOptions = {}): PaperIndex {
    return new PaperIndex(corpus.papers, options);
  }

  /** Number of papers indexed. */
  get size(): number {
    return this.#papers.length;
  }

  /** Number of distinct people (authors and owners). */
  get peopleCount(): number {
    return this.#people.size;
  }

  /** A paper by id. */
  get(id: string): Paper | undefined {
    const ordinal = this.#ordinalOf.get(id);
    return ordinal === undefined ? undefined : this.#papers[ordinal];
  }

  /**
   * Ranked, filtered, paged search. All query terms must match (prefix for terms of 3+ characters,
   * typo-tolerant for unknown terms of 5+); when no paper has them all, papers with any of them,
   * those with more terms first. A blank query lists the filtered papers, newest first.
   */
  search(query: string, options: SearchOptions = {}): SearchResult {
    const text = typeof query === 'string' ? query : '';
    const terms = analyzeQuery(text);
    const blank = text.trim() === '';
    const filters = this.#resolveFilters(options);
    const sort: SortOrder = options.sort === 'newest' ? 'newest' : 'relevance';
    const offset = clampInt(options.offset, 0, MAX_OFFSET, 0);
    const limit = clampInt(options.limit, 0, MAX_LIMIT, DEFAULT_LIMIT);
    const key = JSON.stringify([blank, terms, filters, sort, offset, limit]);
    const cached = this.#searches.get(key);
    if (cached !== undefined) return cached;
    const result = blank ? this.#list(filters, offset, limit) : this.#shown(this.#rank(terms, filters, sort, offset, limit));
    this.#searches.set(key, result);
    return result;
  }

  /**
   * Which of `paperIds` a saved search (a follow) matches: every query term must match, as in `search`'s first
   * step, but with no any-term fallback and no term left out (a word no paper has matches nothing); filters
   * apply as in `search`; a blank query matches what the filters allow. Unknown ids are skipped.
   */
  matchingAmong(query: string, filters: SearchFilters, paperIds: readonly string[]): string[] {
    const ordinals = paperIds.map((id) => this.#ordinalOf.get(id)).filter((ordinal): ordinal is number => ordinal !== undefined);
    if (ordinals.length === 0) return [];
    const mask = new Uint8Array(this.#papers.length);
    const allowed = this.#allowed(this.#resolveFilters(filters));
    for (const ordinal of ordinals) if (allowed === null || allowed.mask[ordinal] === 1) mask[ordinal] = 1;
    const text = typeof query === 'string' ? query : '';
    if (text.trim() === '') return ordinals.filter((ordinal) => mask[ordinal] === 1).map((ordinal) => this.#paperAt(ordinal).id);
    this.#reached.clear();
    const { plan, ignored } = this.#plan(analyzeQuery(text));
    if (ignored.length > 0 || plan.size === 0) return [];
    const every = this.#matchAll([...plan.keys()], plan, mask, 'relevance', ordinals.length);
    return every.best.ids.map((ordinal) => this.#paperAt(ordinal).id);
  }

  /**
   * The one paper meant by an id, an exact title, a run of a title's words, or else the best search hit
   * that covers at least half of the query's terms (and two of them beside a word the corpus does not
   * have); null when none does. One-letter words, mentions and a URL's scheme and host are no terms.
   */
  findPaper(query: string): Paper | null {
    const text = typeof query === 'string' ? query.trim() : '';
    if (text === '') return null;
    const byId = this.get(text.toLowerCase());
    if (byId !== undefined) return byId;
    const byTitle = this.#ordinalOfTitle.get(fold(clip(text, MAX_TITLE_CHARS)));
    if (byTitle !== undefined) return this.#papers[byTitle] ?? null;
    const ranked = this.#rank(analyzeQuery(text), this.#resolveFilters({}), 'relevance', 0, FIND_CANDIDATES);
    const { terms, ignored } = ranked;
    const needed = Math.max(Math.ceil(terms.length / 2), ignored.length > 0 ? Math.min(terms.length, 2) : 1);
    const hits = ranked.hits.filter((hit) => hit.covered.length >= needed).map((hit) => this.#paperAt(hit.ordinal));
    return hits.find((paper) => containsRun(indexTerms(paper.title), terms)) ?? hits[0] ?? null;
  }

  /**
   * Up to `limit` titles close to the query, by titles alone with generous typo tolerance, and only titles
   * with a word close to a query word (`isNear`): nonsense gets no suggestion.
   */
  didYouMean(query: string, limit = 3): Paper[] {
    const terms = queryTerms(typeof query === 'string' ? query : '');
    const count = clampInt(limit, 0, MAX_LIMIT, 3);
    if (terms.length === 0 || count === 0) return [];
    const plan = new Map(
      terms.map((term) => [
        term,
        { prefix: term.length >= MIN_PREFIX_LENGTH, fuzzy: editDistance(term, LOOSE_MIN_FUZZY_LENGTH, LOOSE_FUZZY, LOOSE_MAX_FUZZY), cost: 0 },
      ]),
    );
    const matches = this.#match(terms, plan, null, 'OR', ['title']);
    const ranked = this.#top(matches, allOf(matches), 'relevance', Math.max(count, DID_YOU_MEAN_CANDIDATES)).map((i) => this.#paperAt(matches.ids[i]));
    return ranked
      .filter((paper) => {
        const words = indexTerms(paper.title);
        return terms.some((term) => words.some((word) => isNear(term, word)));
      })
      .slice(0, count);
  }

  /** Titles for autocomplete (value: the paper id), best first; empty input gives the newest. */
  suggestTitles(input: string, limit: number = LIMITS.autocompleteChoices): Suggestion[] {
    const choice = (paper: Paper): Suggestion => ({ name: truncate(paper.title, LIMITS.choiceName), value: clip(paper.id, LIMITS.choiceValue) });
    // A pasted paper id (from a footer or a link) offers that paper.
    const byId = limit > 0 ? this.get(input.trim().toLowerCase()) : undefined;
    if (byId) return [choice(byId)];
    return this.#suggest('t', input, limit, (text, count) => this.#titles.suggest(text, count).map((ordinal) => choice(this.#paperAt(ordinal))));
  }

  /** People for autocomplete (value: the person key), most prolific first; empty input gives the most prolific. */
  suggestPeople(input: string, limit: number = LIMITS.autocompleteChoices): Suggestion[] {
    return this.#suggest('p', input, limit, (text, count) =>
      this.#people
        .suggest(text, count)
        .map((person) => ({ name: truncate(person.name, LIMITS.choiceName), value: clip(person.key, LIMITS.choiceValue) })),
    );
  }

  /** Categories for autocomplete (value: the code), by code, arXiv name or a label word; most papers first. */
  suggestCategories(input: string, limit: number = LIMITS.autocompleteChoices): Suggestion[] {
    return this.#suggest('c', input, limit, (text, count) => {
      const wanted = foldText(text);
      return this.#categories
        .filter(({ category }) => wanted === '' || categoryWords(category).some((word) => word.startsWith(wanted)))
        .slice(0, count)
        .map(({ category }) => ({
          name: truncate(`${category.label} (${category.arxiv})`, LIMITS.choiceName),
          value: clip(category.code, LIMITS.choiceValue),
        }));
    });
  }

  /** The person meant by a key, any spelling, or a prefix of name parts that fits one person only. */
  resolvePerson(input: string): Person | null {
    return typeof input === 'string' ? this.#people.resolve(clip(input, MAX_NAME_CHARS)) : null;
  }

  /** A category of the corpus by code, arXiv name or label, any case; null when the corpus has none such. */
  resolveCategory(input: string): Category | null {
    if (typeof input !== 'string') return null;
    const wanted = foldText(clip(input, MAX_NAME_CHARS));
    if (wanted === '') return null;
    const compact = wanted.replaceAll(' ', '');
    const found = this.#categories.find(
      ({ category }) =>
        foldText(category.code) === wanted ||
        foldText(category.arxiv).replaceAll(' ', '') === compact ||
        foldText(category.label) === wanted,
    );
    return found?.category ?? null;
  }

  /** Every category in the corpus with its paper count, most papers first (ties by code). */
  categories(): Array<{ category: Category; count: number }> {
    return this.#categories.map(({ category, ordinals }) => ({ category, count: ordinals.length }));
  }

  /** All papers of a person (key or any spelling), newest first; owners have all their pages' papers. */
  papersOf(person: string): Paper[] {
    const key = this.resolvePerson(person)?.key ?? '';
    return Array.from(this.#people.papersOf(key), (ordinal) => this.#paperAt(ordinal));
  }

  /** A person's coauthors ranked by shared papers, ties by name. */
  coauthorsOf(person: string, limit = 10): Coauthor[] {
    const key = this.resolvePerson(person)?.key ?? '';
    return this.#people.coauthorsOf(key, clampInt(limit, 0, Number.MAX_SAFE_INTEGER, 10));
  }

  /** The papers two people share, newest first. */
  sharedPapers(a: string, b: string): Paper[] {
    const left = this.resolvePerson(a)?.key ?? '';
    const right = this.resolvePerson(b)?.key ?? '';
    return this.#people.shared(left, right).map((ordinal) => this.#paperAt(ordinal));
  }

  /** Papers like this one (its title and its most distinctive abstract terms), never itself. */
  related(paperId: string, limit = 5): Paper[] {
    const self = this.#ordinalOf.get(paperId);
    const count = clampInt(limit, 0, MAX_LIMIT, 5);
    if (self === undefined || count === 0) return [];
    const paper = this.#paperAt(self);
    const terms = [...new Set([...indexTerms(paper.title), ...this.#distinctiveTerms(paper.abstract)])].slice(0, MAX_RELATED_TERMS);
    if (terms.length === 0) return [];
    const plan = new Map(terms.map((term): [string, TermPlan] => [term, exactPlan(this.#vocabulary.frequency(term))]));
    const others = new Uint8Array(this.#papers.length).fill(1);
    others[self] = 0;
    const matches = this.#matchAny(terms, plan, others);
    return this.#top(matches, allOf(matches), 'relevance', count).map((i) => this.#paperAt(matches.ids[i]));
  }

  /** The newest papers, newest first (ties by title, then id); filters apply. */
  latest(limit: number, filters: SearchFilters = {}): Paper[] {
    const count = clampInt(limit, 0, this.#papers.length, 0);
    const allowed = this.#allowed(this.#resolveFilters(filters));
    const ordinals = allowed === null ? null : allowed.list;
    const papers: Paper[] = [];
    for (let i = 0; papers.length < count; i += 1) {
      const ordinal = ordinals === null ? i : ordinals[i];
      if (ordinal === undefined || ordinal >= this.#papers.length) break;
      papers.push(this.#paperAt(ordinal));
    }
    return papers;
  }

  // Ranks the papers matching the query's terms: all of them if any paper has them all, else any of them.
  // Terms the corpus has nowhere (not even within a typo) are left out and reported.
  #rank(query: readonly QueryTerm[], filters: ResolvedFilters, sort: SortOrder, offset: number, limit: number): Ranked {
    this.#reached.clear();
    const { plan, ignored } = this.#plan(query);
    const all = query.map(({ term }) => term);
    const terms = all.filter((term) => plan.has(term));
    const none: Ranked = { total: 0, hits: [], terms: all, ignored };
    if (terms.length === 0) return none;
    const allowed = this.#allowed(filters);
    if (allowed !== null && allowed.list.length === 0) return none;
    const mask = allowed?.mask ?? null;
    const every = this.#matchAll(terms, plan, mask, sort, offset + limit);
    if (every.total > 0) {
      const hits = every.best.ids.slice(offset).map((ordinal, i) => ({ ordinal, score: every.best.scores[offset + i] ?? 0, covered: terms }));
      return { total: every.total, hits, terms: all, ignored };
    }
    const matches = this.#enough(terms, plan, this.#matchAny(terms, plan, mask));
    const page = this.#top(matches, allOf(matches), sort, offset + limit).slice(offset);
    const hits = page.map((i) => ({ ordinal: matches.ids[i] ?? 0, score: matches.scores[i] ?? 0, covered: matches.terms[i] ?? [] }));
    return { total: matches.ids.length, hits, terms: all, ignored };
  }

  // A ranked page as a search result: each hit with the words of the paper the query reached.
  #shown(ranked: Ranked): SearchResult {
    const hits: SearchHit[] = ranked.hits.map(({ ordinal, score }) => {
      const paper = this.#paperAt(ordinal);
      return { paper, score, terms: this.#reachedTerms(ordinal) };
    });
    return ranked.ignored.length > 0 ? { total: ranked.total, hits, ignoredTerms: ranked.ignored } : { total: ranked.total, hits };
  }

  // The paper's words the query reached, as a snippet folds them: each reached term the paper has and, for a
  // transliteration ("loewe"), the accent-dropped word it stands for ("lowe"); at most MAX_HIT_TERMS.
  #reachedTerms(ordinal: number): string[] {
    const found: string[] = [];
    for (const term of this.#reached) {
      if (found.length >= MAX_HIT_TERMS) break;
      if (!this.#postings.some(({ postings }) => postings.has(term, ordinal))) continue;
      if (!found.includes(term)) found.push(term);
      const plain = this.#plainOf.get(term);
      if (plain !== undefined && !found.includes(plain)) found.push(plain);
    }
    return found.slice(0, MAX_HIT_TERMS);
  }

  // How each query term is looked up, and how many papers that may reach (its cost). A term is known when the
  // corpus has it, another exact form of it or another word form of it (a plural, -ing, -ed). Prefix search for
  // the last term (still being typed) and for unknown terms; typo tolerance only for unknown terms of 5 to 24
  // characters, so an exact word never competes with its fuzzy neighbours. A term that reaches nothing is ignored.
  #plan(query: readonly QueryTerm[]): { plan: Map<string, TermPlan>; ignored: string[] } {
    const plan = new Map<string, TermPlan>();
    const ignored: string[] = [];
    for (const [i, { term, forms }] of query.entries()) {
      const exact = [term, ...forms];
      const stems = [...new Set(exact.flatMap((word) => this.#vocabulary.wordForms(word)))].filter((word) => !exact.includes(word));
      const exactReach = [...exact, ...stems].reduce((sum, word) => sum + this.#vocabulary.frequency(word), 0);
      const known = exactReach > 0;
      const prefix = term.length >= MIN_PREFIX_LENGTH && (i === query.length - 1 || !known);
      const fuzzy = known ? false : editDistance(term, MIN_FUZZY_LENGTH, FUZZY, MAX_FUZZY);
      const prefixReach = prefix ? this.#vocabulary.prefixFrequency(term) : 0;
      if (!known && prefixReach === 0 && (fuzzy === false || !this.#postings.some(({ postings }) => postings.hasNear(term, fuzzy)))) {
        ignored.push(term);
        continue;
      }
      // A fuzzy term's reach is unknown until the term tree is walked: rank it after any exact term.
      const reach = exactReach + prefixReach;
      plan.set(term, { prefix, fuzzy, forms, stems, cost: fuzzy === false ? reach : this.#papers.length + reach });
    }
    return { plan, ignored };
  }

  // The papers with every term, on one score board: the cheapest term picks the candidates, and each further
  // term scores only the papers that have every term before it. Returns how many papers have every term and the
  // best `count` of them by `sort`, best first (ties to the newer paper), without gathering the rest.
  #matchAll(terms: readonly string[], plan: ReadonlyMap<string, TermPlan>, mask: Uint8Array | null, sort: SortOrder, count: number): { total: number; best: Matches } {
    const ordered = byCost(terms, plan);
    const board = this.#board;
    board.clear();
    for (const [i, term] of ordered.entries()) {
      const step = plan.get(term);
      if (step !== undefined) this.#scoreTerm(term, step, 2 ** i, i === 0 ? mask : null, 2 ** i - 1, FIELDS);
    }
    const all = 2 ** ordered.length - 1;
    const { bits, scores, touched } = board;
    const best = new TopK(count);
    let total = 0;
    for (const doc of touched) {
      if (bits[doc] !== all) continue;
      total += 1;
      // MiniSearch's rule: the sum times the number of query terms matched.
      best.push(doc, sort === 'newest' ? -doc : (scores[doc] ?? 0) * terms.length);
    }
    const matches = noMatches();
    for (const doc of best.sorted()) {
      matches.ids.push(doc);
      matches.scores.push((scores[doc] ?? 0) * terms.length);
      matches.terms.push(terms as string[]);
    }
    board.clear();
    return { total, best: matches };
  }

  // The papers with any term, more terms first. The most selective terms (up to a budget of papers)
  // pick the candidates, and every term scores them; papers with only the commonest words drop out.
  #matchAny(terms: readonly string[], plan: ReadonlyMap<string, TermPlan>, mask: Uint8Array | null): Matches {
    const budget = Math.max(MIN_ANY_BUDGET, this.#papers.length * ANY_BUDGET_SHARE);
    const selective: string[] = [];
    let reach = 0;
    for (const term of byCost(terms, plan)) {
      reach += plan.get(term)?.cost ?? 0;
      if (selective.length > 0 && reach > budget) break;
      selective.push(term);
    }
    if (selective.length === terms.length) return this.#match(terms, plan, mask);
    const candidates = this.#match(selective, plan, mask);
    if (candidates.ids.length === 0) return this.#match(terms, plan, mask);
    return this.#match(terms, plan, this.#maskOf(candidates));
  }

  // The papers of an OR fallback that match enough of the query to be what it asks for: at least half of its
  // terms (exact, prefix or fuzzy) and at least half of the weight of the terms the corpus knows (by idf), so a
  // hit on one common word of a query beside a rare one drops out. One term is not enough beside a term the
  // corpus has never seen: "DINOSAUR paper" finds the paper naming DINOSAUR, "zzqx words" finds nothing.
  #enough(terms: readonly string[], plan: ReadonlyMap<string, TermPlan>, matches: Matches): Matches {
    const hits = new Map<string, number>();
    for (const covered of matches.terms) for (const term of covered) hits.set(term, (hits.get(term) ?? 0) + 1);
    const weight = new Map<string, number>();
    for (const term of terms) {
      const reach = Math.max(hits.get(term) ?? 0, this.#reach(term, plan));
      if (reach > 0) weight.set(term, idf(reach, this.#papers.length));
    }
    const knownWeight = [...weight.values()].reduce((sum, w) => sum + w, 0);
    const needed = Math.max(Math.ceil(terms.length / 2), weight.size < terms.length ? Math.min(terms.length, 2) : 1);
    const kept = noMatches();
    for (const [i, id] of matches.ids.entries()) {
      const covered = matches.terms[i] ?? [];
      const coveredWeight = covered.reduce((sum, term) => sum + (weight.get(term) ?? 0), 0);
      if (covered.length < needed || coveredWeight * 2 < knownWeight) continue;
      kept.ids.push(id);
      kept.scores.push(matches.scores[i] ?? 0);
      kept.terms.push(covered);
    }
    return kept;
  }

  // How many papers a term reaches as its plan looks it up, at most all of them; 0 for a fuzzy term (known only by its matches).
  #reach(term: string, plan: ReadonlyMap<string, TermPlan>): number {
    const step = plan.get(term);
    if (step === undefined || step.fuzzy !== false) return 0;
    return Math.min(this.#papers.length, step.cost);
  }

  // A mask over ordinals with the matched papers set.
  #maskOf(matches: Matches): Uint8Array {
    const mask = new Uint8Array(this.#papers.length);
    for (const id of matches.ids) mask[id] = 1;
    return mask;
  }

  // The filtered papers, newest first, as a page of hits.
  #list(filters: ResolvedFilters, offset: number, limit: number): SearchResult {
    const allowed = this.#allowed(filters);
    const total = allowed === null ? this.#papers.length : allowed.list.length;
    const hits: SearchHit[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i += 1) {
      const ordinal = allowed === null ? i : (allowed.list[i] ?? 0);
      hits.push({ paper: this.#paperAt(ordinal), score: 0, terms: [] });
    }
    return { total, hits };
  }

  // Scores pre-analyzed terms over the fields (all by default), summed per paper with the fields' boosts.
  // A paper's score is its sum times the number of query terms it matched (MiniSearch's own rule); AND keeps
  // only papers with every term. Gathers without sorting; masked-out papers are never scored.
  #match(terms: readonly string[], plan: ReadonlyMap<string, TermPlan>, mask: Uint8Array | null, combineWith: 'AND' | 'OR' = 'OR', fields: readonly Field[] = FIELDS): Matches {
    const board = this.#board;
    board.clear();
    for (const [i, term] of terms.entries()) {
      const step = plan.get(term);
      if (step !== undefined) this.#scoreTerm(term, step, 2 ** i, mask, 0, fields);
    }
    const all = 2 ** terms.length - 1;
    const matches = noMatches();
    for (const doc of board.touched) {
      const bits = board.bits[doc] ?? 0;
      if (combineWith === 'AND' && bits !== all) continue;
      const matched = terms.filter((_, i) => (bits & (2 ** i)) !== 0);
      matches.ids.push(doc);
      matches.scores.push((board.scores[doc] ?? 0) * matched.length);
      matches.terms.push(matched);
    }
    board.clear();
    return matches;
  }

  // Adds one query term's scores over `fields` to the board under `bit`, for papers the mask allows that have
  // every bit of `need` already.
  #scoreTerm(term: string, step: TermPlan, bit: number, mask: Uint8Array | null, need: number, fields: readonly Field[]): void {
    for (const { field, postings } of this.#postings) {
      if (!fields.includes(field)) continue;
      // Names are matched as printed: no word forms in the authors field ("Hughes" is not "Hugh").
      const lookup = field === 'authors' && step.stems !== undefined && step.stems.length > 0 ? { ...step, stems: [] } : step;
      postings.score(term, lookup, FIELD_BOOST[field], mask, this.#board, bit, this.#reached, need);
    }
  }

  // Positions (into `matches`) of the best `count` of `chosen`, by score or by newest; ties go to the newer paper.
  #top(matches: Matches, chosen: readonly number[], sort: SortOrder, count: number): number[] {
    const ordinal = (i: number): number => matches.ids[i] ?? 0;
    const score = sort === 'newest' ? (i: number) => -ordinal(i) : (i: number) => matches.scores[i] ?? 0;
    if (chosen.length <= SORT_THRESHOLD || count >= chosen.length) {
      return [...chosen].sort((a, b) => score(b) - score(a) || ordinal(a) - ordinal(b)).slice(0, count);
    }
    const best = new TopK(count);
    for (const i of chosen) best.push(ordinal(i), score(i));
    const wanted = best.sorted();
    const kept = new Set(wanted);
    const positions = new Map<number, number>();
    for (const i of chosen) if (kept.has(ordinal(i))) positions.set(ordinal(i), i);
    return wanted.map((id) => positions.get(id) ?? 0);
  }

  // The abstract's terms with the highest tf·idf that occur in at least one other paper.
  #distinctiveTerms(abstract: string): string[] {
    const counts = new Map<string, number>();
    for (const term of indexTerms(abstract)) counts.set(term, (counts.get(term) ?? 0) + 1);
    const total = this.#papers.length;
    return [...counts.entries()]
      .map(([term, count]) => {
        const frequency = this.#vocabulary.frequency(term);
        return { term, weight: frequency > 1 ? count * Math.log(total / frequency) : 0 };
      })
      .filter(({ weight }) => weight > 0)
      .sort((a, b) => b.weight - a.weight || compareCodeUnits(a.term, b.term))
      .slice(0, RELATED_ABSTRACT_TERMS)
      .map(({ term }) => term);
  }

  // Checks filters against the corpus: an unknown person or category stays as given, so it matches nothing.
  #resolveFilters(filters: SearchFilters): ResolvedFilters {
    const author = typeof filters.author === 'string' && filters.author.trim() !== '' ? filters.author : null;
    const category = typeof filters.category === 'string' && filters.category.trim() !== '' ? filters.category : null;
    let yearFrom = isYear(filters.yearFrom) ? filters.yearFrom : null;
    let yearTo = isYear(filters.yearTo) ? filters.yearTo : null;
    if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
    return {
      author: author === null ? null : (this.resolvePerson(author)?.key ?? `?${clip(author, MAX_NAME_CHARS)}`),
      category: category === null ? null : (this.resolveCategory(category)?.code ?? `?${clip(category, MAX_NAME_CHARS)}`),
      yearFrom,
      yearTo,
      hasCode: typeof filters.hasCode === 'boolean' ? filters.hasCode : null,
    };
  }

  // The papers the filters allow, ascending, with a mask by ordinal; null when nothing is filtered.
  #allowed(filters: ResolvedFilters): { list: Int32Array; mask: Uint8Array } | null {
    const { author, category, yearFrom, yearTo, hasCode } = filters;
    if (author === null && category === null && yearFrom === null && yearTo === null && hasCode === null) return null;
    let candidates: Int32Array | null = null;
    if (author !== null) candidates = this.#people.papersOf(author);
    if (category !== null) {
      const inCategory = this.#categories.find((entry) => entry.category.code === category)?.ordinals ?? new Int32Array(0);
      candidates = candidates === null ? inCategory : intersect(candidates, inCategory);
    }
    const mask = new Uint8Array(this.#papers.length);
    const list: number[] = [];
    const keep = (ordinal: number): void => {
      const year = this.#years[ordinal] ?? 0;
      if (yearFrom !== null && year < yearFrom) return;
      if (yearTo !== null && year > yearTo) return;
      if (hasCode !== null && (this.#hasCode[ordinal] === 1) !== hasCode) return;
      mask[ordinal] = 1;
      list.push(ordinal);
    };
    if (candidates === null) for (let ordinal = 0; ordinal < this.#papers.length; ordinal += 1) keep(ordinal);
    else for (const ordinal of candidates) keep(ordinal);
    return { list: Int32Array.from(list), mask };
  }

  // Suggestions through the LRU, the limit clamped to Discord's 25 choices.
  #suggest(kind: string, input: string, limit: number, make: (text: string, count: number) => Suggestion[]): Suggestion[] {
    const text = typeof input === 'string' ? clip(input, MAX_SUGGEST_CHARS) : '';
    const count = clampInt(limit, 0, LIMITS.autocompleteChoices, LIMITS.autocompleteChoices);
    const key = `${kind}${count}:${foldedWords(text).join(' ')}`;
    const cached = this.#suggestions.get(key);
    if (cached !== undefined) return cached;
    const suggestions = count === 0 ? [] : make(text, count);
    this.#suggestions.set(key, suggestions);
    return suggestions;
  }

  #paperAt(ordinal: number | undefined): Paper {
    const paper = this.#papers[ordinal ?? -1];
    if (paper === undefined) throw new Error(`search: no paper at ordinal ${String(ordinal)}`);
    return paper;
  }
}

/** How one query term is looked up (exact forms, word forms, prefix, the edits it may take), and how many papers it may reach. */
interface TermPlan extends TermLookup {
  cost: number;
}

// A plan that looks a term up exactly, in its one form.
function exactPlan(cost: number): TermPlan {
  return { prefix: false, fuzzy: false, cost };
}

// The terms of the fields matched by word form (all but the authors).
function stemmedTerms(postings: ReadonlyArray<{ field: Field; postings: FieldPostings }>): Set<string> {
  const terms = new Set<string>();
  for (const entry of postings) if (entry.field !== 'authors') for (const term of entry.postings.terms()) terms.add(term);
  return terms;
}

// Each field's postings, and how many papers each term occurs in (any field).
function buildPostings(papers: readonly Paper[]): {
  postings: Array<{ field: Field; postings: FieldPostings }>;
  documentFrequency: Map<string, number>;
  plainOf: Map<string, string>;
} {
  const documentFrequency = new Map<string, number>();
  const plainOf = new Map<string, string>();
  const analyzed: Record<Field, AnalyzedField[]> = { title: [], authors: [], abstract: [], affiliations: [], category: [] };
  for (const paper of papers) {
    const fields = analyze(paper, plainOf);
    const seen = new Set<string>();
    for (const field of FIELDS) {
      analyzed[field].push(fields[field]);
      for (const term of fields[field].terms) seen.add(term);
      for (const term of fields[field].variants) seen.add(term);
    }
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const postings: Array<{ field: Field; postings: FieldPostings }> = [];
  for (const field of FIELDS) postings.push({ field, postings: FieldPostings.build(analyzed[field]) });
  return { postings, documentFrequency, plainOf };
}

// A paper's fields as analyzed terms, words with an umlaut also under their transliteration (recorded in
// `plainOf`). Names are folded but keep short words ("An", "De"); owners count as authors.
function analyze(paper: Paper, plainOf: Map<string, string>): AnalyzedPaper {
  const category = `${paper.categoryLabel} ${paper.categoryCode} ${paper.category} ${paper.category.replaceAll('.', '')}`;
  const names = [...paper.authors, ...paper.owners].join(' · ');
  const affiliations = paper.affiliations.join(' · ');
  const variants = (text: string): string[] =>
    umlautPairs(text).map(([plain, german]) => {
      if (!plainOf.has(german)) plainOf.set(german, plain);
      return german;
    });
  return {
    title: { terms: indexTerms(paper.title), variants: variants(paper.title) },
    authors: { terms: foldedWords(names), variants: variants(names) },
    abstract: { terms: indexTerms(paper.abstract), variants: variants(paper.abstract) },
    affiliations: { terms: indexTerms(affiliations), variants: variants(affiliations) },
    category: { terms: indexTerms(category), variants: [] },
  };
}

// Categories of the corpus with their papers' ordinals, most papers first, ties by code.
function groupCategories(papers: readonly Paper[]): Array<{ category: Category; ordinals: Int32Array }> {
  const groups = new Map<string, { category: Category; ordinals: number[] }>();
  for (const [ordinal, paper] of papers.entries()) {
    const group = groups.get(paper.categoryCode);
    if (group !== undefined) group.ordinals.push(ordinal);
    else {
      const category = { code: paper.categoryCode, arxiv: paper.category, label: paper.categoryLabel };
      groups.set(paper.categoryCode, { category, ordinals: [ordinal] });
    }
  }
  return [...groups.values()]
    .map(({ category, ordinals }) => ({ category, ordinals: Int32Array.from(ordinals) }))
    .sort((a, b) => b.ordinals.length - a.ordinals.length || compareCodeUnits(a.category.code, b.category.code));
}

// The folded words a category answers to: its code, arXiv name (also without the dot) and label words.
function categoryWords(category: Category): string[] {
  return [foldText(category.code), foldText(category.arxiv), foldText(category.arxiv).replaceAll(' ', ''), ...foldedWords(category.label)];
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const inB = new Set(b);
  return a.filter((ordinal) => inB.has(ordinal));
}

function noMatches(): Matches {
  return { ids: [], scores: [], terms: [] };
}

// Terms cheapest first (fewest papers reached), ties in query order.
function byCost(terms: readonly string[], plan: ReadonlyMap<string, TermPlan>): string[] {
  return [...terms].sort((a, b) => (plan.get(a)?.cost ?? 0) - (plan.get(b)?.cost ?? 0));
}

// The edits a term may take: `ratio` per character, at most `max`, none below `minLength` or above MAX_FUZZY_TERM_LENGTH.
function editDistance(term: string, minLength: number, ratio: number, max: number): number | false {
  if (term.length < minLength || term.length > MAX_FUZZY_TERM_LENGTH) return false;
  const distance = Math.min(max, Math.round(term.length * ratio));
  return distance >= 1 ? distance : false;
}

// BM25's inverse document frequency of a term in `reach` of `total` papers; always above 0.
function idf(reach: number, total: number): number {
  return Math.log(1 + (total - reach + 0.5) / (reach + 0.5));
}

// True when `terms` occur in `words` one after another ("causal learning invariance principle" in a title).
function containsRun(words: readonly string[], terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  for (let start = 0; start + terms.length <= words.length; start += 1) {
    if (terms.every((term, i) => words[start + i] === term)) return true;
  }
  return false;
}

// True when a title word is close enough to a query word to be what was meant: within max(1, length / 4) edits,
// or the query word (4+ characters) starts it.
function isNear(term: string, word: string): boolean {
  if (term.length >= MIN_NEAR_PREFIX && word.startsWith(term)) return true;
  const allowed = Math.max(1, Math.floor(term.length / 4));
  return Math.abs(term.length - word.length) <= allowed && boundedEditDistance(term, word, allowed) <= allowed;
}

// Levenshtein distance of a and b, or `bound + 1` as soon as it must exceed `bound`.
function boundedEditDistance(a: string, b: string, bound: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > bound) return bound + 1;
    previous = current;
  }
  return previous[b.length] ?? bound + 1;
}

function allOf(matches: Matches): number[] {
  return Array.from({ length: matches.ids.length }, (_, i) => i);
}

function isYear(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 9999;
}

// An integer option within [min, max]; anything else (NaN, fractions, strings) gives the fallback.
function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

type Field = (typeof FIELDS)[number];
const FIELDS = ['title', 'authors', 'abstract', 'affiliations', 'category'] as const;
/** The title weighs most, then authors, then the abstract; affiliations and the category label little. */
const FIELD_BOOST = { title: 4, authors: 2.5, abstract: 1, affiliations: 0.7, category: 0.4 };
const DEFAULT_CACHE_SIZE = 500;
/** The most matched words a hit lists for the snippet (`SearchHit.terms`). */
export const MAX_HIT_TERMS = 24;
/** `findPaper` prefers, among this many best hits, one whose title holds the query's words in a row. */
const FIND_CANDIDATES = 5;
/** `didYouMean` checks this many close titles for a word near the query's. */
const DID_YOU_MEAN_CANDIDATES = 10;
/** A query word this long that starts a title word is near it ("segment" → "segmentation"). */
const MIN_NEAR_PREFIX = 4;

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
const MIN_PREFIX_LENGTH = 3;
const MIN_FUZZY_LENGTH = 5;
const MAX_FUZZY_TERM_LENGTH = 24;
/** Edits allowed per character of a term (MiniSearch's fuzzy ratio), capped by `MAX_FUZZY`. */
const FUZZY = 0.2;
const MAX_FUZZY = 2;
const LOOSE_FUZZY = 0.34;
const LOOSE_MIN_FUZZY_LENGTH = 4;
const LOOSE_MAX_FUZZY = 3;
/** Below this many matches a plain sort is as quick as a top-k heap. */
const SORT_THRESHOLD = 256;
/** When no paper has every term, the rarest terms pick candidates until they reach this share of papers … */
const ANY_BUDGET_SHARE = 0.1;
/** … or this many, whichever is more. */
const MIN_ANY_BUDGET = 200;
const MAX_RELATED_TERMS = 16;
const RELATED_ABSTRACT_TERMS = 8;
const MAX_TITLE_CHARS = 1_000;
const MAX_NAME_CHARS = 200;
const MAX_SUGGEST_CHARS = 100;
