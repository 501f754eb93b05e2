/** The pictures replies carry: the corpus counted into the renderers' input, rendered to PNG, cached per library snapshot. */
import type { Paper } from '../corpus/schema.js';
import type { Library } from '../search/library.js';
import { remember } from '../search/lru-cache.js';
import type { NetworkEdge, NetworkInput, NetworkNode } from '../render/network.js';
import type { Png } from '../render/font.js';
import type { StatsChartInput } from '../render/stats-chart.js';
import { categoryColour } from '../render/theme.js';
import type { Person } from '../search/types.js';
import type { ReplyFile } from './command.js';
import { categoryText, paperYear } from './embeds.js';

/** Coauthors drawn at most; the rest are counted in the caption. */
export const MAX_COAUTHORS_DRAWN = 30;
/** Pictures kept per library snapshot; past it the least recently used goes. */
const CACHE_ENTRIES = 64;

const cache = new WeakMap<Library, Map<string, Promise<Png>>>();

/** The papers a /stats chart counts, what to call them ("whole corpus", a name), and their key in the cache. */
interface StatsScope {
  label: string;
  papers: readonly Paper[];
  key: string;
}

/** Loads the renderers now: loading holds the event loop for seconds, so entry points do it before taking interactions. */
export async function loadRenderers(): Promise<void> {
  await Promise.all([import('../render/stats-chart.js'), import('../render/network.js')]);
}

/** The /stats chart as a reply file. */
export async function statsPicture(library: Library, scope: StatsScope): Promise<ReplyFile> {
  const png = await cached(library, `stats\u0000${scope.key}`, async () => {
    // Loaded on first use (or by `loadRenderers` at start): Vega and resvg cost `ask` and the tests half a second at start.
    const { renderStatsChart } = await import('../render/stats-chart.js');
    return renderStatsChart(statsChartInput(library, scope));
  });
  return { name: 'stats.png', data: png.data, description: `Bar chart: papers per year by category, ${scope.label}` };
}

/** The /coauthor network as a reply file; with `other`, their shared papers highlighted. */
export async function coauthorPicture(library: Library, person: Person, other: Person | null): Promise<ReplyFile> {
  const png = await cached(library, `coauthor\u0000${person.key}\u0000${other?.key ?? ''}`, async () => {
    const { renderNetwork } = await import('../render/network.js');
    return renderNetwork(coauthorNetworkInput(library, person, other));
  });
  const description = other ? `Collaboration network of ${person.name}, papers shared with ${other.name} highlighted` : `Collaboration network of ${person.name}`;
  return { name: 'coauthor.png', data: png.data, description };
}

/** The chart's input: papers per year and category, categories most papers first (ties by name), each in its own colour. */
export function statsChartInput(library: Library, scope: StatsScope): StatsChartInput {
  const perCategory = new Map<string, { count: number; colour: string }>();
  const perYearCategory = new Map<string, { year: number; category: string; count: number }>();
  for (const paper of scope.papers) {
    // Vega draws text as it is: nothing to escape.
    const category = categoryText(paper, String);
    perCategory.set(category, { count: (perCategory.get(category)?.count ?? 0) + 1, colour: categoryColour(paper.category) });
    const year = paperYear(paper);
    const key = `${year}\u0000${category}`;
    const entry = perYearCategory.get(key) ?? { year, category, count: 0 };
    entry.count += 1;
    perYearCategory.set(key, entry);
  }
  const categories = [...perCategory].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).map(([name, { colour }]) => ({ name, colour }));
  const years = [...perYearCategory.values()].map((entry) => entry.year);
  const span = years.length === 0 ? '' : ` · ${Math.min(...years)}–${Math.max(...years)}`;
  return {
    title: `Papers per year · ${scope.label}`,
    subtitle: `${count(scope.papers.length, 'paper')} in ${count(categories.length, 'category', 'categories')}${span}`,
    corner: corpusDate(library),
    categories,
    counts: [...perYearCategory.values()],
  };
}

