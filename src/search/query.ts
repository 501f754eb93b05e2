/**
 * What a member typed, read into what the index searches for: its terms (folded, stop words out) and a year or range
 * typed among the words ("causal 2021-2023"), a filter rather than a word (an abstract citing "(2022)" is no paper of 2022).
 */
import { STOP_WORDS, wordForms } from './text.js';

export const MAX_QUERY_CHARS = 256;
export const MAX_QUERY_TERMS = 12;
/** The longest name (a person, a category) read. */
export const MAX_NAME_CHARS = 200;
export const MAX_SUGGEST_CHARS = 100;
/** The most hits, people or categories given at once. */
export const MAX_LIMIT = 100;
/** The years a number typed in a query is read as a year filter within. */
const QUERY_YEAR_MIN = 1900;
const QUERY_YEAR_MAX = 2099;

/** A term of a query, with the other spellings that count as it exactly ("löwe" is also "loewe"); `forms` never has `term`. */
export interface QueryTerm {
  term: string;
  forms: string[];
}

/** An inclusive year range; one year is a range from and to it. */
export interface YearRange {
  from: number;
  to: number;
}

/** An autocomplete choice: `name` as it reads in full (src/discord cuts it to Discord's limit), `value` a paper id, person key or category code. */
export interface Suggestion {
  name: string;
  value: string;
}

interface ReadQuery {
  terms: QueryTerm[];
  /** From the earliest year typed to the latest; null when none. */
  years: YearRange | null;
  /** The stop words left out, folded, in order typed. */
  common: string[];
}

// Discord's mention and emoji syntax (<@123>, <@!123>, <@&123>, <#123>, <:name:123>, <t:123:R>) and @everyone/@here.
const MENTIONS = /<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|t:\d+(?::\w)?)>|@(?:everyone|here)\b/gi;
// A URL's scheme and host ("https://evil.com"): they name no paper; the path after them is kept.
const URL_HOSTS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#()[\]<>]*/gi;
const DIGITS = /^[0-9]+$/;
// A year or a range of years standing alone among the words: "2022", "2021-2023", "2021–23" is not one.
const YEAR_TOKEN = /^(\d{4})(?:[-\u2010\u2011\u2013\u2014](\d{4}))?$/;

/** Reads a query: mentions, a URL's scheme and host and one-letter words (but a digit) are no terms; duplicates merge. */
export function readQuery(query: string): ReadQuery {
  const text = cut(typeof query === 'string' ? query : '', MAX_QUERY_CHARS).replace(MENTIONS, ' ').replace(URL_HOSTS, ' ');
  const years: number[] = [];
  const words: string[] = [];
  for (const token of text.split(/\s+/)) {
    const match = YEAR_TOKEN.exec(token.replace(/^[([]+|[)\].,;:!?]+$/g, ''));
    const found = match === null ? [] : [Number(match[1]), ...(match[2] === undefined ? [] : [Number(match[2])])];
    if (found.length > 0 && found.every((year) => year >= QUERY_YEAR_MIN && year <= QUERY_YEAR_MAX)) years.push(...found);
    else words.push(token);
  }
  const terms = new Map<string, Set<string>>();
  const common: string[] = [];
  for (const [term = '', ...others] of wordForms(words.join(' '))) {
    if (STOP_WORDS.has(term)) common.push(term);
    if ((term.length <= 1 && !DIGITS.test(term)) || STOP_WORDS.has(term)) continue;
    const forms = terms.get(term) ?? new Set<string>();
    for (const other of others) forms.add(other);
    terms.set(term, forms);
  }
  return {
    terms: [...terms.entries()].slice(0, MAX_QUERY_TERMS).map(([term, forms]) => ({ term, forms: [...forms] })),
    years: years.length === 0 ? null : { from: Math.min(...years), to: Math.max(...years) },
    common,
  };
}

// At most `max` UTF-16 code units, never splitting a surrogate pair.
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** An integer option (a limit, an offset) within [min, max]; anything else (NaN, fractions, strings) gives the fallback. */
export function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
