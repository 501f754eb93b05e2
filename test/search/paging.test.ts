/** Pages of one search: every page is a slice of the one long list, and the total does not depend on the page. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusFromFiles } from '../../src/corpus/load.js';
import { PaperIndex } from '../../src/search/index.js';
import type { SortOrder } from '../../src/search/types.js';
import { AS_OF, seedIndex } from './seed.js';

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
    // Twins: the same words in every field but a one-letter tag, dated apart; the older is listed first on the page.
    const zebras = ['Zebra stripes in plain view', 'Zebra herds', 'Zebra foals', 'Zebra migrations'];
    const twins = PaperIndex.build(loadCorpusFromFiles([{ file: 'twins.txt', text: twinsPage(['Mar 3, 2021', 'Sep 14, 2023', 'Jan 5, 2022'], zebras) }], { asOf: AS_OF }));
    const newestToOldest = ['Widget flows X', 'Widget flows Y', 'Widget flows W'];
    // Every word matched, then only some: no paper has "widget" and "zebra", and the twins' word is the rarer of the two
    // (the zebra papers, with the commoner word alone, drop out). Both ways of ranking break ties alike.
    for (const [query, before] of [['widget flows', []], ['widget zebra', []]] as const) {
      const hits = twins.search(query, { limit: 10 }).hits;
      expect(new Set(hits.slice(before.length).map((hit) => hit.score)).size).toBe(1);
      expect(hits.map((hit) => hit.paper.title)).toEqual([...before, ...newestToOldest]);
      const cut = twins.search(query, { limit: before.length + 1 }).hits;
      expect(cut.map((hit) => hit.paper.title)).toEqual([...before, newestToOldest[0]]);
    }

    const hits = index.search('causal', { sort: 'newest', limit: 100 }).hits;
    const dates = hits.map((hit) => hit.paper.date);
    expect(dates).toEqual([...dates].sort().reverse());
    const ranked = index.search('causal', { limit: 100 }).hits.map((hit) => hit.score);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  });
});

/** A page of papers identical but for a tag letter (W, X, Y, ... in page order) on these dates, and unrelated papers. */
function twinsPage(dates: string[], others: string[]): string {
  const count = dates.length + others.length;
  const header = ['Ada Owner', '', 'LG', 'h-index1', `${count}papers`, '1citations', '', `${count} Papers`, ''];
  const twin = (date: string, i: number): string[] => [`LG${date}`, `Widget flows ${String.fromCharCode(87 + i)}`, '', 'Ada Owner, Bo Helper', '', 'We route widgets through flows.', ''];
  const blocks = [...dates.map(twin), ...others.map((other) => ['LGFeb 2, 2020', other, '', 'Ada Owner', '', 'Zebras graze.', ''])];
  return [...header, ...blocks.flat()].join('\n');
}
