/** The BibTeX key: first author's family name, year, first significant title word (`wenzel2022assaying`). */
import { foldIdentity, transliterate } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';
import { citedWork } from './work.js';

/** Title words a key skips, as Google Scholar's keys do. */
const STOP_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'is', 'of', 'on', 'or', 'the', 'to', 'via', 'with']);

/** A stable key matching /^[a-z0-9]+$/, the family name folded as paper ids are (Löwe and Loewe both give `lowe`). */
export function citationKey(paper: Paper): string {
  const work = citedWork(paper);
  const family = foldIdentity(work.authors[0]?.family ?? '').replace(/[^a-z0-9]/g, '') || 'anon';
  const year = work.year.replace(/[^0-9]/g, '');
  // "Out-Of-Distribution Généralisation" → ["out", "of", "distribution", "generalisation"].
  const words = transliterate(work.title.toLowerCase()).normalize('NFKD').replace(/\p{M}+/gu, '').match(/[a-z0-9]+/g) ?? [];
  const word = words.find((w) => !STOP_WORDS.has(w)) ?? words[0] ?? 'untitled';
  return `${family}${year}${word}`;
}
