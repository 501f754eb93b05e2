/** CSL-JSON (CSL 1.0.2, csl-data.json) as Zotero and Mendeley import it; a list the page cut short says so in `note`. */
import type { CslName } from '@citation-js/name';
import type { PaperType, Paper } from '../corpus/schema.js';
import type { CitedName } from './names.js';
import { chatToPlain, citationKey, citedWork, type CitedWork } from './work.js';

/** Each paper type's CSL item type. */
const CSL_TYPES: Record<PaperType, string> = {
  'journal-article': 'article-journal',
  'conference-paper': 'paper-conference',
  preprint: 'article',
  thesis: 'thesis',
  report: 'report',
  'book-chapter': 'chapter',
  book: 'book',
  dataset: 'dataset',
  software: 'software',
  other: 'document',
};

/** The types whose venue is a container (journal, proceedings, book) rather than the publisher. */
const CONTAINED: ReadonlySet<PaperType> = new Set(['journal-article', 'conference-paper', 'book-chapter']);

/** One CSL-JSON item (the fields we fill, all in the CSL 1.0.2 data schema). */
export type CslItem = ReturnType<typeof cslFields> & { id: string; author: CslName[]; abstract?: string; note?: string };

/** The paper as a CSL-JSON array of one item, pretty-printed. */
export function formatCslJson(paper: Paper): string {
  return JSON.stringify([cslItem(paper)], null, 2);
}

/** The paper as a CSL-JSON item, as a file carries it. */
export function cslItem(paper: Paper): CslItem {
  const work = citedWork(paper);
  const abstract = chatToPlain(paper.abstract);
  return {
    ...cslFields(work, work.title),
    id: citationKey(paper),
    author: work.authors.map(cslName),
    ...(abstract ? { abstract } : {}),
    ...(work.truncated ? { note: 'The source page lists only these authors; there are further authors.' } : {}),
  };
}

/** What every item has but its id, authors, abstract and note: shared by the file and the styles' input. */
export function cslFields(work: CitedWork, title: string) {
  const date = [Number(work.year)];
  if (work.month !== null) {
    date.push(work.month);
    if (work.day !== null) date.push(work.day);
  }
  const contained = CONTAINED.has(work.type) && work.venue !== null;
  // A preprint's server is its publisher (arXiv for a page's paper); a thesis's school, a report's institution or a
  // dataset's repository is what the venue names where no publisher is given.
  const publisher = work.type === 'preprint' ? (work.publisher ?? work.venue ?? 'arXiv') : (work.publisher ?? (contained ? null : work.venue));
  return {
    type: CSL_TYPES[work.type],
    title,
    issued: { 'date-parts': [date] },
    ...(contained && work.venue ? { 'container-title': work.venue } : {}),
    ...(work.volume ? { volume: work.volume } : {}),
    // A report's number is `number` (CSL has `issue` for a periodical's issue only).
    ...(work.issue && work.type !== 'report' ? { issue: work.issue } : {}),
    ...(work.issue && work.type === 'report' ? { number: work.issue } : {}),
    ...(work.pages ? { page: work.pages } : {}),
    ...(publisher ? { publisher } : {}),
    ...(work.type === 'preprint' ? { genre: 'Preprint' } : work.genre ? { genre: work.genre } : {}),
    ...(work.doi ? { DOI: work.doi } : {}),
    URL: work.url,
  };
}

/** A name's CSL parts. */
export function cslName(name: CitedName): CslName {
  return {
    family: name.family,
    ...(name.given ? { given: name.given } : {}),
    ...(name.particle ? { 'non-dropping-particle': name.particle } : {}),
    ...(name.suffix ? { suffix: name.suffix } : {}),
  };
}
