import fc from 'fast-check';
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { batchEmbeds } from '../../src/announce/messages.js';
import { pendingPapers, SeenPapers } from '../../src/announce/seen.js';
import { foldIdentity } from '../../src/corpus/names.js';
import type { Paper } from '../../src/corpus/schema.js';
import { embedLength, paperEmbed } from '../../src/discord/embeds.js';
import { LIMITS } from '../../src/discord/limits.js';
import { corpusOf, paper } from './helpers.js';

const embedArb: fc.Arbitrary<APIEmbed> = fc.record(
  {
    title: fc.string({ maxLength: 300 }),
    description: fc.string({ maxLength: 5_000 }),
    fields: fc.array(fc.record({ name: fc.string({ minLength: 1, maxLength: 300 }), value: fc.string({ minLength: 1, maxLength: 1_100 }) }), { maxLength: 8 }),
    footer: fc.record({ text: fc.string({ maxLength: 2_100 }) }),
  },
  { requiredKeys: [] },
);

const paperFieldsArb = fc.record({
  title: fc.string({ minLength: 1, maxLength: 400 }).filter((s) => s.trim().length > 0),
  year: fc.integer({ min: 1990, max: 2030 }),
  month: fc.integer({ min: 1, max: 12 }),
  abstract: fc.string({ maxLength: 4_500 }),
});

/**
 * Distinct new papers: titles distinct once folded, and a first author and abstract opening of their own,
 * so none is taken for another by any of the keys `SeenPapers` matches on.
 */
const newPapersArb = fc
  .uniqueArray(paperFieldsArb, { selector: (fields) => foldIdentity(fields.title), maxLength: 40 })
  .map((list) =>
    list.map(({ title, year, month, abstract }, i) => {
      const number = String(i).padStart(3, '0');
      return paper(title, `${year}-${String(month).padStart(2, '0')}-01`, {
        authors: [`Author ${number}`, 'Charles Babbage'],
        abstract: `Paper ${number}: ${abstract}`,
      });
    }),
  );

/** The announcing order as documented: date ascending, then title, then id. */
function byDateTitleId(a: Paper, b: Paper): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

describe('batching announcements', () => {
  it('keeps every message within 10 embeds and 6000 characters, every item exactly once, in order', () => {
    fc.assert(
      fc.property(fc.array(embedArb, { maxLength: 60 }), (embeds) => {
        const batches = batchEmbeds(embeds.map((embed, item) => ({ item, embed })));
        for (const batch of batches) {
          expect(batch.embeds.length).toBeGreaterThan(0);
          expect(batch.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
          expect(batch.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
        }
        expect(batches.flatMap((batch) => batch.items)).toEqual(embeds.map((_, item) => item));
      }),
      { numRuns: 200 },
    );
  });

  it('announces any set of new papers oldest first, each once, in messages Discord accepts', () => {
    fc.assert(
      fc.property(newPapersArb, fc.array(fc.nat(), { maxLength: 10 }), (papers, copies) => {
        // Some papers listed twice, as when two pages carry the same paper.
        const twice = papers.length === 0 ? [] : copies.map((n) => papers[n % papers.length]!);
        const pending = pendingPapers(corpusOf([...papers, ...twice]), new SeenPapers());
        const batches = batchEmbeds(pending.map((p) => ({ item: p, embed: paperEmbed(p) })));
        const announced = batches.flatMap((batch) => batch.items);
        const expected = [...new Map(papers.map((p) => [p.id, p])).values()].sort(byDateTitleId).map((p) => p.id);
        expect(announced.map((p) => p.id)).toEqual(expected);
        for (const batch of batches) {
          expect(batch.embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
          expect(batch.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('puts ten short papers in one message and the eleventh in the next', () => {
    const papers = Array.from({ length: 11 }, (_, i) => paper(`Paper number ${i}`, `2020-01-${String(i + 1).padStart(2, '0')}`));
    const batches = batchEmbeds(papers.map((p) => ({ item: p, embed: paperEmbed(p) })));
    expect(batches.map((batch) => batch.items.length)).toEqual([10, 1]);
  });

  it('splits long papers by the 6000-character total before reaching ten embeds', () => {
    const papers = Array.from({ length: 4 }, (_, i) => paper(`Long paper ${i}`, '2020-01-01', { abstract: 'word '.repeat(700) }));
    const batches = batchEmbeds(papers.map((p) => ({ item: p, embed: paperEmbed(p) })));
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flatMap((batch) => batch.items)).toEqual(papers);
  });
});
