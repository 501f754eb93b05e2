/**
 * CSL-JSON (CSL 1.0.2, csl-data.json) as Zotero and Mendeley import it, a list the page cut short saying so in `note`;
 * and RIS (RIS Format Specification, 2011) for Zotero, Mendeley and EndNote, with the CSL-JSON item's values.
 */
import type { CslName } from '@citation-js/name';
import type { PaperType, Paper } from '../corpus/schema.js';
import { surname, type CitedName } from './names.js';
import { chatToPlain, citedWork, workKey, type CitedWork } from './work.js';

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

/** Each paper type's RIS reference type. */
const RIS_TYPES: Record<PaperType, string> = {
  'journal-article': 'JOUR',
  'conference-paper': 'CPAPER',
  preprint: 'UNPB',
  thesis: 'THES',
  report: 'RPRT',
  'book-chapter': 'CHAP',
  book: 'BOOK',
  dataset: 'DATA',
  software: 'COMP',
  other: 'GEN',
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
function cslItem(paper: Paper, work: CitedWork = citedWork(paper)): CslItem {
  const abstract = chatToPlain(paper.abstract);
  return {
    ...cslFields(work, work.title),
    id: workKey(work),
    author: work.authors.map(cslName),
    ...(abstract ? { abstract } : {}),
    ...(work.truncated ? { note: 'The source page lists only these authors; there are further authors.' } : {}),
  };
}

/** The paper as one RIS record; lines end in CRLF, as the specification asks. */
export function formatRis(paper: Paper): string {
  const work = citedWork(paper);
  const item = cslItem(paper, work);
  const pad = (n: number | null): string => (n === null ? '' : String(n).padStart(2, '0'));
  const [start, end] = (item.page ?? '').split('–');
  const tag = (name: string, value: string | undefined): Array<[string, string]> => (value ? [[name, value]] : []);
  const lines: Array<[string, string]> = [
    ['TY', RIS_TYPES[work.type]],
    ['TI', work.title],
    ...work.authors.map((name): [string, string] => ['AU', [surname(name), name.given, name.suffix].filter(Boolean).join(', ')]),
    ['PY', work.year],
    // DA is YYYY/MM/DD/other, with parts left empty where unknown.
    ['DA', `${work.year}/${pad(work.month)}/${work.month === null ? '' : pad(work.day)}/`],
    ...tag('T2', item['container-title']),
    ...tag('VL', item.volume),
    ...tag('IS', item.issue),
    // A report's number is SN ("Report Number") in the specification's RPRT fields; readers also take M1.
    ...tag('SN', item.number),
    ...tag('SP', start),
    ...tag('EP', end),
    ...tag('PB', item.publisher),
    ...tag('M3', item.genre),
    ...tag('DO', item.DOI),
    ['UR', work.url],
    ...tag('AB', item.abstract),
    ...tag('N1', item.note),
    ['ER', ''],
  ];
  return lines.map(([name, value]) => `${name}  - ${value}`.trimEnd()).join('\r\n') + '\r\n';
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
