/**
 * Search in the page: the site's index (MiniSearch's own JSON of the same documents, fields, tokenizer and term
 * processing as the bot's index, src/search/documents.ts) loaded into MiniSearch in the browser, and a query read
 * as `/search` reads it (src/search/query.ts): every word required, the word being typed also as a prefix, an
 * unknown word of 5+ letters forgiven a typo or two, other word forms (src/search/stem.ts) at a lower weight,
 * and where no paper has every word, papers with at least half of them. Pure (no DOM), so it also runs in Node.
 *
 * Not reproduced from the bot's query layer (src/search/plan.ts and index.ts, which the page does not load):
 * the re-ranking of the best hits by phrase and nearness, and the idf-weighed choice of papers in the "some of
 * the words" fallback; the page has the same papers for a query of known words, in BM25 order.
 */
import MiniSearch, { type AsPlainObject, type Query, type SearchOptions } from 'minisearch';
import { FIELD_BOOST, FIELDS, type Field, STEMMED_FIELDS, loadOptions } from '../../search/documents.js';
import { readQuery, type YearRange } from '../../search/query.js';
import { root } from '../../search/stem.js';

/** The global `search-index.js` assigns the index to (a classic script: `file://` pages can load no JSON). */
export const SITE_INDEX_GLOBAL = 'PAPERBOT_SITE_INDEX';

/** What `search-index.js` holds: the papers' MiniSearch index, documents numbered as the page lists the papers. */
export interface SiteIndex {
  format: typeof SITE_INDEX_FORMAT;
  /** Papers in the index (ordinals 0 … papers-1, newest first). */
  papers: number;
  miniSearch: AsPlainObject;
}

/** Version of `SiteIndex`; a page refuses any other. */
export const SITE_INDEX_FORMAT = 1;

/** A query's answer: paper ordinals best first, and a year range typed among the words (a filter). */
export interface PageSearchResult {
  /** Null for a query of years alone: every paper of those years, newest first. */
  ordinals: number[] | null;
  years: YearRange | null;
  /** False when no paper had every word and these have some of them. */
  every: boolean;
}

/** The index loaded in the page. */
export class PageSearch {
  readonly #miniSearch: MiniSearch<number>;
  /** Field texts each term occurs in (the bot's vocabulary counts, read back from the index). */
  readonly #counts = new Map<string, number>();
  /** Root → the terms outside the names with that root. */
  readonly #forms = new Map<string, string[]>();

  constructor(index: SiteIndex) {
    if (index?.format !== SITE_INDEX_FORMAT) throw new Error(`site: search index has format ${String(index?.format)}, this page reads ${SITE_INDEX_FORMAT}`);
    this.#miniSearch = MiniSearch.loadJS<number>(index.miniSearch, loadOptions());
    const names = String(index.miniSearch.fieldIds['authors']);
    for (const [term, fields] of index.miniSearch.index) {
      let count = 0;
      let stemmed = false;
      for (const [field, docs] of Object.entries(fields)) {
        count += Object.keys(docs).length;
        if (field !== names) stemmed = true;
      }
      this.#counts.set(term, count);
      if (stemmed) {
        const base = root(term);
        const list = this.#forms.get(base);
        if (list === undefined) this.#forms.set(base, [term]);
        else list.push(term);
      }
    }
  }

