/**
 * The papers in index order and what is built from them alone, without text analysis: a paper by id or exact
 * title, each paper's year and code flag (for filters), the people (people.ts), the categories (categories.ts)
 * and the title suggester (titles.ts). A saved index carries the people and the title suggester, which take
 * longest to build; the rest is rebuilt when it is loaded.
 */
import { newestFirst } from '../corpus/merge.js';
import type { Paper } from '../corpus/schema.js';
import { Categories } from './categories.js';
import type { Steps } from './pacing.js';
import { People, type SavedPeople } from './people.js';
import type { SavedMiniSearch } from './saved.js';
import { fold } from './text.js';
import { TitleSuggester } from './titles.js';

/** The structures over papers in index order; a paper's ordinal is its position in that order. */
export interface Catalog {
  people: People;
  categories: Categories;
  titles: TitleSuggester;
  /** By ordinal, for filters: each paper's year, and 1 where it has code. */
  years: Int16Array;
  hasCode: Uint8Array;
  ordinalOf: Map<string, number>;
  /** A folded title → the newest paper with it. */
  ordinalOfTitle: Map<string, number>;
}

/** The papers newest first (ties by title, then id): the corpus keeps them so; sorted only when it does not. */
export function inIndexOrder(papers: readonly Paper[]): readonly Paper[] {
  for (let i = 1; i < papers.length; i += 1) {
    if (newestFirst(papers[i - 1] as Paper, papers[i] as Paper) > 0) return Object.freeze([...papers].sort(newestFirst));
  }
  return Object.freeze([...papers]);
}

/** Builds the catalog of papers in index order, a step at a time (see pacing.ts); the people and titles from `saved` when given. */
export function* buildCatalog(papers: readonly Paper[], saved?: { people: SavedPeople; titles: SavedMiniSearch }): Steps<Catalog> {
  const ordinalOf = new Map<string, number>();
  const ordinalOfTitle = new Map<string, number>();
  const years = new Int16Array(papers.length);
  const hasCode = new Uint8Array(papers.length);
  const foldedTitles: string[] = [];
  for (const [ordinal, paper] of papers.entries()) {
    ordinalOf.set(paper.id, ordinal);
    const title = fold(paper.title);
    foldedTitles.push(title);
    if (!ordinalOfTitle.has(title)) ordinalOfTitle.set(title, ordinal);
    years[ordinal] = Number(paper.date.slice(0, 4));
    hasCode[ordinal] = paper.hasCode ? 1 : 0;
    if (ordinal % CHUNK === CHUNK - 1) yield;
  }
  const categories = new Categories(papers);
  yield;
  const people = saved ? People.load(papers, saved.people) : yield* People.build(papers);
  const titles = saved ? TitleSuggester.load(papers, foldedTitles, saved.titles) : yield* TitleSuggester.build(papers, foldedTitles);
  return { people, titles, categories, ordinalOf, ordinalOfTitle, years, hasCode };
}

/** Papers taken between two yields. */
const CHUNK = 2_000;
