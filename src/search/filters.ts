/**
 * Filters (a person, a category, years, code) checked against the corpus and turned into the papers they
 * allow: a list of ordinals, newest first, and a mask by ordinal for the query plan. Also the corpus's
 * categories, found by code, arXiv name or label.
 */
import type { Category } from '../corpus/categories.js';
import { foldText } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';
import type { PersonRegistry } from './people.js';
import { compareCodeUnits, foldedWords } from './text.js';
import type { SearchFilters, Suggestion } from './types.js';

/** Filters checked: a person key and category code the corpus has (or `?text`, which matches nothing), years in order. */
export interface ResolvedFilters {
  author: string | null;
  category: string | null;
  yearFrom: number | null;
  yearTo: number | null;
  hasCode: boolean | null;
}

/** A category of the corpus and its papers' ordinals, ascending. */
export interface CategoryGroup {
  category: Category;
  ordinals: Int32Array;
}

/** What filters are checked against. */
interface FilterParts {
  people: PersonRegistry;
  categories: readonly CategoryGroup[];
  years: Int16Array;
  hasCode: Uint8Array;
}

/** Checks filters against the corpus: an unknown person or category stays as given, so it matches nothing. */
export function resolveFilters(
  filters: SearchFilters,
  resolve: { person: (text: string) => string | null; category: (text: string) => string | null },
): ResolvedFilters {
  const author = typeof filters.author === 'string' && filters.author.trim() !== '' ? filters.author : null;
  const category = typeof filters.category === 'string' && filters.category.trim() !== '' ? filters.category : null;
  let yearFrom = isYear(filters.yearFrom) ? filters.yearFrom : null;
  let yearTo = isYear(filters.yearTo) ? filters.yearTo : null;
  if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  return {
    author: author === null ? null : (resolve.person(author) ?? `?${author.slice(0, MAX_NAME_CHARS)}`),
    category: category === null ? null : (resolve.category(category) ?? `?${category.slice(0, MAX_NAME_CHARS)}`),
    yearFrom,
    yearTo,
    hasCode: typeof filters.hasCode === 'boolean' ? filters.hasCode : null,
  };
}

/** The papers the filters allow, ascending, with a mask by ordinal; null when nothing is filtered. */
export function allowedPapers(filters: ResolvedFilters, parts: FilterParts, size: number): { list: Int32Array; mask: Uint8Array } | null {
  const { author, category, yearFrom, yearTo, hasCode } = filters;
  if (author === null && category === null && yearFrom === null && yearTo === null && hasCode === null) return null;
  let candidates: Int32Array | null = null;
  if (author !== null) candidates = parts.people.papersOf(author);
  if (category !== null) {
    const inCategory = parts.categories.find((entry) => entry.category.code === category)?.ordinals ?? new Int32Array(0);
    candidates = candidates === null ? inCategory : intersect(candidates, inCategory);
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

/** Categories of papers in ordinal order, with their papers' ordinals: most papers first, ties by code. */
export function groupCategories(papers: readonly Paper[]): CategoryGroup[] {
  const groups = new Map<string, { category: Category; ordinals: number[] }>();
  for (const [ordinal, paper] of papers.entries()) {
    const group = groups.get(paper.categoryCode);
    if (group !== undefined) group.ordinals.push(ordinal);
    else {
      const category = { code: paper.categoryCode, arxiv: paper.category, label: paper.categoryLabel };
      groups.set(paper.categoryCode, { category, ordinals: [ordinal] });
    }
  }
  return [...groups.values()]
    .map(({ category, ordinals }) => ({ category, ordinals: Int32Array.from(ordinals) }))
    .sort((a, b) => b.ordinals.length - a.ordinals.length || compareCodeUnits(a.category.code, b.category.code));
}

/** A category by code, arXiv name (with or without its dot) or label, any case; null when none. */
export function findCategory(categories: readonly CategoryGroup[], input: string): Category | null {
  const wanted = foldText(input);
  if (wanted === '') return null;
  const compact = wanted.replaceAll(' ', '');
  const found = categories.find(
    ({ category }) => foldText(category.code) === wanted || foldText(category.arxiv).replaceAll(' ', '') === compact || foldText(category.label) === wanted,
  );
  return found?.category ?? null;
}

/** Categories for autocomplete, by a prefix of the code, arXiv name or a label word; most papers first. */
export function categoryChoices(categories: readonly CategoryGroup[], input: string, count: number): Suggestion[] {
  const wanted = foldText(input);
  return categories
    .filter(({ category }) => wanted === '' || categoryWords(category).some((word) => word.startsWith(wanted)))
    .slice(0, count)
    .map(({ category }) => ({ name: `${category.label} (${category.arxiv})`, value: category.code }));
}

// The folded words a category answers to: its code, arXiv name (also without the dot) and label words.
function categoryWords(category: Category): string[] {
  return [foldText(category.code), foldText(category.arxiv), foldText(category.arxiv).replaceAll(' ', ''), ...foldedWords(category.label)];
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const inB = new Set(b);
  return a.filter((ordinal) => inB.has(ordinal));
}

function isYear(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 9999;
}

const MAX_NAME_CHARS = 200;
