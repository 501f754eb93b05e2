import { beforeAll, describe, expect, it } from 'vitest';
import latest from '../../commands/latest.js';
import type { CommandContext } from '../../src/discord/command.js';
import type { Library } from '../../src/search/library.js';
import { click, contextOf, customIds, listedTitles, onlyEmbed, run, testLibrary, userErrorOf } from './context.js';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary();
  ctx = contextOf(library);
});

describe('/latest', () => {
  it('lists the 5 newest papers, newest first, as a public reply', async () => {
    const reply = await run(latest, ctx, {});
    expect(reply.ephemeral).toBeFalsy();
    const embed = onlyEmbed(reply);
    expect(embed.title).toBe('The 5 latest papers');
    const newest = [...library.corpus.papers].sort((a, b) => b.date.localeCompare(a.date)).slice(0, 5);
    expect(listedTitles(embed)).toEqual(newest.map((p) => p.title));
    expect(listedTitles(embed)[0]).toBe('Reconciling Causality and Non-Equilibrium Thermodynamics with Hamiltonian Causal Models');
  });

  it('takes a count from 1 to 10', async () => {
    expect(listedTitles(onlyEmbed(await run(latest, ctx, { count: 1 })))).toHaveLength(1);
    expect(onlyEmbed(await run(latest, ctx, { count: 1 })).title).toBe('The latest paper');
    expect(listedTitles(onlyEmbed(await run(latest, ctx, { count: 10 })))).toHaveLength(10);
  });

  it('filters by category (code or arXiv name, any case) and by author', async () => {
    const embed = onlyEmbed(await run(latest, ctx, { count: 10, category: 'stat.me', author: 'Francesco Montagna' }));
    const expected = library.index.people.papersOf('francesco montagna').filter((p) => p.categoryCode === 'ME').slice(0, 10);
    expect(expected.length).toBeGreaterThan(0);
    expect(listedTitles(embed)).toEqual(expected.map((p) => p.title));
    expect(embed.description).toMatch(/^Newest first, by Francesco Montagna, in Methodology\./);
  });

  it('gives each listed paper a menu entry that opens it ephemerally', async () => {
    const reply = await run(latest, ctx, { count: 3 });
    expect(customIds(reply)).toEqual(['latest:open']);
    const first = [...library.corpus.papers].sort((a, b) => b.date.localeCompare(a.date))[0]!;
    const opened = await click(latest, ctx, 'latest:open', [first.id]);
    expect(opened.ephemeral).toBe(true);
    expect(onlyEmbed(opened).title).toBe(first.title);
  });
});

describe('/latest wording of what the member is told', () => {
  it('forgives a typo in the author, and says whom it was read as', async () => {
    const embed = onlyEmbed(await run(latest, ctx, { author: 'Locatelo' }));
    expect(listedTitles(embed)).toEqual(library.index.people.papersOf('francesco locatello').slice(0, 5).map((p) => p.title));
    expect(embed.description?.split('\n')[0]).toMatchInlineSnapshot(`"Newest first, by Francesco Locatello (read from “Locatelo”)."`);
  });

  it('says whom a partly typed author was read as', async () => {
    const embed = onlyEmbed(await run(latest, ctx, { author: 'montagna' }));
    expect(listedTitles(embed)).toEqual(library.index.people.papersOf('francesco montagna').slice(0, 5).map((p) => p.title));
    expect(embed.description?.split('\n')[0]).toMatchInlineSnapshot(`"Newest first, by Francesco Montagna (read from “montagna”)."`);
    expect(onlyEmbed(await run(latest, ctx, { author: 'Francesco Montagna' })).description?.split('\n')[0]).toMatchInlineSnapshot(`"Newest first, by Francesco Montagna."`);
  });

  it('rejects a count out of range', async () => {
    expect(await userErrorOf(() => run(latest, ctx, { count: 11 }))).toMatchInlineSnapshot(`"\`count\` must be a whole number from 1 to 10."`);
  });

  it('says when the filters leave nothing', async () => {
    expect(await userErrorOf(() => run(latest, ctx, { category: 'XY', author: 'Francesco Locatello' }))).toMatchInlineSnapshot(`"No paper matches those filters (by Francesco Locatello, in XY)."`);
  });
});
