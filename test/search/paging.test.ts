/** Pages of one search: every page is a slice of the one long list, and the total does not depend on the page. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperIndex } from '../../src/search/index.js';
import type { SortOrder } from '../../src/search/types.js';
import { seedIndex } from './seed.js';

let index: PaperIndex;

beforeAll(async () => {
  ({ index } = await seedIndex());
});

describe('paging', () => {
  for (const sort of ['relevance', 'newest'] as SortOrder[]) {
    it(`joins pages of three into the full list, by ${sort}, with one total`, () => {
      for (const query of ['causal', 'causal discovery', 'learning representations', 'object centric']) {
        const full = index.search(query, { sort, limit: 100 });
        expect(full.total).toBeGreaterThan(3);
        const pages = [];
        for (let offset = 0; offset < full.hits.length; offset += 3) {
          const page = index.search(query, { sort, offset, limit: 3 });
          expect(page.total).toBe(full.total);
          pages.push(...page.hits);
        }
        expect(pages.map((hit) => [hit.paper.id, hit.score])).toEqual(full.hits.map((hit) => [hit.paper.id, hit.score]));
      }
    });
  }

  it('ranks equal scores newest first and newest sort strictly by date', () => {
    const hits = index.search('causal', { sort: 'newest', limit: 100 }).hits;
    const dates = hits.map((hit) => hit.paper.date);
    expect(dates).toEqual([...dates].sort().reverse());
    const ranked = index.search('causal', { limit: 100 }).hits.map((hit) => hit.score);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  });
});
