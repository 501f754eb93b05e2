/** RIS (RIS Format Specification, 2011) for Zotero, Mendeley and EndNote, with the CSL-JSON item's values. */
import type { Paper, PaperType } from '../corpus/schema.js';
import { cslItem } from './csl.js';
import { surname } from './names.js';
import { citedWork } from './work.js';

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

/** The paper as one RIS record; lines end in CRLF, as the specification asks. */
export function formatRis(paper: Paper): string {
  const work = citedWork(paper);
  const item = cslItem(paper);
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
