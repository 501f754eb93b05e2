/** The styles and the one entry point that formats a paper in any of them. */
import type { Paper } from '../corpus/schema.js';
import { formatBibtex } from './bibtex.js';
import { formatCslJson } from './csl.js';
import { formatRis } from './ris.js';
import { formatApa, formatChicago, formatIeee, formatMla } from './styles.js';

/** The styles and export formats, in the order /cite offers them; the first is the default. */
export const CITATION_STYLES = ['bibtex', 'apa', 'mla', 'chicago', 'ieee', 'ris', 'csljson'] as const;

/** One of CITATION_STYLES. */
export type CitationStyle = (typeof CITATION_STYLES)[number];

/** Each style's name as a member reads it. */
export const CITATION_STYLE_NAMES: Record<CitationStyle, string> = {
  bibtex: 'BibTeX',
  apa: 'APA (7th edition)',
  mla: 'MLA (9th edition)',
  chicago: 'Chicago (17th edition, author-date)',
  ieee: 'IEEE',
  ris: 'RIS (Zotero, Mendeley, EndNote)',
  csljson: 'CSL-JSON (Zotero, Mendeley, citeproc)',
};

/** The formats a reference manager imports from a file: sent as an attachment, with this file extension. */
export const EXPORT_FORMATS: Partial<Record<CitationStyle, { extension: string; fence: string }>> = {
  ris: { extension: 'ris', fence: '' },
  csljson: { extension: 'json', fence: 'json' },
};

const FORMATTERS: Record<CitationStyle, (paper: Paper) => string> = {
  bibtex: formatBibtex,
  apa: formatApa,
  mla: formatMla,
  chicago: formatChicago,
  ieee: formatIeee,
  ris: formatRis,
  csljson: formatCslJson,
};

/** True when `value` names a citation style. */
export function isCitationStyle(value: unknown): value is CitationStyle {
  return typeof value === 'string' && (CITATION_STYLES as readonly string[]).includes(value);
}

/** The paper cited in `style`; BibTeX is a whole `@misc` entry, RIS a record, CSL-JSON an array of one item, the others one line of text. */
export function formatCitation(paper: Paper, style: CitationStyle): string {
  return FORMATTERS[style](paper);
}
