/**
 * Citations of a paper as plain text, in the official CSL styles (through citeproc) and as BibTeX, RIS and
 * CSL-JSON files. Nothing here knows of Discord: src/discord/citation.ts fits a citation into a message.
 */
export { CITATION_STYLES, CITATION_STYLE_NAMES, citationStyleName, EXPORT_FORMATS, FILE_FORMATS, formatCitation, formatCitations, isCitationStyle, type CitationStyle } from './format.js';
export { formatBibtex } from './bibtex.js';
export { cslItem, formatCslJson, type CslItem } from './csl.js';
export { formatRis } from './ris.js';
export { CITE_REQUEST_TIMEOUT_MS, CitationStyleError, CitationStyles, openCitationStyles, shippedStyles, type CslStyle } from './styles.js';
export { citationKey } from './key.js';
export { collapse } from './work.js';
