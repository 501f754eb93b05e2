/** The corpus's categories, each with its papers (for the category filter): found by code, arXiv name or label, and offered for autocomplete. */
import type { Category } from '../corpus/categories.js';
import { foldText } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';
import { MAX_LIMIT, MAX_NAME_CHARS, type Suggestion, clampInt } from './query.js';
import { compareCodeUnits, foldedWords } from './text.js';

/** The categories of papers in index order, most papers first (ties by code). Never throws on any input text. */
export class Categories {
  /** Each category with its papers' ordinals, ascending. */
  readonly #groups: ReadonlyArray<{ category: Category; ordinals: Int32Array }>;

  constructor(papers: readonly Paper[]) {
    const groups = new Map<string, { category: Category; ordinals: number[] }>();
    for (const [ordinal, paper] of papers.entries()) {
      const group = groups.get(paper.categoryCode);
      if (group !== undefined) group.ordinals.push(ordinal);
      else groups.set(paper.categoryCode, { category: { code: paper.categoryCode, arxiv: paper.category, label: paper.categoryLabel }, ordinals: [ordinal] });
    }
    this.#groups = [...groups.values()]
      .map(({ category, ordinals }) => ({ category, ordinals: Int32Array.from(ordinals) }))
      .sort((a, b) => b.ordinals.length - a.ordinals.length || compareCodeUnits(a.category.code, b.category.code));
  }

  /** Every category in the corpus with its paper count, most papers first (ties by code). */
  all(): Array<{ category: Category; count: number }> {
    return this.#groups.map(({ category, ordinals }) => ({ category, count: ordinals.length }));
  }

  /** A category by code, arXiv name (with or without its dot) or label, any case; null when the corpus has none such. */
  resolve(input: string): Category | null {
    const wanted = typeof input === 'string' ? foldText(input.slice(0, MAX_NAME_CHARS)) : '';
    if (wanted === '') return null;
    const compact = wanted.replaceAll(' ', '');
    const found = this.#groups.find(
      ({ category }) => foldText(category.code) === wanted || foldText(category.arxiv).replaceAll(' ', '') === compact || foldText(category.label) === wanted,
    );
    return found?.category ?? null;
  }

  /** Categories for autocomplete (value: the code), by a prefix of the code, arXiv name or a label word; most papers first. */
  suggest(input: string, limit: number): Suggestion[] {
    const wanted = typeof input === 'string' ? foldText(input.slice(0, MAX_NAME_CHARS)) : '';
    return this.#groups
      .filter(({ category }) => wanted === '' || categoryWords(category).some((word) => word.startsWith(wanted)))
      .slice(0, clampInt(limit, 0, MAX_LIMIT, 0))
      .map(({ category }) => ({ name: `${category.label} (${category.arxiv})`, value: category.code }));
  }

  /** The index ordinals of a category's papers (by code), ascending; empty when unknown. */
  ordinalsOf(code: string): Int32Array {
    return this.#groups.find((group) => group.category.code === code)?.ordinals ?? new Int32Array(0);
  }
}

// The folded words a category answers to: its code, arXiv name (also without the dot) and label words.
function categoryWords(category: Category): string[] {
  return [foldText(category.code), foldText(category.arxiv), foldText(category.arxiv).replaceAll(' ', ''), ...foldedWords(category.label)];
}
