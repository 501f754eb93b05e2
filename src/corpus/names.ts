/** Folding text for matching, and people's names: case- and accent-insensitive, an umlaut under both ö→o and ö→oe. */
import type { Paper } from './schema.js';

/** Lower-case letters that carry no combining accent to drop, written out in ASCII as their writers do. */
const TRANSLITERATION: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};

const TRANSLITERATED = new RegExp(`[${Object.keys(TRANSLITERATION).join('')}]`, 'g');

/** Writes out the lower-case letters that have no accent to drop (ß → ss, ø → o, þ → th); other text is kept. */
export function transliterate(text: string): string {
  return text.replace(TRANSLITERATED, (ch) => TRANSLITERATION[ch] ?? ch);
}

// An umlaut once decomposed: a, o or u (either case) followed by the combining diaeresis ("Noël" has none).
const DECOMPOSED_UMLAUT = /([aouAOU])\u0308/g;

/** Folds text for matching: lower case, accents dropped ("Löwe" → "lowe"), ß → ss, other than letters and digits one space. Idempotent. */
export function foldText(text: string): string {
  // Lower-case after decomposing: compatibility forms can decompose to capitals (ⱽ → V).
  const lower = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return transliterate(lower).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** True when the text has a German umlaut: ä, ö or ü in either case, composed or not. */
export function hasUmlaut(text: string): boolean {
  return /[aouAOU]\u0308/.test(text.normalize('NFKD'));
}

/** `foldText` with German transliteration first: ä→ae, ö→oe, ü→ue ("Löwe" → "loewe"). Equal to `foldText` for text without umlauts. */
export function foldGerman(text: string): string {
  return foldText(text.normalize('NFKD').replace(DECOMPOSED_UMLAUT, '$1e'));
}

/** The fold of paper ids and announcer keys: `foldText` with "ae", "oe", "ue" as "a", "o", "u"; not for people ("Michael" = "Michal"). */
export function foldIdentity(text: string): string {
  return foldText(text).replace(/([aou])e+/g, '$1');
}

/** The key of one spelling of a name: its accent-dropped fold (`sindy lowe`, `matthaeus kleindessner`). */
export function personKey(name: string): string {
  return foldText(name);
}

/** Every key a spelling of a name answers to ("Matthäus K" → `matthaus k`, `matthaeus k`): two that share one are one person. */
export function nameKeys(name: string): string[] {
  const plain = personKey(name);
  if (plain === '') return [];
  if (!hasUmlaut(name)) return [plain];
  const german = foldGerman(name);
  return german === plain ? [plain] : [plain, german];
}

/** The parts of a name as folded words under every key, for prefix matching on any part ("kleind", "matthae"). */
export function nameParts(name: string): string[] {
  return [...new Set(nameKeys(name).flatMap((key) => key.split(' ')))];
}

/** Of several printed spellings of one person, the one to show: the one with accents (more faithful), else the first. */
export function preferredSpelling(spellings: readonly string[]): string {
  const accented = spellings.find((s) => /[^\u0000-\u007f]/.test(s));
  return accented ?? spellings[0] ?? '';
}

/** The papers whose owners include `owner` in any spelling (a key of `nameKeys` in common): what /stats and `npm run corpus` count. */
export function papersOwnedBy(papers: readonly Paper[], owner: string): Paper[] {
  const keys = new Set(nameKeys(owner));
  return papers.filter((paper) => paper.owners.some((name) => nameKeys(name).some((key) => keys.has(key))));
}
