import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import coauthor from '../../commands/coauthor.js';
import type { CommandContext } from '../../src/discord/command.js';
import type { Library } from '../../src/search/library.js';
import { click, contextOf, customIds, INVOKER, listedTitles, onlyEmbed, PAGES, run, testLibrary, userErrorOf } from './context.js';

/** The distinct names a pattern finds in the text of the test library's pages, in order of first appearance. */
async function namesOnPages(pattern: RegExp): Promise<string[]> {
  const texts = await Promise.all(PAGES.map((file) => readFile(file, 'utf8')));
  return [...new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((match) => match[0])))];
}

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

describe('/coauthor', () => {
  it("lists a person's papers newest first, 5 a page, with their most frequent coauthors and counts", async () => {
    const reply = await run(coauthor, ctx, { name: 'francesco locatello' });
    const embed = onlyEmbed(reply);
    const papers = library.index.people.papersOf('francesco locatello');
    expect(embed.title).toBe('Papers of Francesco Locatello');
    expect(embed.description).toMatch(new RegExp(`^\\*\\*${papers.length}\\*\\* papers in the corpus, newest first\\.`));
    expect(listedTitles(embed)).toEqual(papers.slice(0, 5).map((p) => p.title));
    const field = embed.fields?.find((f) => f.name === 'Most frequent coauthors (shared papers)');
    const top = library.index.people.coauthorsOf('francesco locatello', 10);
    expect(field?.value.split('\n')).toEqual(top.map((c) => `${c.person.name} — ${c.shared}`));
    expect(field?.value.split('\n')[0]).toBe('Francesco Montagna — 8');
  });

  it('resolves a name however it is spelled (accents, case, family name alone)', async () => {
    const embed = onlyEmbed(await run(coauthor, ctx, { name: 'MATTHAUS KLEINDESSNER' }));
    expect(embed.title).toBe('Papers of Matthäus Kleindessner');
    expect(embed.description).not.toContain('read as');
  });

  it('says whom a partly typed name was read as', async () => {
    const embed = onlyEmbed(await run(coauthor, ctx, { name: 'kleind', with: 'Francesco Locatello' }));
    expect(embed.title).toBe('Papers of Matthäus Kleindessner with Francesco Locatello');
    expect(embed.description?.split('\n').slice(0, 2).join('\n')).toMatchInlineSnapshot(`
      "**3** shared papers, newest first.
      “kleind” is read as Matthäus Kleindessner."
    `);
  });

  it('pages through the papers with Next, editing the message', async () => {
    const first = await run(coauthor, ctx, { name: 'francesco locatello' });
    const next = customIds(first).find((id) => id.startsWith('coauthor:page:1:'));
    expect(next).toBeDefined();
    const second = await click(coauthor, ctx, next!);
    expect(second.update).toBe(true);
    expect(listedTitles(onlyEmbed(second))).toEqual(library.index.people.papersOf('francesco locatello').slice(5, 10).map((p) => p.title));
  });

  it('with `with`, lists only the papers the two share', async () => {
    const embed = onlyEmbed(await run(coauthor, ctx, { name: 'Francesco Locatello', with: 'Dingling Yao' }));
    const shared = library.index.people.sharedPapers('francesco locatello', 'dingling yao');
    expect(shared.length).toBeGreaterThan(1);
    expect(embed.title).toBe('Papers of Francesco Locatello with Dingling Yao');
    expect(embed.description).toMatch(new RegExp(`^\\*\\*${shared.length}\\*\\* shared papers, newest first\\.`));
    expect(listedTitles(embed)).toEqual(shared.slice(0, 5).map((p) => p.title));
  });

  it('has no pager when everything fits on one page', async () => {
    const reply = await run(coauthor, ctx, { name: 'Bo Ström' });
    expect(customIds(reply)).toEqual(['coauthor:open']);
  });

  it('escapes names and defuses mentions in them', async () => {
    const embed = onlyEmbed(await run(coauthor, ctx, { name: 'Eve Mallory' }));
    expect(embed.title).toBe('Papers of Eve @\u200beveryone Mallory');
  });
});

