/**
 * RIS, the tagged format Zotero, Mendeley and EndNote import (RIS Format Specification, Research Information
 * Systems, 2011): one `TAG  - value` line per field, from `TY` to `ER`. A preprint is `UNPB` (unpublished work).
 * Names are `Family, Given, Suffix` with the particle kept with the family name. RIS has no way to say
 * "and further authors", so a list the page cut short says so in a note (`N1`) instead of passing as complete.
 */
import type { Paper } from '../corpus/schema.js';
import { surname } from './names.js';
import { citedWork, collapse } from './work.js';

/** The note on an author list the page cut short. */
export const TRUNCATED_NOTE = 'The source page lists only these authors; there are further authors.';

/** The paper as one RIS record; lines end in CRLF, as the specification asks. */
export function formatRis(paper: Paper): string {
  const work = citedWork(paper);
  const pad = (n: number | null): string => (n === null ? '' : String(n).padStart(2, '0'));
  const lines: Array<[string, string]> = [
    ['TY', 'UNPB'],
    ['TI', work.title],
    ...work.authors.map((name): [string, string] => ['AU', [surname(name), name.given, name.suffix].filter(Boolean).join(', ')]),
    ['PY', work.year],
    // DA is YYYY/MM/DD/other, with parts left empty where unknown.
    ['DA', `${work.year}/${pad(work.month)}/${work.month === null ? '' : pad(work.day)}/`],
    ['PB', 'arXiv'],
    ['UR', work.url],
    ...(paper.abstract.trim() ? [['AB', collapse(paper.abstract)] as [string, string]] : []),
    ...(work.truncated ? [['N1', TRUNCATED_NOTE] as [string, string]] : []),
    ['ER', ''],
  ];
  return lines.map(([tag, value]) => `${tag}  - ${value}`.trimEnd()).join('\r\n') + '\r\n';
}
