/**
 * Synthetic profile pages in the seed's format, made from the seed's own vocabulary: its people,
 * categories, affiliations, and word-to-next-word chains over its titles and abstracts. Deterministic:
 * the same seed page, size and PRNG seed give the same pages, byte for byte.
 */
import { foldText } from '../src/corpus/names.js';
import { parseProfilePage } from '../src/corpus/parse.js';
import type { PageFile } from '../src/corpus/load.js';
import { printProfilePage } from '../src/corpus/print.js';
import type { Paper } from '../src/corpus/schema.js';

/** Papers on one generated page. */
export const PAPERS_PER_PAGE = 100;

/** Options for `syntheticPages`. */
export interface SyntheticOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** The date year-less seed dates are read against. */
  asOf?: Date;
}

/**
 * Pages holding `paperCount` papers in all: the seed page itself first (so its acronyms and people
 * stay findable), then generated pages of `PAPERS_PER_PAGE` papers each. At or below the seed's own
 * size, just the seed.
 */
export function syntheticPages(seedPage: PageFile, paperCount: number, options: SyntheticOptions = {}): PageFile[] {
  const seedPapers = parseProfilePage(seedPage.text, seedPage.file, { asOf: options.asOf }).papers;
  const pages: PageFile[] = [seedPage];
  let remaining = paperCount - seedPapers.length;
  if (remaining <= 0) return pages;
  const vocabulary = Vocabulary.from(seedPapers);
  const random = mulberry32(options.seed ?? 1);
  const titles = new Set(seedPapers.map((paper) => foldText(paper.title)));
  for (let page = 1; remaining > 0; page += 1) {
    const owner = vocabulary.newPerson(random);
    const count = Math.min(PAPERS_PER_PAGE, remaining);
    const papers = Array.from({ length: count }, () => vocabulary.paper(random, owner, titles));
    const file = `synthetic-${String(page).padStart(5, '0')}.txt`;
    const text = printProfilePage({ owner, primaryCategory: papers[0]?.categoryCode ?? 'LG', papersListed: count }, papers);
    pages.push({ file, text });
    remaining -= count;
  }
  return pages;
}

/** A PRNG (mulberry32): the same seed gives the same numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const START = '\u0002';
const END = '\u0003';

// What the seed offers to build papers from.
class Vocabulary {
  private constructor(
    readonly people: string[],
    readonly firstNames: string[],
    readonly lastNames: string[],
    readonly categories: Array<Pick<Paper, 'categoryCode' | 'category' | 'categoryLabel'>>,
    readonly affiliations: string[],
    readonly titleChain: Map<string, string[]>,
    readonly abstractChain: Map<string, string[]>,
  ) {}

  static from(papers: readonly Paper[]): Vocabulary {
    const people = [...new Set(papers.flatMap((paper) => [...paper.authors, ...paper.owners]))].sort();
    const firstNames = [...new Set(people.map((name) => name.split(' ')[0] ?? name))].sort();
    const lastNames = [...new Set(people.map((name) => name.split(' ').at(-1) ?? name))].sort();
    const categories = papers.map(({ categoryCode, category, categoryLabel }) => ({ categoryCode, category, categoryLabel }));
    const affiliations = [...new Set(papers.flatMap((paper) => paper.affiliations))].sort();
    return new Vocabulary(
      people,
      firstNames,
      lastNames,
      categories,
      affiliations,
      chainOf(papers.map((paper) => paper.title)),
      chainOf(papers.map((paper) => paper.abstract)),
    );
  }

  // A new name: a seed first name with a seed family name.
  newPerson(random: () => number): string {
    return `${pick(random, this.firstNames)} ${pick(random, this.lastNames)}`;
  }

  paper(random: () => number, owner: string, titles: Set<string>): Paper {
    let title = walk(random, this.titleChain, 4, 16);
    while (titles.has(foldText(title))) title = `${title} ${walk(random, this.titleChain, 1, 3)}`;
    titles.add(foldText(title));
    const authorCount = 2 + Math.floor(random() * 6);
    const authors = Array.from({ length: authorCount }, () => (random() < 0.6 ? pick(random, this.people) : this.newPerson(random)));
    if (random() < 0.4) authors[Math.floor(random() * authors.length)] = owner;
    const printed = [...new Set(authors)];
    const truncated = printed.length > 3;
    const category = pick(random, this.categories);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    // 2018–2026, never after the seed's as-of date (a page dated in the future gets a diagnostic).
    const drawn = 2018 + Math.floor(random() * 9);
    const year = drawn === 2026 && month === 12 ? 2025 : drawn;
    return {
      id: 'synthetic',
      title,
      authors: truncated ? printed.slice(0, 3) : printed,
      authorsTruncated: truncated,
      owners: [owner],
      affiliations: random() < 0.3 ? [pick(random, this.affiliations)] : [],
      ...category,
      date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      hasCode: random() < 0.15,
      codeUrl: null,
      abstract: walk(random, this.abstractChain, 60, 220),
      source: { file: 'synthetic', line: 1 },
    };
  }
}

// Word → the words that follow it in the texts (with repeats, so frequent pairs stay frequent).
function chainOf(texts: readonly string[]): Map<string, string[]> {
  const chain = new Map<string, string[]>();
  for (const text of texts) {
    const words = [START, ...text.split(/\s+/).filter(Boolean), END];
    for (let i = 0; i + 1 < words.length; i += 1) {
      const word = words[i] ?? START;
      const next = chain.get(word);
      if (next === undefined) chain.set(word, [words[i + 1] ?? END]);
      else next.push(words[i + 1] ?? END);
    }
  }
  return chain;
}

// A walk along the chain of `min` to `max` words; an early end starts a new sentence.
function walk(random: () => number, chain: Map<string, string[]>, min: number, max: number): string {
  const words: string[] = [];
  let word = START;
  while (words.length < max) {
    word = pick(random, chain.get(word) ?? [END]);
    if (word === END) {
      if (words.length >= min) break;
      word = START;
      continue;
    }
    words.push(word);
  }
  return words.join(' ');
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('bench: nothing to pick from');
  return item;
}
