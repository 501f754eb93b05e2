/**
 * Phrase and proximity: MiniSearch keeps no word positions, so the best hits of a query of two or more words are
 * re-read here and put in tiers: the phrase in the title, in the abstract, all the words close together, the rest.
 */
import type { Paper } from '../corpus/schema.js';
import { foldedWords } from './text.js';

/** How many of the best hits are re-read (the rest keep MiniSearch's order below them). */
export const PROXIMITY_WINDOW = 100;

/** How closely a paper holds the query's words, as a tier (higher first). */
export enum Proximity {
  Scattered = 0,
  Near = 1,
  PhraseInAbstract = 2,
  PhraseInTitle = 3,
}

/** The tier of a paper for `count` query words (`wordOf`: which query word a folded text word is, -1 for none). */
export function proximity(paper: Paper, count: number, wordOf: (word: string) => number): Proximity {
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

/** Words that are no query word allowed inside a phrase, in all ("score-based matching" has one). */
const PHRASE_GAPS = 1;
/** A window this many words longer than the query still counts as close. */
const NEAR_SLACK = 3;
