/**
 * Phrase and proximity: MiniSearch keeps no word positions, so the best hits of a query of two or more words
 * are re-read here. A paper whose title holds the query's words as a phrase (in order, one after another, any
 * of their forms) gains most, then one whose abstract holds the phrase, then one whose title or abstract has
 * all its matched words close together; a paper with the words scattered keeps its score.
 */
import type { Paper } from '../corpus/schema.js';
import { type QueryPlan, wordOf } from './plan.js';
import { foldedWords } from './text.js';

/** How many of the best hits are re-read (the rest keep MiniSearch's order below them). */
export const PROXIMITY_WINDOW = 100;

/** The factor a paper's score is multiplied by for how closely it holds the query's words. */
export function proximityFactor(paper: Paper, plan: QueryPlan, termWord: Map<string, number>): number {
  const count = plan.words.length;
  if (count < 2) return 1;
  const title = positions(paper.title, plan, termWord);
  if (hasPhrase(title, count)) return TITLE_PHRASE;
  const abstract = positions(paper.abstract, plan, termWord);
  if (hasPhrase(abstract, count)) return ABSTRACT_PHRASE;
  const span = Math.min(shortestSpan(title, count), shortestSpan(abstract, count));
  return span <= count + NEAR_SLACK ? NEAR : 1;
}

// The query word at each word of `text` (-1 where none), stop words included so they count as distance.
function positions(text: string, plan: QueryPlan, termWord: Map<string, number>): number[] {
  return foldedWords(text).map((word) => {
    let found = termWord.get(word);
    if (found === undefined) {
      found = wordOf(plan, word);
      termWord.set(word, found);
    }
    return found;
  });
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

const TITLE_PHRASE = 2;
const ABSTRACT_PHRASE = 1.5;
const NEAR = 1.2;
/** Words that are no query word allowed inside a phrase, in all ("score-based matching" has one). */
const PHRASE_GAPS = 1;
/** A window this many words longer than the query still counts as close. */
const NEAR_SLACK = 3;