/** The network's input: the person and their most frequent coauthors (`other` always drawn), shared papers highlighted. */
export function coauthorNetworkInput(library: Library, person: Person, other: Person | null): NetworkInput {
  const index = library.index;
  const all = index.people.coauthorsOf(person.key, Number.MAX_SAFE_INTEGER);
  let drawn = all.slice(0, MAX_COAUTHORS_DRAWN);
  if (other && !drawn.some((c) => c.person.key === other.key)) {
    const entry = all.find((c) => c.person.key === other.key);
    if (entry) drawn = [...drawn.slice(0, MAX_COAUTHORS_DRAWN - 1), entry];
  }
  const drawnKeys = new Set(drawn.map((c) => c.person.key));
  // Everyone on a paper (authors and page owners) by key, once each; each spelling resolved once (papers repeat names).
  const keys = new Map<string, string | null>();
  const keyOf = (name: string): string | null => {
    if (!keys.has(name)) keys.set(name, index.people.resolve(name)?.key ?? null);
    return keys.get(name) ?? null;
  };
  const peopleOn = (paper: Paper): string[] => [...new Set([...paper.authors, ...paper.owners].map(keyOf))].filter((key) => key !== null);
  const papers = index.people.papersOf(person.key);
  const shared = other ? index.people.sharedPapers(person.key, other.key) : [];
  const highlightedPeople = new Set(shared.flatMap(peopleOn).filter((key) => key === person.key || drawnKeys.has(key)));
  const pairs = new Map<string, NetworkEdge>();
  const sharedIds = new Set(shared.map((paper) => paper.id));
  for (const paper of papers) {
    const onPaper = peopleOn(paper).filter((key) => drawnKeys.has(key)).sort();
    onPaper.forEach((source, i) => {
      for (const target of onPaper.slice(i + 1)) {
        const id = `${source}\u0000${target}`;
        const edge = pairs.get(id) ?? { source, target, weight: 0 };
        edge.weight += 1;
        if (sharedIds.has(paper.id)) edge.highlighted = true;
        pairs.set(id, edge);
      }
    });
  }
  const pair = new Set(other ? [person.key, other.key] : []);
  const node = (p: Person, weight: number): NetworkNode => ({
    id: p.key,
    label: p.name,
    weight,
    ...(highlightedPeople.has(p.key) ? { highlighted: true } : {}),
    ...(pair.has(p.key) ? { emphasis: 'pair' as const } : {}),
  });
  const edges: NetworkEdge[] = [
    ...drawn.map((c) => ({ source: person.key, target: c.person.key, weight: c.shared, ...(highlightedPeople.has(c.person.key) ? { highlighted: true } : {}) })),
    ...pairs.values(),
  ];
  const hidden = all.length - drawn.length;
  const captions: string[] = [];
  if (other) captions.push(`Red: ${person.name} and ${other.name}, and the lines and rings of their ${count(shared.length, 'shared paper')}.`);
  captions.push(hidden > 0 ? `${count(hidden, 'more coauthor')} with fewer shared papers not drawn.` : 'Node size: papers shared with the person in the centre.');
  return {
    title: other ? `Coauthors of ${person.name}, with ${other.name}` : `Coauthors of ${person.name}`,
    subtitle: `${count(papers.length, 'paper')} · ${count(all.length, 'coauthor')}${hidden > 0 ? ` (the ${drawn.length} most frequent drawn)` : ''} · (n) = shared papers`,
    caption: captions,
    corner: corpusDate(library),
    centre: node(person, papers.length),
    coauthors: drawn.map((c) => node(c.person, c.shared)),
    edges,
  };
}

// The render, once per library and key; a failed render is forgotten so the next ask tries again.
function cached(library: Library, key: string, render: () => Promise<Png>): Promise<Png> {
  const pictures = cache.get(library) ?? new Map<string, Promise<Png>>();
  cache.set(library, pictures);
  return remember(pictures, CACHE_ENTRIES, key, () => {
    const promise = render();
    promise.catch(() => pictures.delete(key));
    return promise;
  });
}

function corpusDate(library: Library): string {
  return `Corpus of ${library.loadedAt.toISOString().slice(0, 10)}`;
}

function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
