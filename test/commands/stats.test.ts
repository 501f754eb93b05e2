import type { APIEmbed } from 'discord.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import stats from '../../commands/stats.js';
import type { PageFile } from '../../src/corpus/load.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { recordRead } from '../../src/db/works.js';
import type { CommandContext, CommandRequest } from '../../src/discord/command.js';
import { embedLength } from '../../src/discord/embeds.js';
import { LIMITS } from '../../src/discord/limits.js';
import { contextFor, seedPage } from '../cite/library.js';

const REQUEST: CommandRequest = { command: 'stats', options: {}, invoker: { userId: '1', guildId: '2', channelId: '3', permissions: null } };

/** A second profile: one paper shared with the seed page, one of its own, and a count that differs from what is read. */
const SECOND_PAGE: PageFile = {
  file: 'data/profiles/dingling-yao.txt',
  text: [
    'Dingling Yao',
    '',
    'CV',
    'h-index12',
    '3papers',
    '1,234citations',
    'Novelty40%',
    'AI Score50',
    '',
    '3 Papers',
    '',
    'LGJun 1, 2023',
    'Multi-View Causal Representation Learning with Partial Observability',
    '',
    'Dingling Yao, Danru Xu, Sébastien Lachapelle et al. · eth-zurich',
    '',
    'We present a unified framework for studying the identifiability of representations learned from simultaneously observed views.',
    '',
    'MEJan 5, 2024',
    'Identifiability of Mechanisms in Designed Experiments',
    '',
    'Dingling Yao, Francesco Locatello',
    '',
    'We study which causal mechanisms designed experiments can identify.',
    '',
  ].join('\n'),
};

// A minimal page for an owner with one paper.
function page(owner: string, index: number): PageFile {
  const text = [owner, '', 'LG', 'h-index1', '1papers', '10citations', '', '1 Papers', '', 'LGMar 3, 2021', `Synthetic Paper Number ${index}`, '', owner, '', 'An abstract.', ''];
  return { file: `data/profiles/owner-${index}.txt`, text: text.join('\n') };
}

async function statsOf(ctx: CommandContext): Promise<APIEmbed> {
  const reply = await stats.execute(REQUEST, ctx);
  expect(reply.embeds).toHaveLength(1);
  return reply.embeds![0]!;
}

function expectWithinLimits(embed: APIEmbed): void {
  expect(embedLength(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedFields);
  expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedDescription);
  for (const field of embed.fields ?? []) {
    expect(field.name.length).toBeLessThanOrEqual(LIMITS.embedFieldName);
    expect(field.value.length).toBeLessThanOrEqual(LIMITS.embedFieldValue);
  }
}

