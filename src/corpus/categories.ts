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

const BY_CODE = new Map(KNOWN_CATEGORIES.map((c) => [c.code, c]));

/** The category for a page code; an unknown code is its own arXiv name and label. */
export function categoryFor(code: string): Category {
  return BY_CODE.get(code) ?? { code, arxiv: code, label: code };
}
