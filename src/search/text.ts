/**
 * How text becomes index terms: folded (case, accents), a German umlaut also transliterated ("Löwe" → lowe, loewe),
 * stop words out, hyphenated words kept both as parts and joined ("TC-Bench" → tc, bench, tcbench).
 */
import { foldGerman, foldText, hasUmlaut } from '../corpus/names.js';

/** Words too common in abstracts to tell papers apart, never indexed. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have how i if in into is it its ' +
    'may might must of on or our over per s shall should so such than that the their them then there these they this ' +
    'those thus to too upon us very via was we were what when where whether which while who whom why will with would ' +
    'you your'
  ).split(' '),
);

// A hyphen inside a word: ASCII hyphen, Unicode hyphen, non-breaking hyphen, en dash.
const HYPHEN = /[-\u2010\u2011\u2013]/;
const HYPHENS = /[-\u2010\u2011\u2013]/g;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** `foldText`, with a quicker path giving the same result for plain ASCII text (most abstracts). */
export function fold(text: string): string {
  if (!ASCII_ONLY.test(text)) return foldText(text);
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded words of `text`, stop words included, in order. */
export function foldedWords(text: string): string[] {
  const folded = fold(text);
  return folded === '' ? [] : folded.split(' ');
}

/** Folded words paired with their German transliteration where it differs ("Löwe" → ["lowe", "loewe"]; others → [word]). */
export function wordForms(text: string): string[][] {
  const plain = foldedWords(text);
  if (ASCII_ONLY.test(text) || !hasUmlaut(text)) return plain.map((word) => [word]);
  // Both foldings split text into the same words, so they pair by position.
  const german = foldGerman(text).split(' ');
  return plain.map((word, i) => {
    const other = german[i];
    return other === undefined || other === word ? [word] : [word, other];
  });
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

/** Compares strings by UTF-16 code units (a stable, locale-free order). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