describe('/stats on the seed page', () => {
  let ctx: CommandContext;
  beforeAll(async () => {
    ctx = contextFor([await seedPage()]);
  });

  it("shows the owner's h-index, citations and papers as printed on the page, flagged when they contradict, and the papers indexed", async () => {
    const embed = await statsOf(ctx);
    expect(embed.title).toBe('Corpus statistics');
    const [field] = embed.fields ?? [];
    expect(field?.name).toBe('Francesco Locatello (cs.LG)');
    const indexed = ctx.library().index.size;
    expect(field?.value.split('\n').slice(0, 2)).toEqual([
      'As printed on the page: h-index **137** · **7,711** citations · **105** papers (these cannot all be true)',
      `Indexed here: **${indexed}** papers`,
    ]);
    expect(embed.description).toBe(`**1 profile · ${indexed} papers indexed** (${ctx.library().corpus.papers.filter((p) => p.hasCode).length} with code)`);
  });

  it('counts papers per year, newest first, and per category, most first, adding up to the papers indexed', async () => {
    const value = (await statsOf(ctx)).fields?.[0]?.value ?? '';
    const [, , years = '', categories = ''] = value.split('\n');
    const yearCounts = [...years.replace('By year: ', '').matchAll(/(\d{4}) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    const categoryCounts = [...categories.replace('By category: ', '').matchAll(/([\w.-]+) (\d+)/g)].map((m) => Number(m[2]));
    const indexed = ctx.library().index.size;
    expect(yearCounts.map(([year]) => year)).toEqual([...yearCounts.map(([year]) => year)].sort((a, b) => b - a));
    expect(yearCounts.reduce((sum, [, count]) => sum + count, 0)).toBe(indexed);
    expect(categoryCounts).toEqual([...categoryCounts].sort((a, b) => b - a));
    expect(categoryCounts.reduce((sum, count) => sum + count, 0)).toBe(indexed);
    expect(categories).toMatch(/^By category: cs\.LG \d+ · /);
  });

  it('fits Discord limits and says when the corpus was loaded', async () => {
    const embed = await statsOf(ctx);
    expectWithinLimits(embed);
    // The seed page's one diagnostic is its header's impossible figures, flagged in its field, not counted again here.
    expect(ctx.library().corpus.diagnostics.map((d) => d.reason)).toEqual([expect.stringMatching(/^header figures cannot all be true/)]);
    expect(embed.footer?.text).toBe('Loaded 2026-11-27 12:00 UTC');
  });
});

describe('/stats over several profiles', () => {
  it('gives each profile a field and the totals over all of them first', async () => {
    const ctx = contextFor([await seedPage(), SECOND_PAGE]);
    const embed = await statsOf(ctx);
    const total = ctx.library().index.size;
    expect(embed.fields?.map((f) => f.name)).toEqual(['Francesco Locatello (cs.LG)', 'Dingling Yao (cs.CV)']);
    expect(embed.fields?.[1]?.value).toBe(
      ['As printed on the page: h-index **12** · **1,234** citations · **3** papers (these cannot all be true)', 'Indexed here: **2** papers', 'By year: 2024 1 · 2023 1', 'By category: cs.LG 1 · stat.ME 1'].join('\n'),
    );
    expect(embed.description?.split('\n')[0]).toMatch(new RegExp(`^\\*\\*2 profiles · ${total} papers indexed\\*\\*`));
    expect(embed.description).toMatch(/\n\*\*By year:\*\* 2026 \d+ · 2025 \d+/);
    expect(embed.description).toMatch(/\n\*\*By category:\*\* cs\.LG \d+ · /);
  });

  it('shows as many profiles as fit and says how many more there are', async () => {
    const owners = Array.from({ length: 40 }, (_, i) => `Owner${i} Featherstonehaugh-Wolfeschlegelsteinhausen`);
    const ctx = contextFor(owners.map(page));
    expect(ctx.library().index.size).toBe(40);
    const embed = await statsOf(ctx);
    expectWithinLimits(embed);
    const shown = (embed.fields ?? []).filter((f) => f.name !== 'More profiles');
    const more = embed.fields?.at(-1);
    expect(more?.name).toBe('More profiles');
    expect(more?.value).toBe(`${40 - shown.length} more profiles not shown: the message has no room for them.`);
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(40);
    // Every profile shown is shown whole: the fitting drops profiles, it does not cut them.
    for (const field of shown) expect(field.value).toMatch(/\nBy category: cs\.LG 1$/);
  });

  it('says so when no page has been read', async () => {
    const embed = await statsOf(contextFor([]));
    expect(embed.description).toBe('The corpus is empty: no profile page has been read.');
    expect(embed.fields).toEqual([]);
  });

  it('says "1 citation" in the singular', async () => {
    const text = page('Ada Single', 1).text.replace('10citations', '1citations');
    const embed = await statsOf(contextFor([{ file: 'data/profiles/ada.txt', text }]));
    expect(embed.fields?.[0]?.value.split('\n')[0]).toBe('As printed on the page: h-index **1** · **1** citation · **1** paper');
  });

  it('shows papers read beside indexed when a page lists a paper twice, and why they differ', async () => {
    const lines = page('Ada Twice', 1).text.split('\n');
    const text = [...lines, ...lines.slice(9, 15), ''].join('\n');
    const embed = await statsOf(contextFor([{ file: 'data/profiles/ada.txt', text }]));
    expect(embed.fields?.[0]?.value.split('\n')[1]).toMatchInlineSnapshot(`"Indexed here: **1** paper · **2** read (repeats on the page merged)"`);
  });

  it('escapes markdown in owners’ names', async () => {
    const embed = await statsOf(contextFor([page('Ada *Star* Love_lace', 1)]));
    expect(embed.fields?.[0]?.name).toBe('Ada \\*Star\\* Love\\_lace (cs.LG)');
  });
});

describe('/stats of an owner known only from a .bib file', () => {
  it('leaves out the header figures a .bib file never has, and counts a real problem in the footer', async () => {
    const bib: PageFile = { file: 'data/profiles/ada-quill.bib', text: readFileSync('test/fixtures/bib/ada-quill.bib', 'utf8') };
    const broken: PageFile = { file: 'data/profiles/notes.bib', text: '@article{x, title = {No author here}}\n' };
    const embed = await statsOf(contextFor([bib, broken]));
    const field = embed.fields?.find((f) => f.name.startsWith('Ada Quill'));
    expect(field?.value.split('\n')[0]).toMatch(/^Indexed here: \*\*\d+\*\* papers?/);
    expect(field?.value).not.toContain('As printed');
    expect(field?.value).not.toContain('—');
    expect(embed.footer?.text).toMatch(/ · \d+ problems? reading the pages$/);
  });
});

describe('/stats with the sources read (docs/sources.md)', () => {
  it("puts OpenAlex's figures beside the page's printed header and says in the footer when each source was last read", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paperbot-stats-'));
    const handle = await openDatabase(`sqlite:${path.join(dir, 'state.db')}`);
    try {
      await migrateToLatest(handle.db, handle.label);
      const ok = Date.UTC(2026, 11, 7, 4, 30);
      const author = { id: 'A5000000007', name: 'Francesco Locatello', worksCount: 222, citations: 45678, hIndex: 77, why: 'pinned in lab.yaml' };
      await recordRead(handle.db, { source: 'openalex', member: 'Francesco Locatello', at: ok, error: null, author });
      await recordRead(handle.db, { source: 'arxiv', member: '*', at: ok, error: null });
      await recordRead(handle.db, { source: 'arxiv', member: '*', at: ok + 60_000, error: 'arXiv: 503' });
      const ctx = { ...contextFor([await seedPage()]), db: handle.db };
      const embed = await statsOf(ctx);
      const lines = (embed.fields?.[0]?.value ?? '').split('\n');
      expect(lines[0]).toMatch(/^As printed on the page: /);
      expect(lines[1]).toBe('OpenAlex A5000000007: h-index **77** · **45,678** citations · **222** works');
      expect(embed.footer?.text).toContain(' · OpenAlex read 2026-12-07 04:30 UTC · arXiv read 2026-12-07 04:30 UTC (last try failed)');
      expectWithinLimits(embed);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
