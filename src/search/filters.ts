/**
 * Filters (a person, a category, years, code) checked against the corpus and turned into the papers they
 * allow: a list of ordinals, newest first, and a mask by ordinal for the query plan.
 */
import type { Catalog } from './catalog.js';
import { MAX_NAME_CHARS, type YearRange } from './query.js';

/** Filters, usable with or without a query. Every field is optional; absent means "any". */
export interface SearchFilters {
  /** A person: any printed spelling or the person key; resolved with `personKey`. */
  author?: string;
  /** A category code or arXiv name, any case (`ME`, `stat.me`). */
  category?: string;
  /** Inclusive year range; give both the same for one year. */
  yearFrom?: number;
  yearTo?: number;
  hasCode?: boolean;
}

/** Filters checked: a person key and category code the corpus has (or `?text`, which matches nothing), years in order. */
export interface ResolvedFilters {
  author: string | null;
  category: string | null;
  yearFrom: number | null;
  yearTo: number | null;
  hasCode: boolean | null;
}

/**
 * Checks filters against the corpus: an unknown person or category stays as given, so it matches nothing. A year
 * range typed in the query narrows the filters' own.
 */
export function resolveFilters(filters: SearchFilters, { people, categories }: Catalog, typed: YearRange | null = null): ResolvedFilters {
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
  let candidates: Int32Array | null = null;
  if (author !== null) candidates = parts.people.ordinalsOf(author);
  if (category !== null) {
    const inCategory = parts.categories.ordinalsOf(category);
    const byAuthor = new Set(candidates);
    candidates = candidates === null ? inCategory : inCategory.filter((ordinal) => byAuthor.has(ordinal));
  }
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
