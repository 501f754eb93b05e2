import { beforeAll, describe, expect, it } from 'vitest';
import search from '../../commands/search.js';
import type { CommandContext } from '../../src/discord/command.js';
import { foldText } from '../../src/corpus/names.js';
import type { Paper } from '../../src/corpus/schema.js';
import type { Library } from '../../src/search/library.js';
import { AS_OF, click, contextOf, customIds, listedTitles, onlyEmbed, run, testLibrary, userErrorOf } from './context.js';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

/** The custom_id of the button labelled `label` in a reply. */
function buttonId(reply: Awaited<ReturnType<typeof run>>, label: string): string {
  for (const row of reply.components ?? []) {
    for (const c of row.components) if ('label' in c && c.label === label && 'custom_id' in c) return c.custom_id;
  }
  throw new Error(`no button ${label}`);
}

describe('/search', () => {
  it('lists the ranked hits 5 a page with the total, in the index order', async () => {
    const reply = await run(search, ctx, { query: 'causal' });
    const embed = onlyEmbed(reply);
    const expected = library.index.search('causal', { offset: 0, limit: 5 });
    expect(listedTitles(embed)).toEqual(expected.hits.map((h) => h.paper.title));
    expect(embed.description).toContain(`**${expected.total}** papers match, best match first.`);
    expect(embed.footer?.text).toBe(`Results 1–5 of ${expected.total} · page 1 of ${Math.ceil(expected.total / 5)} · pick a result below to open it`);
  });

  it('says which words no paper has, and searches without them', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: 'causal zebra' }));
    const result = library.index.search('causal zebra', { limit: 5 });
    expect(result.ignoredTerms).toEqual(['zebra']);
    expect(result.total).toBeGreaterThan(0);
    expect(listedTitles(embed)).toEqual(result.hits.map((h) => h.paper.title));
    expect(embed.description?.split('\n').slice(0, 2).join('\n')).toMatchInlineSnapshot(`
      "**21** papers match, best match first.
      No paper has “zebra”, so the search went on without it."
    `);
  });

  it('says when a query has only words too common to search for', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: 'the of and' }))).toMatchInlineSnapshot(`"“the of and” has only words too common to search for (like “the” or “of”): add a more specific word."`);
  });

  it('says a query of mentions and links has no words to search for, not that its words are too common', async () => {
    for (const query of ['@everyone', '<@&999> @here', 'https://example.org x']) {
      const message = await userErrorOf(() => run(search, ctx, { query }));
      expect(message).not.toContain('too common');
      expect(message).toContain('has no words to search for once mentions, links and one-letter words are left out');
    }
    expect(await userErrorOf(() => run(search, ctx, { query: '@everyone' }))).toMatchInlineSnapshot(`"“@​everyone” has no words to search for once mentions, links and one-letter words are left out: add a word about the paper."`);
  });

  it('shows each hit with short authors, date, category and a snippet with the matched words in bold', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: 'slot attention', year: '2023' }));
    const description = embed.description ?? '';
    expect(description).toMatch(/Ke Fan, Zechen Bai, Tianjun Xiao et al\. · Sep 18, 2023 · Computer Vision and Pattern Recognition/);
    expect(description).toMatch(/> .*with \*\*slot\*\* \*\*attention\*\* and then/);
  });

  it('filters by a year range, a category name in any case, an author and code', async () => {
    const reply = await run(search, ctx, { query: 'causal', year: '2022-2023', category: 'STAT.me', author: 'montagna', has_code: false });
    const embed = onlyEmbed(reply);
    expect(embed.description).toContain('(by Francesco Montagna (read from “montagna”), in Methodology, from 2022–2023, without code)');
    const expected = library.index.search('causal', { author: 'francesco montagna', category: 'ME', yearFrom: 2022, yearTo: 2023, hasCode: false, limit: 5 });
    expect(expected.total).toBeGreaterThan(0);
    expect(listedTitles(embed)).toEqual(expected.hits.map((h) => h.paper.title));
  });

  it('sorts by newest when asked', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: 'causal', sort: 'newest' }));
    const expected = library.index.search('causal', { sort: 'newest', limit: 5 });
    expect(listedTitles(embed)).toEqual(expected.hits.map((h) => h.paper.title));
    expect(embed.description).toContain('newest first.');
  });

  it('pages with Next and Prev, editing the message, and keeps the filters', async () => {
    const first = await run(search, ctx, { query: 'causal', sort: 'newest' });
    const second = await click(search, ctx, buttonId(first, 'Next ▶'));
    expect(second.update).toBe(true);
    const expected = library.index.search('causal', { sort: 'newest', offset: 5, limit: 5 });
    expect(listedTitles(onlyEmbed(second))).toEqual(expected.hits.map((h) => h.paper.title));
    expect(onlyEmbed(second).footer?.text).toMatch(/^Results 6–10 of \d+ · page 2 of/);
    const back = await click(search, ctx, buttonId(second, '◀ Prev'));
    expect(listedTitles(onlyEmbed(back))).toEqual(listedTitles(onlyEmbed(first)));
  });

  it('disables Prev on the first page and Next on the last', async () => {
    const first = await run(search, ctx, { query: 'causal' });
    const disabled = (reply: typeof first) =>
      (reply.components ?? []).flatMap((row) => row.components.flatMap((c) => ('disabled' in c && c.disabled && 'label' in c ? [c.label] : [])));
    const pages = Math.ceil(library.index.search('causal').total / 5);
    expect(pages).toBeGreaterThan(2);
    expect(disabled(first)).toEqual(['◀ Prev', `Page 1 of ${pages}`]);
    let reply = first;
    for (let page = 1; page < pages; page++) reply = await click(search, ctx, buttonId(reply, 'Next ▶'));
    expect(disabled(reply)).toEqual([`Page ${pages} of ${pages}`, 'Next ▶']);
  });

  it('keeps a long query in the bounded store when it does not fit in the custom_id, and pages with it', async () => {
    const query = 'causal models and learning '.repeat(8).slice(0, 200);
    const reply = await run(search, ctx, { query });
    const ids = customIds(reply);
    expect(ids.every((id) => id.length <= 100)).toBe(true);
    const next = buttonId(reply, 'Next ▶');
    expect(next).toMatch(/^search:page:1:[0-9a-z]+:s[\w-]+$/);
    const second = await click(search, ctx, next);
    const expected = library.index.search(query, { offset: 5, limit: 5 });
    expect(listedTitles(onlyEmbed(second))).toEqual(expected.hits.map((h) => h.paper.title));
  });

  it('opens a result from the menu as /paper does, ephemerally', async () => {
    const reply = await run(search, ctx, { query: 'causal' });
    expect(customIds(reply)[0]).toBe('search:open');
    const firstTitle = listedTitles(onlyEmbed(reply))[0];
    const id = library.corpus.papers.find((p) => p.title === firstTitle)!.id;
    const opened = await click(search, ctx, 'search:open', [id]);
    expect(opened.ephemeral).toBe(true);
    expect(onlyEmbed(opened).title).toBe(firstTitle);
  });

  it('autocompletes authors over people and categories over the corpus categories', async () => {
    const invoker = { userId: '1', guildId: null, channelId: null, permissions: null };
    const people = await search.autocomplete!({ command: 'search', options: {}, invoker, focused: { name: 'author', value: 'locat' } }, ctx);
    expect(people[0]).toEqual({ name: 'Francesco Locatello', value: 'francesco locatello' });
    const categories = await search.autocomplete!({ command: 'search', options: {}, invoker, focused: { name: 'category', value: 'stat' } }, ctx);
    expect(categories.map((c) => c.value)).toEqual(expect.arrayContaining(['ME', 'ML']));
  });
});

