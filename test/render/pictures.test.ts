/**
 * The two pictures over the command tests' real corpus: decoded from PNG and checked against what the test
 * counts in the corpus itself (categories, coauthors), never against the renderer's own numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { personKey } from '../../src/corpus/names.js';
import type { Paper } from '../../src/corpus/schema.js';
import { coauthorNetworkInput, coauthorPicture, MAX_COAUTHORS_DRAWN, statsChartInput, statsPicture } from '../../src/discord/pictures.js';
import type { Library } from '../../src/search/library.js';
import { networkSvg, renderNetwork } from '../../src/render/network.js';
import { renderStatsChart, statsChartSpec, statsChartSvg, type StatsChartInput } from '../../src/render/stats-chart.js';
import { ACCENT, PALETTE } from '../../src/render/theme.js';
import { testLibrary } from '../commands/context.js';
import { decodePng, inkShare, pixelsOf, translucentPixels } from './png.js';

const ONE_MB = 1_024 * 1_024;
const SEED_OWNER = 'Francesco Locatello';

let library: Library;

beforeAll(async () => {
  library = await testLibrary();
});

// Every person on a paper, by the test's own notion of "the same person": case, accents and German
// transliteration aside (the seed spells one coauthor both "Matthäus" and "Matthaeus").
function peopleOn(paper: Paper): Set<string> {
  return new Set([...paper.authors, ...paper.owners].map(sameKey));
}

function sameKey(name: string): string {
  return personKey(name).replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

// The texts of an SVG's <text> elements, entities decoded.
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
}

// Category → colour, as the chart's Vega-Lite spec scales them.
function colourOfEach(input: StatsChartInput): Map<string, string> {
  const encoding = statsChartSpec(input) as { encoding: { color: { scale: { domain: string[]; range: string[] } } } };
  const { domain, range } = encoding.encoding.color.scale;
  return new Map(domain.map((category, i) => [category, range[i] ?? '']));
}

function expectAPicture(bytes: Uint8Array): ReturnType<typeof decodePng> {
  expect(bytes.byteLength).toBeLessThan(ONE_MB);
  const png = decodePng(bytes);
  expect(png.width).toBeGreaterThanOrEqual(800);
  expect(png.height).toBeGreaterThanOrEqual(450);
  // An opaque background of its own: the same on Discord's dark and light themes.
  expect(translucentPixels(png)).toBe(0);
  expect(inkShare(png)).toBeGreaterThan(0.03);
  return png;
}

describe('the /stats chart', () => {
  it('is a PNG of at least 800×450 under 1 MB, opaque, not blank, with a bar colour for every category of the corpus', async () => {
    const scope = { label: 'whole corpus', papers: library.corpus.papers, key: 'corpus' };
    const png = expectAPicture((await renderStatsChart(statsChartInput(library, scope))).data);
    const categories = new Set(library.corpus.papers.map((paper) => paper.category));
    expect(categories.size).toBeGreaterThan(2);
    // Each category is drawn (swatch and bars) in the colour the spec gives it, and no other palette colour is.
    const colours = new Set(colourOfEach(statsChartInput(library, scope)).values());
    expect(colours.size).toBe(categories.size);
    for (const colour of colours) expect(pixelsOf(png, colour), `colour ${colour}`).toBeGreaterThan(100);
    for (const colour of PALETTE.filter((c) => !colours.has(c))) expect(pixelsOf(png, colour), `colour ${colour}`).toBe(0);
  });

  it("keeps every category's colour when a paper of a new category is added, even one that reorders the legend", () => {
    const papers = library.corpus.papers;
    const before = colourOfEach(statsChartInput(library, { label: 'whole corpus', papers, key: 'corpus' }));
    const newcomer = (i: number): Paper => ({ ...papers[0]!, id: `newcomer-${i}`, title: `A paper in artificial intelligence ${i}`, category: 'cs.AI', categoryLabel: 'cs.AI' });
    const onePaper = colourOfEach(statsChartInput(library, { label: 'whole corpus', papers: [...papers, newcomer(0)], key: 'corpus' }));
    // As many papers of it as there are in all: the new category goes to the head of the legend.
    const many = Array.from({ length: papers.length }, (_, i) => newcomer(i));
    const reordered = statsChartInput(library, { label: 'whole corpus', papers: [...papers, ...many], key: 'corpus' });
    expect(reordered.categories[0]?.name).toBe('cs.AI');
    for (const after of [onePaper, colourOfEach(reordered)]) {
      expect(after.size).toBe(before.size + 1);
      for (const [category, colour] of before) expect(after.get(category), category).toBe(colour);
    }
    // The papers' own categories (all known ones in the seed) keep colours apart.
    expect(new Set(before.values()).size).toBe(before.size);
  });

  it("names every category of the corpus in the legend, once, and says the corpus's date in a corner", async () => {
    const svg = await statsChartSvg(statsChartInput(library, { label: 'whole corpus', papers: library.corpus.papers, key: 'corpus' }));
    const texts = svgTexts(svg);
    const categories = [...new Set(library.corpus.papers.map((paper) => paper.category))];
    for (const category of categories) expect(texts.filter((text) => text.endsWith(`(${category})`) || text === category), category).toHaveLength(1);
    const years = library.corpus.papers.map((paper) => Number(paper.date.slice(0, 4)));
    expect(texts).toContain(`${library.corpus.papers.length} papers in ${categories.length} categories · ${Math.min(...years)}–${Math.max(...years)}`);
    expect(texts).toContain(`Corpus of ${library.loadedAt.toISOString().slice(0, 10)}`);
  });

  it("counts only one page owner's papers with a profile scope", async () => {
    const owner = 'Bo Ström';
    const papers = library.corpus.papers.filter((paper) => paper.owners.some((name) => personKey(name) === personKey(owner)));
    const texts = svgTexts(await statsChartSvg(statsChartInput(library, { label: owner, papers, key: 'bo' })));
    expect(texts).toContain(`Papers per year · ${owner}`);
    const categories = new Set(papers.map((paper) => paper.category));
    expect(texts.some((text) => text.startsWith(`${papers.length} papers in ${categories.size} categor`))).toBe(true);
    expect(papers.length).toBeLessThan(library.corpus.papers.length);
  });

  it('renders the same corpus to the same bytes, and a second ask costs nothing (the cached file)', async () => {
    const scope = { label: 'whole corpus', papers: library.corpus.papers, key: 'corpus' };
    const [a, b] = [await renderStatsChart(statsChartInput(library, scope)), await renderStatsChart(statsChartInput(library, scope))];
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const first = await statsPicture(library, scope);
    const second = await statsPicture(library, scope);
    expect(second.data).toBe(first.data);
    const reloaded = await testLibrary();
    expect((await statsPicture(reloaded, scope)).data).not.toBe(first.data);
  });
});

describe('the /coauthor network', () => {
  it('draws the person and their 30 most frequent coauthors of all those the corpus has, and counts the rest in the caption', async () => {
    const person = library.index.people.resolve(SEED_OWNER);
    if (!person) throw new Error('no seed owner');
    const own = sameKey(SEED_OWNER);
    const coauthors = new Set<string>();
    for (const paper of library.corpus.papers) {
      const people = peopleOn(paper);
      if (people.has(own)) for (const key of people) if (key !== own) coauthors.add(key);
    }
    expect(coauthors.size).toBeGreaterThan(MAX_COAUTHORS_DRAWN);
    const svg = networkSvg(coauthorNetworkInput(library, person, null));
    expect(svg.match(/<circle /g)).toHaveLength(MAX_COAUTHORS_DRAWN + 1);
    expect(svgTexts(svg)).toContain(`${coauthors.size - MAX_COAUTHORS_DRAWN} more coauthors with fewer shared papers not drawn.`);
    expect(svgTexts(svg)).toContain(SEED_OWNER);
  });

  it('draws everyone when there are few, with each coauthor labelled by the papers they share', async () => {
    const person = library.index.people.resolve('Bo Ström');
    if (!person) throw new Error('no colleague');
    const own = sameKey('Bo Ström');
    const shared = new Map<string, number>();
    for (const paper of library.corpus.papers) {
      const people = peopleOn(paper);
      if (people.has(own)) for (const key of people) if (key !== own) shared.set(key, (shared.get(key) ?? 0) + 1);
    }
    expect(shared.size).toBeLessThanOrEqual(MAX_COAUTHORS_DRAWN);
    const svg = networkSvg(coauthorNetworkInput(library, person, null));
    expect(svg.match(/<circle /g)).toHaveLength(shared.size + 1);
    const labelled = svgTexts(svg).filter((text) => / \(\d+\)$/.test(text));
    expect(labelled.map((text) => Number(/\((\d+)\)$/.exec(text)?.[1])).sort()).toEqual([...shared.values()].sort());
  });

  it('is a PNG within the limits, the same bytes twice, and with `with` the pair in the accent colour', async () => {
    const person = library.index.people.resolve(SEED_OWNER);
    const other = library.index.people.resolve('Dingling Yao');
    if (!person || !other) throw new Error('people missing');
    const plain = await renderNetwork(coauthorNetworkInput(library, person, null));
    const again = await renderNetwork(coauthorNetworkInput(library, person, null));
    expect(Buffer.from(plain.data).equals(Buffer.from(again.data))).toBe(true);
    const png = expectAPicture(plain.data);
    expect(pixelsOf(png, ACCENT)).toBe(0);
    const paired = coauthorNetworkInput(library, person, other);
    const svg = networkSvg(paired);
    expect(svg.match(new RegExp(`<circle [^>]*fill="${ACCENT}"`, 'g'))).toHaveLength(2);
    expect(pixelsOf(expectAPicture((await renderNetwork(paired)).data), ACCENT)).toBeGreaterThan(500);
    const file = await coauthorPicture(library, person, other);
    expect((await coauthorPicture(library, person, other)).data).toBe(file.data);
  });
});
