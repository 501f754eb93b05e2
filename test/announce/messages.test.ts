import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { announcementMessages, messageNonce, papersByOwner, summaryEmbeds } from '../../src/announce/messages.js';
import type { Paper } from '../../src/corpus/schema.js';
import { embedLength } from '../../src/discord/embeds.js';
import { LIMITS } from '../../src/discord/limits.js';
import { checkMessage } from '../e2e/standin/validate.js';
import { paper } from './helpers.js';

/** `count` papers of one owner, dated a day apart from 2024-01-01 on. */
function papersOf(owner: string, count: number): Paper[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    return paper(`${owner} Paper Number ${i + 1}`, day, { owners: [owner], authors: [owner, 'Grace Hopper'] });
  });
}

describe('announcement nonces', () => {
  it('derives a nonce of at most 25 characters from the ids, whatever their order, and a different one for other papers or a summary', () => {
    const [a, b, c] = papersOf('Ada Quill', 3) as [Paper, Paper, Paper];
    const nonce = messageNonce('papers', [a, b]);
    expect(nonce).toMatch(/^[0-9a-f]{25}$/);
    expect(messageNonce('papers', [b, a])).toBe(nonce);
    expect(messageNonce('papers', [a, c])).not.toBe(nonce);
    expect(messageNonce('papers', [a])).not.toBe(nonce);
    expect(messageNonce('summary', [a, b])).not.toBe(nonce);
  });

  it('puts the nonce and enforce_nonce on every message, the same for the same papers', () => {
    const papers = papersOf('Ada Quill', 10);
    const messages = announcementMessages(papers, 10);
    expect(messages.map((m) => [m.papers.length, m.body.enforce_nonce, m.body.nonce === messageNonce('papers', m.papers)])).toEqual([[10, true, true]]);
    expect(announcementMessages(papers, 10)).toEqual(messages);
  });
});

describe('big drops', () => {
  it('announces up to the limit one by one, and one more as a single summary of them all', () => {
    const papers = papersOf('Ada Quill', 11);
    expect(announcementMessages(papers.slice(0, 10), 10).map((m) => m.summary)).toEqual([false]);
    const [summary, ...others] = announcementMessages(papers, 10);
    expect(others).toEqual([]);
    expect(summary?.summary).toBe(true);
    expect(summary?.papers).toEqual(papers);
    expect(summary?.body.nonce).toBe(messageNonce('summary', papers));
  });

  it("says how many papers each owner's page added, lists the 5 newest, and how to find the rest", () => {
    const papers = [...papersOf('Ada Quill', 42), ...papersOf('Grace Hopper', 2)];
    const embeds = summaryEmbeds(papers);
    expect(embeds.map((embed) => embed.title)).toEqual(['42 new papers from Ada Quill', '2 new papers from Grace Hopper']);
    expect(embeds[0]?.description).toMatchInlineSnapshot(`
      "**Ada Quill**'s page added **42** papers. The 5 newest:

      **1.** [Ada Quill Paper Number 42](https://arxiv.org/search/?query=Ada+Quill+Paper+Number+42&searchtype=title)
      Ada Quill, Grace Hopper · Feb 11, 2024 · Machine Learning

      **2.** [Ada Quill Paper Number 41](https://arxiv.org/search/?query=Ada+Quill+Paper+Number+41&searchtype=title)
      Ada Quill, Grace Hopper · Feb 10, 2024 · Machine Learning

      **3.** [Ada Quill Paper Number 40](https://arxiv.org/search/?query=Ada+Quill+Paper+Number+40&searchtype=title)
      Ada Quill, Grace Hopper · Feb 9, 2024 · Machine Learning

      **4.** [Ada Quill Paper Number 39](https://arxiv.org/search/?query=Ada+Quill+Paper+Number+39&searchtype=title)
      Ada Quill, Grace Hopper · Feb 8, 2024 · Machine Learning

      **5.** [Ada Quill Paper Number 38](https://arxiv.org/search/?query=Ada+Quill+Paper+Number+38&searchtype=title)
      Ada Quill, Grace Hopper · Feb 7, 2024 · Machine Learning

      All of them, newest first: \`/search author:Ada Quill\`"
    `);
  });

  it('counts a paper on two pages for both owners', () => {
    const shared = paper('A Shared Paper', '2024-05-05', { owners: ['Ada Quill', 'Grace Hopper'] });
    const groups = papersByOwner([shared, ...papersOf('Ada Quill', 2)]);
    expect(groups.map((group) => [group.owner, group.papers.length])).toEqual([
      ['Ada Quill', 3],
      ['Grace Hopper', 1],
    ]);
  });

  it('keeps any summary within what Discord accepts, naming every owner', () => {
    const ownerArb = fc.string({ minLength: 1, maxLength: 120 }).filter((s) => s.trim().length > 0);
    const dropArb = fc.uniqueArray(fc.record({ owner: ownerArb, count: fc.integer({ min: 1, max: 40 }), title: fc.string({ minLength: 1, maxLength: 300 }) }), { selector: (g) => g.owner, minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(dropArb, (groups) => {
        const papers = groups.flatMap((group, g) =>
          Array.from({ length: group.count }, (_, i) => paper(`${group.title} ${g}-${i}`, '2024-01-01', { owners: [group.owner] })),
        );
        const [message] = announcementMessages(papers, 10);
        const embeds = message?.body.embeds ?? [];
        expect(checkMessage(message?.body, { creates: true, interaction: false }).problems).toEqual([]);
        expect(embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
        expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
        if (papers.length > 10) expect(embeds.length).toBe(Math.min(groups.length, LIMITS.embedsPerMessage));
      }),
      { numRuns: 100 },
    );
  });
});
