/**
 * A paper as the citation styles read it: names split into family and given parts,
 * whitespace collapsed, the date taken apart. Pure, and total over every valid Paper.
 */
import { linkFor } from '../corpus/links.js';
import { ARXIV_ID, DOI, type Paper, type PaperType } from '../corpus/schema.js';
import { citedName, type CitedName } from './names.js';
import { plainText } from './plain.js';

export type { CitedName } from './names.js';

/** What every style needs of a paper. */
export interface CitedWork {
  authors: CitedName[];
  /** The page cut the author list short: there are further, unknown authors. */
  truncated: boolean;
  title: string;
  year: string;
  /** 1–12, or null where the date's month is not a real month. */
  month: number | null;
  /** 1–31, or null where the date's day is not a real day or not known. */
  day: number | null;
  /** The paper's link (src/corpus/links.ts): its arXiv page, DOI, own URL, or an arXiv title search. */
  url: string;
  /** The arXiv identifier, where known. */
  arxivId: string | null;
  /** The DOI, where known. */
  doi: string | null;
  /** Where it was published (journal, proceedings, book, school), where known. */
  venue: string | null;
  /** What kind of work it is; a paper no source typed is a preprint (it came from a profile page). */
  type: PaperType;
  volume: string | null;
  /** A journal's issue, or a report's number. */
  issue: string | null;
  /** What kind of thesis or report it is ("Doctoral dissertation", "Master's thesis"), where a source says. */
  genre: string | null;
  /** The page range with an en dash (`123–145`), or an article number. */
  pages: string | null;
  publisher: string | null;
}

/** Stands in for an author list with no printable name at all (never produced by the parser). */
const NO_AUTHOR = 'Anonymous';

/** The paper reduced to what a citation shows. */
export function citedWork(paper: Paper): CitedWork {
  const names = paper.authors.map(collapse).filter((name) => name.length > 0);
  const [year = '', month = '', day = ''] = paper.date.split('-');
  const precision = paper.datePrecision ?? 'day';
  return {
    authors: (names.length > 0 ? names : [NO_AUTHOR]).map(citedName),
    truncated: paper.authorsTruncated,
    title: collapse(paper.title),
    year,
    month: precision === 'year' ? null : inRange(Number(month), 12),
    day: precision === 'day' ? inRange(Number(day), 31) : null,
    url: linkFor(paper).url,
    // Checked again: a paper from elsewhere may not have passed the schema, and both are written unescaped.
    arxivId: paper.arxivId !== undefined && ARXIV_ID.test(paper.arxivId) ? paper.arxivId : null,
    doi: paper.doi !== undefined && DOI.test(paper.doi) ? paper.doi : null,
    venue: optional(paper.venue),
    type: paper.type ?? 'preprint',
    volume: optional(paper.volume),
    issue: optional(paper.issue),
    genre: genreOf(paper),
    pages: paper.pages ? optional(paper.pages.replace(/\s*(?:-+|–|—)\s*/g, '–')) : null,
    publisher: optional(paper.publisher),
  };
}

/** Runs of whitespace (newlines included) as one space, trimmed, and no zero-width character: plain text for a file. */
export function collapse(text: string): string {
  return plainText(text);
}

// Only a thesis or a report has a kind of its own: a preprint's genre is the styles' "Preprint".
function genreOf(paper: Paper): string | null {
  return paper.type === 'thesis' || paper.type === 'report' ? optional(paper.genre) : null;
}

function optional(text: string | undefined): string | null {
  const plain = text === undefined ? '' : plainText(text);
  return plain === '' ? null : plain;
}

function inRange(value: number, max: number): number | null {
  return Number.isInteger(value) && value >= 1 && value <= max ? value : null;
}
