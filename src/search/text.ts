/**
 * How text becomes index terms: folded with `foldText` (case, accents, transliteration), stop words out,
 * hyphenated words kept both as parts and joined ("TC-Bench" → tc, bench, tcbench). Pure; no RegExp is
 * ever built from the text it reads.
 */
import { foldText } from '../corpus/names.js';
import { clip } from '../discord/limits.js';

/** The most characters of a query that are read; the rest is ignored. */
export const MAX_QUERY_CHARS = 256;
/** The most distinct terms of a query that are searched. */
export const MAX_QUERY_TERMS = 12;

// Words too common in abstracts to tell papers apart; folded the same way as the terms they are checked against.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have how i if in into is it its ' +
    'may might must of on or our over per s shall should so such than that the their them then there these they this ' +
    'those thus to too upon us very via was we were what when where whether which while who whom why will with would ' +
    'you your'
  )
    .split(' ')
    .map(foldText),
);

// A hyphen inside a word: ASCII hyphen, Unicode hyphen, non-breaking hyphen, en dash.
const HYPHEN = /[-\u2010\u2011\u2013]/;
const HYPHENS = /[-\u2010\u2011\u2013]/g;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * `foldText`, with a quicker path for plain ASCII text (most abstracts) that gives the same result:
 * lower case, "ae"/"oe"/"ue" collapsed, everything but letters and digits a single space.
 */
export function fold(text: string): string {
  if (!ASCII_ONLY.test(text)) return foldText(text);
  return text
    .toLowerCase()
    .replace(/([aou])e+/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** True for a folded term that is never indexed because it is too common. */
export function isStopWord(term: string): boolean {
  return STOP_WORDS.has(term);
}

/** Folded words of `text`, stop words included, in order. */
export function foldedWords(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Hyphenated words of `text` joined and folded: "Out-Of-Distribution" → "outofdistribution". */
export function joinedCompounds(text: string): string[] {
  if (!HYPHEN.test(text)) return [];
  const joined: string[] = [];
  for (const token of text.split(/\s+/)) {
    // A hyphen at the edge ("in- and out-of") joins nothing: the token must fold to two words or more.
    if (!HYPHEN.test(token) || !fold(token).includes(' ')) continue;
    const word = fold(token.replace(HYPHENS, ''));
    if (word !== '' && !word.includes(' ')) joined.push(word);
  }
  return joined;
}

/** The terms a document field is indexed under: folded words without stop words, plus joined compounds. */
export function indexTerms(text: string): string[] {
  const terms = foldedWords(text).filter((word) => !STOP_WORDS.has(word));
  for (const compound of joinedCompounds(text)) terms.push(compound);
  return terms;
}

/**
 * The terms of a query: at most `MAX_QUERY_CHARS` characters read, folded, stop words dropped
 * (unless nothing else is left), duplicates dropped, at most `MAX_QUERY_TERMS` kept.
 */
export function queryTerms(query: string): string[] {
  const words = foldedWords(clip(query, MAX_QUERY_CHARS));
  const content = words.filter((word) => !STOP_WORDS.has(word));
  return [...new Set(content.length > 0 ? content : words)].slice(0, MAX_QUERY_TERMS);
}