describe('/coauthor autocomplete', () => {
  const complete = (options: Record<string, string>, name: string, value: string) =>
    coauthor.autocomplete!({ command: 'coauthor', options, invoker: INVOKER, focused: { name, value } }, ctx);

  it("offers the `name` person's coauthors first for `with`, most shared papers first, never the person", async () => {
    const choices = await complete({ name: 'francesco locatello' }, 'with', '');
    const top = library.index.people.coauthorsOf('francesco locatello', 25);
    expect(choices.map((c) => c.value)).toEqual(top.map((c) => c.person.key));
    expect(choices[0]).toEqual({ name: 'Francesco Montagna — 8 shared papers', value: 'francesco montagna' });
    expect(choices.map((c) => c.value)).not.toContain('francesco locatello');
  });

  it('narrows the coauthors to what is typed, and offers no one who shares no paper', async () => {
    const choices = await complete({ name: 'Francesco Locatello' }, 'with', 'fran');
    const coauthors = library.index.people.coauthorsOf('francesco locatello', 500).filter((c) => /\bfran/i.test(c.person.name));
    expect(coauthors.length).toBeGreaterThan(0);
    expect(choices.map((c) => c.value)).toEqual(coauthors.map((c) => c.person.key));
    const lohaus = await complete({ name: 'Michael Lohaus' }, 'with', '');
    expect(lohaus.map((c) => c.value)).toEqual(library.index.people.coauthorsOf('michael lohaus', 25).map((c) => c.person.key));
  });

  it('offers people as for any person option when `name` is empty or unknown', async () => {
    const plain = library.index.people.suggest('dingl', 25);
    expect(await complete({}, 'with', 'dingl')).toEqual(plain);
    expect(await complete({ name: 'Zzyzx Nobody' }, 'with', 'dingl')).toEqual(plain);
    expect(await complete({ with: 'x' }, 'name', 'dingl')).toEqual(plain);
  });
});

describe('/coauthor wording of what the member is told', () => {
  it('says when two people share no paper', async () => {
    expect(await userErrorOf(() => run(coauthor, ctx, { name: 'Bo Ström', with: 'Dingling Yao' }))).toMatchInlineSnapshot(`"Bo Ström and Dingling Yao share no paper in the corpus."`);
  });

  it('asks for two different people', async () => {
    expect(await userErrorOf(() => run(coauthor, ctx, { name: 'Bo Strom', with: 'bo ström' }))).toMatchInlineSnapshot(`"Give two different people: both names are Bo Ström."`);
  });

  it('finds a person through a typo in the name, and says whom it was read as', async () => {
    // The seed page's people whose family name is "Locatello", by a scan of the pages: the one "Locatelo" means.
    const meant = await namesOnPages(/\p{Lu}[\p{L}-]+ Locatello\b/gu);
    expect(meant).toHaveLength(1);
    const embed = onlyEmbed(await run(coauthor, ctx, { name: 'Locatelo' }));
    expect(embed.title).toBe(`Papers of ${meant[0]}`);
    expect(embed.description?.split('\n')[1]).toMatchInlineSnapshot(`"“Locatelo” is read as Francesco Locatello."`);
  });

  it('says a name that fits several people is ambiguous, and lists them all', async () => {
    // Everyone called "Francesco" on the pages, by a scan of their text.
    const francescos = await namesOnPages(/\bFrancesco \p{Lu}[\p{L}-]+/gu);
    expect(francescos.length).toBeGreaterThan(1);
    const message = await userErrorOf(() => run(coauthor, ctx, { name: 'Francesco' }));
    expect(message).not.toMatch(/No one called/);
    for (const name of francescos) expect(message).toContain(name);
    expect(message).toMatchInlineSnapshot(`"“Francesco” is ambiguous (\`name\`): it could be Francesco Locatello or Francesco Montagna. Give more of the name, or pick one from the suggestions as you type."`);
  });

  it('names close spellings for a name that fits nobody', async () => {
    expect(await userErrorOf(() => run(coauthor, ctx, { name: 'Francesca' }))).toMatchInlineSnapshot(`"No one called “Francesca” is in the corpus (\`name\`). Did you mean Francesco Locatello or Francesco Montagna?"`);
    expect(await userErrorOf(() => run(coauthor, ctx, { name: 'Zzyzx Nobody' }))).toMatchInlineSnapshot(`"No one called “Zzyzx Nobody” is in the corpus (\`name\`). Pick a name from the suggestions as you type."`);
  });

  it('says the list has expired after 15 minutes', async () => {
    const first = await run(coauthor, ctx, { name: 'francesco locatello' });
    const next = customIds(first).find((id) => id.startsWith('coauthor:page:1:'))!;
    const later = contextOf(library, () => new Date(ctx.now().getTime() + 20 * 60 * 1000));
    expect(await userErrorOf(() => click(coauthor, later, next))).toMatchInlineSnapshot(`"This list has expired: buttons work for 15 minutes. Run /coauthor again."`);
  });
});
