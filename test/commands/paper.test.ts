import { beforeAll, describe, expect, it } from 'vitest';
import paper from '../../commands/paper.js';
import type { CommandContext } from '../../src/discord/command.js';
import { paperEmbed } from '../../src/discord/embeds.js';
import type { Library } from '../../src/search/library.js';
import { buttonLabels, click, contextOf, customIds, listedTitles, onlyEmbed, run, testLibrary, userErrorOf } from './context.js';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

function paperTitled(title: string) {
  const found = library.corpus.papers.find((p) => p.title === title);
  if (!found) throw new Error(`no paper titled ${title}`);
  return found;
}

describe('/paper', () => {
  it('shows a paper found by title words as a full embed with authors, date, category and source', async () => {
    const embed = onlyEmbed(await run(paper, ctx, { query: 'Bridging the Gap to Real-World Object-Centric Learning' }));
    expect(embed.title).toBe('Bridging the Gap to Real-World Object-Centric Learning');
    expect(embed.url).toBe('https://arxiv.org/search/?query=Bridging+the+Gap+to+Real+World+Object+Centric+Learning&searchtype=title');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Authors']).toBe('Maximilian Seitzer, Max Horn, Andrii Zadaianchuk et al.');
    expect(fields['Published']).toBe('Sep 29, 2022');
    expect(fields['Category']).toBe('Computer Vision and Pattern Recognition (cs.CV)');
    expect(embed.description).toMatch(/^Humans naturally decompose their environment/);
    expect(embed.footer?.text).toMatch(/^Source: francesco-locatello\.txt, line \d+ · id [a-z0-9]+$/);
  });

  it('names the source page by its file name only, never a server path', async () => {
    const target = { ...paperTitled('Causal Learning with the Invariance Principle'), source: { file: '/srv/lab/data/profiles/bob.txt', line: 19 } };
    const windows = { ...target, source: { file: 'C:\\lab\\profiles\\bob.txt', line: 19 } };
    expect(paperEmbed(target).footer?.text).toBe(`Source: bob.txt, line 19 · id ${target.id}`);
    expect(paperEmbed(windows).footer?.text).toBe(`Source: bob.txt, line 19 · id ${target.id}`);
  });

  it('finds a paper by its id, as autocomplete sends it', async () => {
    const target = paperTitled('Causal Learning with the Invariance Principle');
    const embed = onlyEmbed(await run(paper, ctx, { query: target.id }));
    expect(embed.title).toBe(target.title);
  });

  it('offers Cite, Related and a Code link button when the paper has code', async () => {
    const target = paperTitled('Scalable Mechanistic Neural Networks for Differential Equations and Machine Learning');
    const reply = await run(paper, ctx, { query: target.id });
    expect(buttonLabels(reply)).toEqual(['Cite (BibTeX)', 'Related', 'Code']);
    expect(customIds(reply)).toEqual([`paper:cite:${target.id}`, `paper:related:${target.id}`]);
    const code = reply.components?.[0]?.components[2];
    expect(code && 'url' in code ? code.url : null).toBe('https://github.com/IST-DASLab/ScalableMNN');
    expect((onlyEmbed(reply).fields ?? []).find((f) => f.name === 'Code')?.value).toBe('https://github.com/IST-DASLab/ScalableMNN');
  });

  it('labels a URL in the abstract of a paper without the Code flag as a Link, not Code', async () => {
    const reply = await run(paper, ctx, { query: '28tq68zcem' });
    expect(onlyEmbed(reply).title).toMatch(/^Causal Triplet/);
    expect(buttonLabels(reply)).toEqual(['Cite (BibTeX)', 'Related', 'Link']);
    const fields = onlyEmbed(reply).fields ?? [];
    expect(fields.map((f) => f.name)).not.toContain('Code');
    expect(fields.find((f) => f.name === 'Link')?.value).toBe('https://sites.google.com/view/causaltriplet');
  });

  it('says code is available, with no link, for a paper with the Code flag and no URL', async () => {
    const reply = await run(paper, ctx, { query: '2ffc6y4mf4' });
    expect(buttonLabels(reply)).toEqual(['Cite (BibTeX)', 'Related']);
    expect((onlyEmbed(reply).fields ?? []).find((f) => f.name === 'Code')?.value).toMatchInlineSnapshot(`"Code is available (no link on the page)."`);
  });

  it('has no Code button for a paper without code', async () => {
    const reply = await run(paper, ctx, { query: 'Bridging the Gap to Real-World Object-Centric Learning' });
    expect(buttonLabels(reply)).toEqual(['Cite (BibTeX)', 'Related']);
  });

  it('is a public reply', async () => {
    const reply = await run(paper, ctx, { query: 'Bridging the Gap to Real-World Object-Centric Learning' });
    expect(reply.ephemeral).toBeFalsy();
  });

  it('cites the paper as BibTeX, ephemerally, with "and others" for a truncated author list', async () => {
    const target = paperTitled('Bridging the Gap to Real-World Object-Centric Learning');
    const reply = await click(paper, ctx, `paper:cite:${target.id}`);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^```bibtex\n@\w+\{seitzer2022bridging,/);
    expect(reply.content).toContain('and others}');
    expect(reply.content?.endsWith('\n```')).toBe(true);
  });

  it('lists related papers ephemerally, never the paper itself, with a menu to open them', async () => {
    const target = paperTitled('Bridging the Gap to Real-World Object-Centric Learning');
    const reply = await click(paper, ctx, `paper:related:${target.id}`);
    expect(reply.ephemeral).toBe(true);
    const titles = listedTitles(onlyEmbed(reply));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles).not.toContain(target.title);
    expect(customIds(reply)).toEqual(['paper:open']);
  });

  it('opens a paper chosen in a menu as /paper shows it, ephemerally', async () => {
    const target = paperTitled('Causal Learning with the Invariance Principle');
    const reply = await click(paper, ctx, 'paper:open', [target.id]);
    expect(reply.ephemeral).toBe(true);
    expect(onlyEmbed(reply).title).toBe(target.title);
  });

  it('autocompletes titles with paper ids as values', async () => {
    const choices = await paper.autocomplete!({ command: 'paper', options: {}, invoker: { userId: '1', guildId: null, channelId: null, permissions: null }, focused: { name: 'query', value: 'bridging the gap' } }, ctx);
    expect(choices[0]).toEqual({ name: 'Bridging the Gap to Real-World Object-Centric Learning', value: paperTitled('Bridging the Gap to Real-World Object-Centric Learning').id });
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('escapes markdown and defuses mentions in a title', async () => {
    const embed = onlyEmbed(await run(paper, ctx, { query: 'struck code link about slot attention' }));
    expect(embed.title).toBe('\\*\\*Bold\\*\\* \\_claims\\_ @\u200beveryone \\<@\u200b&123\\> \\~\\~struck\\~\\~ \\`code\\` \\[link\\]\\(javascript:alert\\(1\\)\\) about slot attention');
    expect(embed.url).toMatch(/^https:\/\/arxiv\.org\/search\/\?query=[^()\s]+&searchtype=title$/);
  });
});

describe('/paper honest about what matched', () => {
  /** The select menu options of a reply, by value. */
  const menuValues = (reply: Awaited<ReturnType<typeof run>>): string[] =>
    (reply.components ?? []).flatMap((row) => row.components.flatMap((c) => ('options' in c && Array.isArray(c.options) ? c.options.map((o) => o.value) : [])));

  it('opens the best of several matches, says how many matched and offers the others in a menu', async () => {
    const byHim = library.corpus.papers.filter((p) => p.authors.some((name) => /Kleindessner/.test(name)));
    expect(byHim).toHaveLength(3);
    const reply = await run(paper, ctx, { query: 'Kleindessner' });
    const opened = onlyEmbed(reply).title;
    expect(byHim.map((p) => p.title)).toContain(opened);
    expect(menuValues(reply).sort()).toEqual(byHim.filter((p) => p.title !== opened).map((p) => p.id).sort());
    expect(reply.content).toMatchInlineSnapshot(`"1 of 3 papers matching “Kleindessner” — pick another below, or /search for the rest."`);
  });

  it('says when the paper opened has only some of the words', async () => {
    const reply = await run(paper, ctx, { query: 'weather forecasting' });
    expect(reply.content).toMatchInlineSnapshot(`"No paper has all of the words of “weather forecasting”; this is 1 of 2 papers with some of them — pick another below, or /search for the rest."`);
  });

  it('says nothing more when only one paper matches, or a title or id is given', async () => {
    for (const query of ['DINOSAUR', 'Bridging the Gap to Real-World Object-Centric Learning', paperTitled('Grounded Object Centric Learning').id]) {
      const reply = await run(paper, ctx, { query });
      expect(reply.content, query).toBeUndefined();
      expect(menuValues(reply), query).toEqual([]);
    }
  });

  it('reads a year typed among the words as the year of the paper', async () => {
    const reply = await run(paper, ctx, { query: 'score matching 2022' });
    expect(onlyEmbed(reply).title?.replace(/\\/g, '')).toBe(library.corpus.papers.find((p) => p.date.startsWith('2022') && /score.matching/i.test(p.title + p.abstract))?.title);
    expect(await userErrorOf(() => run(paper, ctx, { query: 'causal discovery 2015' }))).toMatchInlineSnapshot(`
      "No paper from 2015 (a year typed in the query) matches “causal discovery 2015”.
      Did you mean:
      • Demystifying amortized causal discovery with transformers
      • Scalable Causal Discovery with Score Matching
      • Shortcuts for causal discovery of nonlinear models by score matching"
    `);
  });
});

describe('/paper wording of what the member is told', () => {
  it('says no paper matches, and what to try, when nothing is close', async () => {
    expect(await userErrorOf(() => run(paper, ctx, { query: 'qqqq zzzz <@&999>' }))).toMatchInlineSnapshot(`
      "No paper matches “qqqq zzzz \\<@​&999\\>”.
      Try fewer or other words, or /search for a list."
    `);
  });

  it('asks for a query when it is blank', async () => {
    expect(await userErrorOf(() => run(paper, ctx, { query: '   ' }))).toMatchInlineSnapshot(`"Give a title, a paper id or some words about the paper."`);
  });

  it('says a clicked paper is gone when the corpus no longer has it', async () => {
    expect(await userErrorOf(() => click(paper, ctx, 'paper:cite:zzzzzzzzzz'))).toMatchInlineSnapshot(`"That paper is no longer in the corpus. Run /paper again."`);
  });
});
