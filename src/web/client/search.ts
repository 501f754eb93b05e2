/**
 * Search in the page (pure, no DOM): the bot's own query layer over the site's index, so the page finds what `/search`
 * finds, in the same order but for the re-ranking by phrase and nearness (that reads text the index does not hold).
 */
import MiniSearch, { type AsPlainObject } from 'minisearch';
import { FORM_FIELDS, LOAD_OPTIONS, WORD_FIELDS } from '../../search/documents.js';
import { ANALYZED, matchWords } from '../../search/plan.js';
import { readQuery, type YearRange } from '../../search/query.js';
import { root } from '../../search/stem.js';

/** The global `search-index.js` assigns the index to (a classic script: `file://` pages can load no JSON). */
export const SITE_INDEX_GLOBAL = 'PAPERBOT_SITE_INDEX';

/** What `search-index.js` holds: the papers' MiniSearch index, documents numbered 0, 1 … as the page lists the papers. */
export interface SiteIndex {
  format: typeof SITE_INDEX_FORMAT;
  miniSearch: AsPlainObject;
}

/** Version of `SiteIndex`; a page refuses any other. */
export const SITE_INDEX_FORMAT = 3;

/** A query's answer: paper ordinals best first, and a year range typed among the words (a filter). */
interface PageSearchResult {
  /** Null for a query of years alone: every paper of those years, newest first. */
  ordinals: number[] | null;
  years: YearRange | null;
  /** False when no paper had every word and these have some of them. */
  every: boolean;
}

/** The index loaded in the page, as a function of the query, and of whether it is being typed (its last word may be unfinished). */
export type PageSearch = (query: string, typing?: boolean) => PageSearchResult | null;

/** Loads the index; its search answers null for a query of no words and no years (list every paper). */
export function pageSearch(index: SiteIndex): PageSearch {
  if (index?.format !== SITE_INDEX_FORMAT) throw new Error(`site: search index has format ${String(index?.format)}, this page reads ${SITE_INDEX_FORMAT}`);
  const miniSearch = MiniSearch.loadJS<number>(index.miniSearch, LOAD_OPTIONS);
  return (query, typing = false) => {
    const { terms, years } = readQuery(typing ? completed(miniSearch, query) : query);
    if (terms.length === 0) return years === null ? null : { ordinals: null, years, every: true };
    const found = matchWords((words) => miniSearch.search(words, ANALYZED), terms, null, miniSearch.documentCount);
    return { ordinals: found.results.map((hit) => hit.id as number), years, every: found.matched !== 'some' };
  };
}

// For search as you type: the last word, where no word of the corpus is it (as typed or by word form), read as the commonest
// indexed word it begins ("attent" as "attention"; in the most papers, the shorter, then the first alphabetically).
function completed(miniSearch: MiniSearch<number>, query: string): string {
  const at = query.search(/\S+$/);
  if (at < 0) return query;
  const [word] = readQuery(query.slice(at)).terms;
  const spelling = word === undefined ? '' : (word.forms[0] ?? word.term);
  if (spelling.length < MIN_PREFIX_LENGTH || miniSearch.search(root(spelling), { ...ANALYZED, fields: [...FORM_FIELDS] }).length > 0) return query;
  const papers = new Map<string, number>();
  for (const hit of miniSearch.search(spelling, { ...ANALYZED, fields: [...WORD_FIELDS], prefix: true })) {
    for (const term of hit.terms) papers.set(term, (papers.get(term) ?? 0) + 1);
  }
  if (papers.size === 0 || papers.has(spelling)) return query;
  const [best] = [...papers.entries()].sort(([a, x], [b, y]) => y - x || a.length - b.length || (a < b ? -1 : 1));
  return best === undefined ? query : `${query.slice(0, at)}${best[0]}`;
}

/** The fewest letters of an unfinished word read as the beginning of a longer one. */
const MIN_PREFIX_LENGTH = 3;
