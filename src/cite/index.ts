/**
 * Citations of a paper in the styles /cite offers. Every formatter is pure and total: any valid
 * Paper gives a citation, and a truncated author list is never cited as complete.
 */
export { CITATION_STYLES, CITATION_STYLE_NAMES, EXPORT_FORMATS, formatCitation, isCitationStyle, type CitationStyle } from './format.js';
export { citationKey } from './key.js';
export { citationBlock, citationExport } from './block.js';
