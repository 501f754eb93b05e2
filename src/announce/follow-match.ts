/**
 * Which members' follows a batch of new papers matches: the rule itself, pure. A follow is a saved search, so it
 * is matched by the search layer (`PaperSearch.matchingAmong`) with the same filters as /search, never by a
 * matcher of its own: an author follow is the `author` filter, a category follow the `category` filter, a topic
 * follow a query with its `category` and `has_code` filters, every word required.
 */
import type { Follow } from '../db/follows.js';
import type { PaperSearch, SearchFilters } from '../search/types.js';

/** The follows that matched, per member and paper: member id → paper id → follows (in the member's order). */
export type FollowMatches = Map<string, Map<string, Follow[]>>;

/** Matches `follows` against the papers `paperIds` (all in `index`). Members and papers with no match are absent. */
export function matchFollows(index: PaperSearch, follows: readonly Follow[], paperIds: readonly string[]): FollowMatches {
  const matches: FollowMatches = new Map();
  // Members often follow the same thing: each distinct rule is searched once.
  const byRule = new Map<string, string[]>();
  for (const follow of follows) {
    const { query, filters } = searchOf(follow);
    const rule = JSON.stringify([query, filters]);
    const found = byRule.get(rule) ?? index.matchingAmong(query, filters, paperIds);
    byRule.set(rule, found);
    for (const paperId of found) {
      const papers = matches.get(follow.userId) ?? new Map<string, Follow[]>();
      papers.set(paperId, [...(papers.get(paperId) ?? []), follow]);
      matches.set(follow.userId, papers);
    }
  }
  return matches;
}

/** The search a follow stands for. */
export function searchOf(follow: Pick<Follow, 'kind' | 'value' | 'category' | 'hasCode'>): { query: string; filters: SearchFilters } {
  if (follow.kind === 'author') return { query: '', filters: { author: follow.value } };
  if (follow.kind === 'category') return { query: '', filters: { category: follow.value } };
  const filters: SearchFilters = {};
  if (follow.category !== null) filters.category = follow.category;
  if (follow.hasCode !== null) filters.hasCode = follow.hasCode;
  return { query: follow.value, filters };
}
