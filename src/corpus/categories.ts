/** The page's category codes, their arXiv names and labels. */

/** A category as the bot shows it. */
export interface Category {
  code: string;
  arxiv: string;
  label: string;
}

/** The codes the profile pages use. An unknown code is kept as it is (see `categoryFor`). */
export const KNOWN_CATEGORIES: readonly Category[] = [
  { code: 'LG', arxiv: 'cs.LG', label: 'Machine Learning' },
  { code: 'CV', arxiv: 'cs.CV', label: 'Computer Vision and Pattern Recognition' },
  { code: 'ML', arxiv: 'stat.ML', label: 'Machine Learning (Statistics)' },
  { code: 'ME', arxiv: 'stat.ME', label: 'Methodology' },
  { code: 'QM', arxiv: 'q-bio.QM', label: 'Quantitative Methods' },
  { code: 'OC', arxiv: 'math.OC', label: 'Optimization and Control' },
];

/** The category of a paper that has none: a BibTeX entry without `primaryClass` whose owner has no page category. */
export const NO_CATEGORY: Category = { code: 'none', arxiv: 'none', label: 'No category' };

const BY_CODE = new Map(KNOWN_CATEGORIES.map((c) => [c.code, c]));
const BY_ARXIV = new Map(KNOWN_CATEGORIES.map((c) => [c.arxiv.toLowerCase(), c]));

/** The category for a page code; an unknown code is its own arXiv name and label. */
export function categoryFor(code: string): Category {
  return BY_CODE.get(code) ?? { code, arxiv: code, label: code };
}

/** The category for an arXiv class (`cs.LG`; of `cs.LG cs.AI` the first), or null; an unknown `cs.AI` is code `AI`, label `cs.AI`. */
export function categoryForArxivClass(text: string): Category | null {
  const name = /^\s*([a-z][a-z-]*)(?:\.([A-Za-z]{2}))?\b/i.exec(text);
  if (!name) return null;
  const [, archive = '', group] = name;
  const arxiv = group ? `${archive.toLowerCase()}.${group.toUpperCase()}` : archive.toLowerCase();
  const known = BY_ARXIV.get(arxiv.toLowerCase());
  if (known) return known;
  if (!group || !ARXIV_ARCHIVES.has(archive.toLowerCase())) return null;
  return { code: group.toUpperCase(), arxiv, label: arxiv };
}

// arXiv's archives that have subject classes (`cs.AI`); anything else in primaryClass is not an arXiv class.
const ARXIV_ARCHIVES = new Set(['cs', 'math', 'stat', 'physics', 'q-bio', 'q-fin', 'eess', 'econ', 'astro-ph', 'cond-mat', 'nlin']);
