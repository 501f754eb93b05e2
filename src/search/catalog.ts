/** What is built from the papers in index order alone (no text analysis), and the filters checked against it. */
import { newestFirst } from '../corpus/merge.js';
import type { Paper } from '../corpus/schema.js';
import { Categories } from './categories.js';
import type { Steps } from './pacing.js';
import { People, type SavedPeople } from './people.js';
import { MAX_NAME_CHARS, type YearRange } from './query.js';
import type { SavedMiniSearch } from './saved.js';
import { fold } from './text.js';
import { TitleSuggester } from './titles.js';

/** The structures over papers in index order; a paper's ordinal is its position in that order. */
export interface Catalog {
  people: People;
  categories: Categories;
  titles: TitleSuggester;
  /** By ordinal: each paper's year, and 1 where it has code. */
  years: Int16Array;
  hasCode: Uint8Array;
  ordinalOf: Map<string, number>;
  /** A folded title → the newest paper with it. */
  ordinalOfTitle: Map<string, number>;
}

/** The papers newest first (ties by title, then id); the corpus keeps them so, which the sort (TimSort) checks in one pass. */
export function inIndexOrder(papers: readonly Paper[]): readonly Paper[] {
  return Object.freeze([...papers].sort(newestFirst));
}

/** Builds the catalog of papers in index order, a step at a time; the people and titles from `saved` when given. */
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

/** Filters, usable with or without a query; absent means "any". */
export interface SearchFilters {
  /** A person: any printed spelling or the person key. */
  author?: string;
  /** A category code or arXiv name, any case (`ME`, `stat.me`). */
  category?: string;
  /** Inclusive; give both the same for one year. */
  yearFrom?: number;
  yearTo?: number;
  hasCode?: boolean;
}

/** Filters checked: a person key and category code the corpus has (or `?text`, which matches nothing), years in order. */
export type ResolvedFilters = { [K in keyof SearchFilters]-?: NonNullable<SearchFilters[K]> | null };

/** Checks filters against the corpus (an unknown person or category matches nothing); years typed in the query narrow them. */
export function resolveFilters(filters: SearchFilters, { people, categories }: Catalog, typed: YearRange | null): ResolvedFilters {
  const author = typeof filters.author === 'string' && filters.author.trim() !== '' ? filters.author : null;
  const category = typeof filters.category === 'string' && filters.category.trim() !== '' ? filters.category : null;
  let yearFrom = isYear(filters.yearFrom) ? filters.yearFrom : null;
  let yearTo = isYear(filters.yearTo) ? filters.yearTo : null;
  if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  if (typed !== null) {
    yearFrom = yearFrom === null ? typed.from : Math.max(yearFrom, typed.from);
    yearTo = yearTo === null ? typed.to : Math.min(yearTo, typed.to);
  }
  return {
    author: author === null ? null : (people.resolve(author)?.key ?? `?${author.slice(0, MAX_NAME_CHARS)}`),
    category: category === null ? null : (categories.resolve(category)?.code ?? `?${category.slice(0, MAX_NAME_CHARS)}`),
    yearFrom,
    yearTo,
    hasCode: typeof filters.hasCode === 'boolean' ? filters.hasCode : null,
  };
}

/** The papers the filters allow, ascending, with a mask by ordinal; null when nothing is filtered. */
export function allowedPapers(filters: ResolvedFilters, parts: Catalog): { list: Int32Array; mask: Uint8Array } | null {
  const { author, category, yearFrom, yearTo, hasCode } = filters;
  if (author === null && category === null && yearFrom === null && yearTo === null && hasCode === null) return null;
  const size = parts.years.length;
  const byAuthor = author === null ? null : parts.people.ordinalsOf(author);
  const inCategory = category === null ? null : parts.categories.ordinalsOf(category);
  const authored = byAuthor !== null && inCategory !== null ? new Set(byAuthor) : null;
  const candidates = authored && inCategory ? inCategory.filter((ordinal) => authored.has(ordinal)) : (byAuthor ?? inCategory);
  const mask = new Uint8Array(size);
  const list: number[] = [];
  const keep = (ordinal: number): void => {
    const year = parts.years[ordinal] ?? 0;
    if (yearFrom !== null && year < yearFrom) return;
    if (yearTo !== null && year > yearTo) return;
    if (hasCode !== null && (parts.hasCode[ordinal] === 1) !== hasCode) return;
    mask[ordinal] = 1;
    list.push(ordinal);
  };
  if (candidates === null) for (let ordinal = 0; ordinal < size; ordinal += 1) keep(ordinal);
  else for (const ordinal of candidates) keep(ordinal);
  return { list: Int32Array.from(list), mask };
}

function isYear(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 9999;
}

const CHUNK = 2_000;