  /** The papers matching `query`, best first; null when it has no words (list every paper). */
  search(query: string): PageSearchResult | null {
    const { terms, years } = readQuery(query);
    if (terms.length === 0) return years === null ? null : { ordinals: null, years, every: true };
    const words = terms.map(({ term, forms }, i) => this.#plan([term, ...forms], i === terms.length - 1));
    const known = words.filter((word) => word.reach > 0 || this.#reachesAny(word));
    if (known.length === 0) return { ordinals: [], years, every: true };
    const all = this.#miniSearch.search({ combineWith: 'AND', queries: known.map(groupQuery) }, PLANNED);
    if (all.length > 0 || known.length === 1) return { ordinals: all.map((hit) => hit.id as number), years, every: true };
    const needed = Math.ceil(terms.length / 2);
    const some = this.#miniSearch
      .search({ combineWith: 'OR', queries: known.map(groupQuery) }, PLANNED)
      .filter((hit) => new Set((hit.queryTerms as string[]).map((term) => known.findIndex((word) => reaches(word, term))).filter((i) => i >= 0)).size >= needed);
    return { ordinals: some.map((hit) => hit.id as number), years, every: false };
  }

  // How one word is looked up (as src/search/plan.ts plans it for /search).
  #plan(exact: string[], last: boolean): Word {
    const [term = ''] = exact;
    const isKnown = exact.some((word) => this.#counts.has(word));
    const prefix = term.length >= MIN_PREFIX_LENGTH && (last || !isKnown) && this.#hasLonger(term);
    const forms = [...new Set(exact.flatMap((word) => this.#forms.get(root(word)) ?? []))].filter((form) => !exact.includes(form));
    const reach = [...exact, ...forms].reduce((sum, word) => sum + (this.#counts.get(word) ?? 0), 0);
    const fuzzy = reach > 0 || term.length < MIN_FUZZY_LENGTH || term.length > MAX_FUZZY_TERM_LENGTH ? false : Math.min(MAX_FUZZY, Math.round(term.length * FUZZY));
    return { exact, forms, prefix, fuzzy: fuzzy === 0 ? false : fuzzy, reach };
  }

  #hasLonger(prefix: string): boolean {
    return this.#miniSearch.search(prefix, { ...PLANNED, prefix: true, boostDocument: () => 1 }).some((hit) => (hit.terms as string[]).some((term) => term !== prefix));
  }

  #reachesAny(word: Word): boolean {
    return this.#miniSearch.search(groupQuery(word), PLANNED).length > 0;
  }
}

/** One query word, planned. */
interface Word {
  exact: string[];
  forms: string[];
  prefix: boolean;
  fuzzy: number | false;
  reach: number;
}

// A word's OR group: its exact spellings field by field (so a word form scores only in a field they did not
// reach), its word forms outside the names, and the longer words it starts while being typed.
function groupQuery(word: Word): Query {
  if (word.reach === 0) return { queries: word.exact, prefix: word.prefix, fuzzy: word.fuzzy, combineWith: 'OR' };
  const reached = FIELDS.map(() => new Set<number>());
  const queries: Query[] = FIELDS.map((field, at) => ({
    queries: word.exact,
    fields: [field],
    prefix: false,
    fuzzy: false,
    boostDocument: (id: number) => (reached[at]?.add(id), 1),
  }));
  if (word.forms.length > 0) {
    for (const field of STEMMED_FIELDS) {
      const at = FIELDS.indexOf(field as Field);
      queries.push({ queries: word.forms, fields: [field], prefix: false, fuzzy: false, boostTerm: () => FORM_WEIGHT, boostDocument: (id: number) => (reached[at]?.has(id) ? 0 : 1) });
    }
  }
  if (word.prefix) queries.push({ queries: word.exact, prefix: true, fuzzy: false, boostDocument: (_id: number, term: string) => (word.exact.includes(term) || word.forms.includes(term) ? 0 : 1) });
  return { combineWith: 'OR', queries };
}

// True when a matched index term stands for the word (an exact spelling, a word form, a prefix or a typo of it).
function reaches(word: Word, term: string): boolean {
  if (word.exact.includes(term) || word.forms.includes(term)) return true;
  if (word.prefix && word.exact.some((form) => term.startsWith(form))) return true;
  return word.fuzzy !== false;
}

// Each leaf's terms are analyzed already.
const PLANNED: SearchOptions = { tokenize: (text) => [text], processTerm: (term) => term, boost: { ...FIELD_BOOST }, maxFuzzy: 3 };
/** A word form other than the one typed weighs this much of an exact match (as in /search). */
const FORM_WEIGHT = 0.6;
const MIN_PREFIX_LENGTH = 3;
const MIN_FUZZY_LENGTH = 5;
const MAX_FUZZY_TERM_LENGTH = 24;
const FUZZY = 0.2;
const MAX_FUZZY = 2;
