/**
 * A paper as the citation styles read it: names split into family and given parts,
 * whitespace collapsed, the date taken apart. Pure, and total over every valid Paper.
 */
import { linkFor } from '../corpus/links.js';
import { familyName } from '../corpus/names.js';
import type { Paper } from '../corpus/schema.js';

/** One author, split the simple way: the last word is the family name, the rest are given names. */
export interface CitedName {
  /** As printed, whitespace collapsed. */
  full: string;
  family: string;
  /** Every word before the family name; empty for a one-word name. */
  given: string;
  /** The given names as initials: "Peter Vincent" → "P. V.", "Jean-Pierre" → "J.-P.", "M." → "M.". */
  initials: string;
}

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
  /** Where it was published, where known. */
  venue: string | null;
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
    arxivId: paper.arxivId ?? null,
    doi: paper.doi ?? null,
    venue: paper.venue ? collapse(paper.venue) : null,
  };
}

/** A printed name split into family name, given names and initials. */
export function citedName(printed: string): CitedName {
  const full = collapse(printed);
  const family = familyName(full);
  const given = full.slice(0, full.length - family.length).trim();
  const initials = given.split(' ').map(initialOf).filter(Boolean).join(' ');
  return { full, family, given, initials };
}

/** Runs of whitespace (newlines included) as one space, trimmed. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// "Peter" → "P.", "Jean-Pierre" → "J.-P.", "M." → "M."; a word with no letter or digit gives nothing.
function initialOf(word: string): string {
  return word
    .split('-')
    .map((part) => {
      const first = part.match(/[\p{L}\p{N}]/u)?.[0];
      return first === undefined ? '' : `${first.toUpperCase()}.`;
    })
    .filter(Boolean)
    .join('-');
}

function inRange(value: number, max: number): number | null {
  return Number.isInteger(value) && value >= 1 && value <= max ? value : null;
}