describe('/search expiry', () => {
  it('answers an old button that the search has expired, and how to search again', async () => {
    const first = await run(search, ctx, { query: 'causal' });
    const later = contextOf(library, () => new Date(AS_OF.getTime() + 16 * 60 * 1000));
    expect(await userErrorOf(() => click(search, later, buttonId(first, 'Next ▶')))).toMatchInlineSnapshot(`"This search has expired: buttons work for 15 minutes. Run /search again."`);
  });

  it('still pages 14 minutes later', async () => {
    const first = await run(search, ctx, { query: 'causal' });
    const later = contextOf(library, () => new Date(AS_OF.getTime() + 14 * 60 * 1000));
    expect((await click(search, later, buttonId(first, 'Next ▶'))).update).toBe(true);
  });

  it('says a forged or mangled button id is not valid, and keeps "expired" for a really expired one', async () => {
    const first = await run(search, ctx, { query: 'causal' });
    const [, , , stamp = '', state = ''] = buttonId(first, 'Next ▶').split(':');
    const future = (AS_OF.getTime() / 1000 + 3600).toString(36);
    for (const forged of ['search:page:x:y:z', `search:page:-1:${stamp}:${state}`, `search:page:1:${stamp}`, `search:page:1:${stamp}:zzz`, `search:page:1:${future}:${state}`, `search:reload:1:${stamp}:${state}`, `search:page:1:${stamp}:${state}:extra`]) {
      expect(await userErrorOf(() => click(search, ctx, forged))).toMatchInlineSnapshot(`"That is not a valid /search button or menu. Run /search again."`);
    }
    expect(await userErrorOf(() => click(search, ctx, `search:page:1:${stamp}:sunknownkey`))).toMatchInlineSnapshot(`"This search has expired: buttons work for 15 minutes. Run /search again."`);
    expect(await userErrorOf(() => click(search, ctx, 'search:page:1:tp0000:sunknownkey'))).toMatchInlineSnapshot(`"This search has expired: buttons work for 15 minutes. Run /search again."`);
  });
});

