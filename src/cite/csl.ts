/**
 * CSL-JSON, the data format of the Citation Style Language (CSL 1.0.2 schema, csl-data.json) that Zotero and
 * Mendeley import and every CSL processor reads: an array of items. A preprint is type `article`; each author
 * is split into `family`, `given`, `non-dropping-particle` and `suffix`. CSL has no "and further authors"
 * either, so a list the page cut short says so in `note`.
 */
import type { Paper } from '../corpus/schema.js';
import { citationKey } from './key.js';
import { TRUNCATED_NOTE } from './ris.js';
import { citedWork, collapse, type CitedName } from './work.js';

/** One name as CSL-JSON writes it. */
export interface CslName {
  family: string;
  given?: string;
  'non-dropping-particle'?: string;
  suffix?: string;
}

/** One CSL-JSON item (the fields we fill). */
export interface CslItem {
  id: string;
  type: 'article';
  title: string;
  author: CslName[];
  issued: { 'date-parts': number[][] };
  publisher: string;
  genre: string;
  URL: string;
  abstract?: string;
  note?: string;
}

/** The paper as a CSL-JSON array of one item, pretty-printed. */
export function formatCslJson(paper: Paper): string {
  return JSON.stringify([cslItem(paper)], null, 2);
}

/** The paper as a CSL-JSON item. */
function cslItem(paper: Paper): CslItem {
  const work = citedWork(paper);
  const date = [Number(work.year)];
  if (work.month !== null) {
    date.push(work.month);
    if (work.day !== null) date.push(work.day);
  }
  const abstract = collapse(paper.abstract);
  return {
    id: citationKey(paper),
    type: 'article',
    title: work.title,
    author: work.authors.map(cslName),
    issued: { 'date-parts': [date] },
    publisher: 'arXiv',
    genre: 'Preprint',
    URL: work.url,
    ...(abstract ? { abstract } : {}),
    ...(work.truncated ? { note: TRUNCATED_NOTE } : {}),
  };
}

function cslName(name: CitedName): CslName {
  return {
    family: name.family,
    ...(name.given ? { given: name.given } : {}),
    ...(name.particle ? { 'non-dropping-particle': name.particle } : {}),
    ...(name.suffix ? { suffix: name.suffix } : {}),
  };
}
