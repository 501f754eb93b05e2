/** A paper as the citation styles read it, its BibTeX key, and the plain text every file carries. Pure, total over every valid Paper. */
import { linkFor } from '../corpus/links.js';
import { foldIdentity, transliterate } from '../corpus/names.js';
import { ARXIV_ID, DOI, type Paper } from '../corpus/schema.js';
import { citedName } from './names.js';

/** What every style needs of a paper. */
export type CitedWork = ReturnType<typeof citedWork>;

/** Stands in for an author list with no printable name at all (never produced by the parser). */
const NO_AUTHOR = 'Anonymous';

/** The paper reduced to what a citation shows; null where a part is not known (or, for month and day, not real). */
export function citedWork(paper: Paper) {
  const names = paper.authors.map(plainText).filter((name) => name.length > 0);
  const [year = '', month = '', day = ''] = paper.date.split('-');
  const precision = paper.datePrecision ?? 'day';
  return {
    authors: (names.length > 0 ? names : [NO_AUTHOR]).map(citedName),
    truncated: paper.authorsTruncated,
    title: plainText(paper.title),
    year,
    month: precision === 'year' ? null : inRange(Number(month), 12),
    day: precision === 'day' ? inRange(Number(day), 31) : null,
    url: linkFor(paper).url,
    // Checked again: a paper from elsewhere may not have passed the schema, and both are written unescaped.
    arxivId: paper.arxivId !== undefined && ARXIV_ID.test(paper.arxivId) ? paper.arxivId : null,
    doi: paper.doi !== undefined && DOI.test(paper.doi) ? paper.doi : null,
    venue: optional(paper.venue),
    // A paper no source typed is a preprint (it came from a profile page).
    type: paper.type ?? 'preprint',
    volume: optional(paper.volume),
    // A journal's issue, or a report's number.
    issue: optional(paper.issue),
    // Only a thesis or a report has a kind of its own: a preprint's genre is the styles' "Preprint".
    genre: paper.type === 'thesis' || paper.type === 'report' ? optional(paper.genre) : null,
    // The page range with an en dash (`123–145`), or an article number.
    pages: paper.pages ? optional(paper.pages.replace(/\s*(?:-+|–|—)\s*/g, '–')) : null,
    publisher: optional(paper.publisher),
  };
}

/** Title words a key skips, as Google Scholar's keys do. */
const STOP_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'is', 'of', 'on', 'or', 'the', 'to', 'via', 'with']);

/** The BibTeX key: first author's family name (folded as paper ids are), year, first significant title word (`wenzel2022assaying`). */
export function citationKey(paper: Paper): string {
  return workKey(citedWork(paper));
}

/** `citationKey` of a work already made (the formats make one per paper). */
export function workKey(work: CitedWork): string {
  const family = foldIdentity(work.authors[0]?.family ?? '').replace(/[^a-z0-9]/g, '') || 'anon';
  const year = work.year.replace(/[^0-9]/g, '');
  // "Out-Of-Distribution Généralisation" → ["out", "of", "distribution", "generalisation"].
  const words = transliterate(work.title.toLowerCase()).normalize('NFKD').replace(/\p{M}+/gu, '').match(/[a-z0-9]+/g) ?? [];
  const word = words.find((w) => !STOP_WORDS.has(w)) ?? words[0] ?? 'untitled';
  return `${family}${year}${word}`;
}

/** Chat text (the corpus's abstracts, src/corpus/latex.ts) as plain text: `*`/`**` markers go, escaped characters stay. */
export function chatToPlain(chat: string): string {
  return plainText(chat.replace(/\\([*_`~|])|\*+/g, (match, escaped: string | undefined) => escaped ?? ''));
}

/** Text already plain (titles, names, venues) on one line, its whitespace collapsed, with no zero-width character. */
export function plainText(text: string): string {
  return text.replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
}

/** Zero-width characters (the chat side defuses mentions and fences with them): ZWSP, ZWNJ, ZWJ, word joiner, BOM. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;

function optional(text: string | undefined): string | null {
  const plain = text === undefined ? '' : plainText(text);
  return plain === '' ? null : plain;
}

function inRange(value: number, max: number): number | null {
  return Number.isInteger(value) && value >= 1 && value <= max ? value : null;
}