describe('/search without words', () => {
  it('has an optional query, so filters alone can search', () => {
    const query = search.data.options?.find((o) => o.name === 'query');
    expect(query && 'required' in query ? query.required : undefined).toBeFalsy();
  });

  it('lists the papers the filters allow, newest first, and never says "best match first"', async () => {
    const embed = onlyEmbed(await run(search, ctx, { author: 'Francesco Locatello', year: '2023' }));
    const expected = library.index.search('', { author: 'francesco locatello', yearFrom: 2023, yearTo: 2023, limit: 5 });
    expect(expected.total).toBeGreaterThan(5);
    expect(listedTitles(embed)).toEqual(expected.hits.map((h) => h.paper.title));
    const dates = expected.hits.map((h) => h.paper.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(embed.title).toBe('Search');
    expect(embed.description).toContain(`**${expected.total}** papers match (by Francesco Locatello, from 2023), newest first.`);
    expect(embed.description).not.toContain('best match');
  });

  it('treats punctuation or emoji alone as no words: the filters list, or a clear message without filters', async () => {
    const filtered = onlyEmbed(await run(search, ctx, { query: '?!… 🎉', year: '2023' }));
    const plain = onlyEmbed(await run(search, ctx, { year: '2023' }));
    expect(listedTitles(filtered)).toEqual(listedTitles(plain));
    expect(filtered.description).toContain('newest first.');
    expect(await userErrorOf(() => run(search, ctx, { query: '🎉🎉 !!' }))).toMatchInlineSnapshot(`"“🎉🎉 !!” has no letters or digits to search for. Give some words to search for, or a filter: \`author\`, \`category\`, \`year\` or \`has_code\`."`);
  });

  it('asks for words or a filter when given neither', async () => {
    expect(await userErrorOf(() => run(search, ctx, {}))).toMatchInlineSnapshot(`"Give some words to search for, or a filter: \`author\`, \`category\`, \`year\` or \`has_code\`."`);
    expect(await userErrorOf(() => run(search, ctx, { query: '   ' }))).toBe(await userErrorOf(() => run(search, ctx, {})));
  });
});

describe('/search honest about what matched', () => {
  /** Folded words of a paper's text, to check by scanning what the index claims. */
  const words = (paper: Paper): string[] => foldText(`${paper.title} ${paper.abstract} ${paper.authors.join(' ')}`).split(' ');

  it('says when no paper has every word, and counts the papers with some of them as such', async () => {
    const hasWeather = (paper: Paper): boolean => words(paper).includes('weather');
    const hasForecast = (paper: Paper): boolean => words(paper).some((word) => word.startsWith('forecast'));
    expect(library.corpus.papers.some((paper) => hasWeather(paper) && hasForecast(paper))).toBe(false);
    const some = library.corpus.papers.filter((paper) => hasWeather(paper) || hasForecast(paper));
    const embed = onlyEmbed(await run(search, ctx, { query: 'weather forecasting' }));
    expect(listedTitles(embed).sort()).toEqual(some.map((paper) => paper.title).sort());
    expect(embed.description?.split('\n')[0]).toMatchInlineSnapshot(`"No paper has all of “weather forecasting”; **2** papers have some of the words, best match first."`);
    expect(embed.description).not.toMatch(/papers? match/);
  });

  it('says "match" only when every hit has every word', async () => {
    const result = library.index.search('score matching', { limit: 100 });
    expect(result.matched).toBe('all');
    for (const hit of result.hits) expect(words(hit.paper).some((word) => word.startsWith('scor')) && words(hit.paper).some((word) => word.startsWith('match'))).toBe(true);
    expect(onlyEmbed(await run(search, ctx, { query: 'score matching' })).description).toContain(`**${result.total}** papers match, best match first.`);
  });

  it('reads a year typed among the words as a year filter, not as a word in an abstract, and says so', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: 'score matching 2022' }));
    const listed = listedTitles(embed);
    const of2022 = library.corpus.papers.filter((paper) => paper.date.startsWith('2022') && /score.matching/i.test(`${paper.title} ${paper.abstract}`));
    expect(listed.sort()).toEqual(of2022.map((paper) => paper.title).sort());
    // This paper of 2023 cites "Rolland et al. (2022)" in its abstract: the year is no word to match.
    const citing = library.corpus.papers.find((paper) => paper.title === 'Scalable Causal Discovery with Score Matching');
    expect(citing?.abstract).toContain('(2022)');
    expect(listed).not.toContain(citing?.title);
    expect(embed.description?.split('\n').slice(0, 2).join('\n')).toMatchInlineSnapshot(`
      "**1** paper matches, best match first.
      “2022” in the query was read as a year: only papers from 2022."
    `);
  });

  it('lists the papers of a year typed alone, and says when a typed year leaves nothing', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: '2020' }));
    const of2020 = library.corpus.papers.filter((paper) => paper.date.startsWith('2020'));
    expect(listedTitles(embed)).toEqual(of2020.map((paper) => paper.title).slice(0, 5));
    expect(embed.description).toContain('newest first.');
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal discovery 2015' }))).toMatchInlineSnapshot(`
      "No paper matches “causal discovery 2015” from 2015 (a year typed in the query).
      Without the year, 11 papers match: leave the year out of the query."
    `);
  });
});

describe('/search wording of what the member is told', () => {
  it('says nothing matches, quoting the escaped query', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: '<@&999> qqqq *zzzz*' }))).toMatchInlineSnapshot(`
      "No paper matches “\\<@​&999\\> qqqq \\*zzzz\\*”.
      Try other or fewer words."
    `);
  });

  it('says nothing matches the filters', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal', year: '1999' }))).toMatchInlineSnapshot(`
      "No paper matches “causal” from 1999.
      Without the filters, 21 papers match: try fewer filters."
    `);
  });

  it('explains a year that is not a year or range', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal', year: 'last year' }))).toMatchInlineSnapshot(`"“last year” is not a year: give one year like \`2023\` or a range like \`2021-2023\`."`);
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal', year: '2023-2021' }))).toMatchInlineSnapshot(`"The year range “2023-2021” ends before it starts: write it as \`2021-2023\`."`);
  });

  it('lists the categories when the category is unknown', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal', category: 'astro-ph' }))).toMatchInlineSnapshot(`"No category “astro-ph” in the corpus. Use one of: \`LG\` (cs.LG), \`CV\` (cs.CV), \`ME\` (stat.ME), \`ML\` (stat.ML), \`OC\` (math.OC), \`QM\` (q-bio.QM), \`XY\` (XY)."`);
  });

  it('says when a year typed in the query conflicts with the year option, and what each finds', async () => {
    const message = await userErrorOf(() => run(search, ctx, { query: 'causal 2022', year: '2023' }));
    expect(message).not.toMatch(/from 2023, from 2022/);
    // What each year finds alone is what /search lists with that year only.
    const total = async (year: string): Promise<string> => /^\*\*(\d+)\*\*/.exec(onlyEmbed(await run(search, ctx, { query: 'causal', year })).description ?? '')?.[1] ?? '';
    expect(message).toContain(`with 2022, ${await total('2022')} paper`);
    expect(message).toContain(`with 2023, ${await total('2023')} paper`);
    expect(message).toMatchInlineSnapshot(`
      "The years conflict: “2022” in the query and \`year:2023\` have no year in common, so no paper can match both.
      Keep one of them: with 2022, 1 paper matches; with 2023, 8 papers match."
    `);
    // Years that overlap are no conflict: the search runs over the years both allow.
    const overlapping = onlyEmbed(await run(search, ctx, { query: 'causal 2022', year: '2021-2023' }));
    expect(listedTitles(overlapping)).toEqual(listedTitles(onlyEmbed(await run(search, ctx, { query: 'causal', year: '2022' }))));
  });

  it('forgives a typo in the author, and says whom it was read as', async () => {
    const embed = onlyEmbed(await run(search, ctx, { query: 'causal', author: 'Montagan' }));
    expect(listedTitles(embed)).toEqual(listedTitles(onlyEmbed(await run(search, ctx, { query: 'causal', author: 'Francesco Montagna' }))));
    expect(embed.description?.split('\n')[0]).toMatchInlineSnapshot(`"**7** papers match (by Francesco Montagna (read from “Montagan”)), best match first."`);
  });

  it('names close people when the author is unknown', async () => {
    expect(await userErrorOf(() => run(search, ctx, { query: 'causal', author: 'Zzyzx Nobody' }))).toMatchInlineSnapshot(`"No one called “Zzyzx Nobody” is in the corpus (\`author\`). Pick a name from the suggestions as you type."`);
  });
});
