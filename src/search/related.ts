/**
 * Papers like a given one: those with any of its title's words or of the words its abstract repeats (what it
 * is about), best first as the text search ranks them (`PaperIndex.searchAny`), never the paper itself.
 */
import type { Paper } from '../corpus/schema.js';
import { indexTerms } from './text.js';
import type { PaperSearch } from './types.js';

/** Up to `limit` papers like the paper with this id (5 by default); empty for an unknown id. */
export function relatedPapers(index: PaperSearch, paperId: string, limit = 5): Paper[] {
  const paper = typeof paperId === 'string' ? index.get(paperId) : undefined;
  if (paper === undefined) return [];
  const terms = [...new Set([...indexTerms(paper.title), ...repeatedWords(paper.abstract)])].slice(0, MAX_TERMS);
  return index.searchAny(terms, limit, paper.id);
}

// An abstract's words that it uses more than once, most used first (ties in order of first use).
function repeatedWords(abstract: string): string[] {
  const counts = new Map<string, number>();
  for (const term of indexTerms(abstract)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([term, count]) => count > 1 && term.length >= MIN_LENGTH)
    .sort((a, b) => b[1] - a[1])
    .slice(0, ABSTRACT_TERMS)
    .map(([term]) => term);
}

/** The most words looked for. */
const MAX_TERMS = 16;
/** The most abstract words looked for. */
const ABSTRACT_TERMS = 8;
/** The shortest abstract word looked for. */
const MIN_LENGTH = 3;
