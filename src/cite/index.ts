/** Citations of a paper as plain text, in the CSL styles (through citeproc) and as BibTeX, RIS and CSL-JSON files. */
import type { Paper } from '../corpus/schema.js';
import { formatBibtex } from './bibtex.js';
import { formatCslJson, formatRis } from './csl.js';
import { shippedStyles, type CitationStyles } from './styles.js';

export { formatBibtex, formatCslJson, formatRis };
export { CitationStyleError, CitationStyles, openCitationStyles, shippedStyles } from './styles.js';
export { citationKey, plainText as collapse } from './work.js';

/** The built-in styles and export formats, in the order /cite offers them; the first is the default. */
export const CITATION_STYLES = ['bibtex', 'apa', 'mla', 'chicago', 'ieee', 'ris', 'csljson'] as const;

/** A `format:` value: one of CITATION_STYLES, or the id of a lab's own CSL style (its file name). */
export type CitationStyle = string;

/** The formats paperbot writes itself (BibTeX, RIS, CSL-JSON); every other style is a CSL style run by citeproc. */
export const FILE_FORMATS: Record<string, (paper: Paper) => string> = {
  bibtex: formatBibtex,
  ris: formatRis,
  csljson: formatCslJson,
};

/** Each built-in style's name as a member reads it. */
export const CITATION_STYLE_NAMES: Record<(typeof CITATION_STYLES)[number], string> = {
  bibtex: 'BibTeX',
  apa: 'APA (7th edition)',
  mla: 'MLA (9th edition)',
  chicago: 'Chicago (17th edition, author-date)',
  ieee: 'IEEE',
  ris: 'RIS (Zotero, Mendeley, EndNote)',
  csljson: 'CSL-JSON (Zotero, Mendeley, citeproc)',
};

/** The formats a reference manager imports from a file: sent as an attachment, with this file extension. */
export const EXPORT_FORMATS: Partial<Record<string, { extension: string; fence: string }>> = {
  ris: { extension: 'ris', fence: '' },
  csljson: { extension: 'json', fence: 'json' },
};

/** A style's name as a member reads it: the built-in label, or a lab style's own title. */
export function citationStyleName(style: CitationStyle, styles: CitationStyles): string {
  return (CITATION_STYLE_NAMES as Record<string, string>)[style] ?? styles.get(style)?.name ?? style;
}

/** The paper cited in `style` as plain text (a file's whole entry, or a style's line); CitationStyleError for a style it cannot run. */
export async function formatCitation(paper: Paper, style: CitationStyle, styles: CitationStyles = shippedStyles()): Promise<string> {
  const [text = ''] = await formatCitations([paper], style, styles);
  return text;
}

/** Each paper cited in `style`, in order: a CSL style's entries asked of the citation thread in one message. */
export async function formatCitations(papers: readonly Paper[], style: CitationStyle, styles: CitationStyles = shippedStyles()): Promise<string[]> {
  const write = FILE_FORMATS[style];
  return write ? papers.map(write) : styles.render(papers, style);
}
