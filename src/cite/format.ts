/** The styles and the one entry point that formats a paper in any of them. */
import type { Paper } from '../corpus/schema.js';
import { formatBibtex } from './bibtex.js';
import { formatApa, formatChicago, formatIeee, formatMla } from './styles.js';

/** The styles, in the order /cite offers them; the first is the default. */
export const CITATION_STYLES = ['bibtex', 'apa', 'mla', 'chicago', 'ieee'] as const;

/** One of CITATION_STYLES. */
export type CitationStyle = (typeof CITATION_STYLES)[number];

/** Each style's name as a member reads it. */
export const CITATION_STYLE_NAMES: Record<CitationStyle, string> = {
  bibtex: 'BibTeX',
  apa: 'APA (7th edition)',
  mla: 'MLA (9th edition)',
  chicago: 'Chicago (17th edition, author-date)',
  ieee: 'IEEE',
};

const FORMATTERS: Record<CitationStyle, (paper: Paper) => string> = {
  bibtex: formatBibtex,
  apa: formatApa,
  mla: formatMla,
  chicago: formatChicago,
  ieee: formatIeee,
};

/** True when `value` names a citation style. */
export function isCitationStyle(value: unknown): value is CitationStyle {
  return typeof value === 'string' && (CITATION_STYLES as readonly string[]).includes(value);
}

/** The paper cited in `style`; BibTeX is a whole `@misc` entry, the others one line of text. */
export function formatCitation(paper: Paper, style: CitationStyle): string {
  return FORMATTERS[style](paper);
}
