/**
 * Round trips of the files /cite writes, read back by other people's readers: the BibTeX entry by
 * @retorquere/bibtex-parser (Better BibTeX's), the RIS record by @citation-js/plugin-ris, the CSL-JSON item validated
 * against the CSL 1.0.2 data schema (csl-data.json) with ajv. Each gives back the type, venue, volume, pages, DOI and
 * authors of the BibTeX fixture (test/fixtures/bib/entry-types.bib), written out below from the fixture itself.
 */
import { readFileSync } from 'node:fs';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-ris';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatBibtex, formatCslJson, formatRis } from '../../src/cite/index.js';
import { parseBibtexFile } from '../../src/corpus/bibtex.js';
import type { Paper } from '../../src/corpus/schema.js';

const FIXTURE = 'test/fixtures/bib/entry-types.bib';
const papers = parseBibtexFile(readFileSync(FIXTURE, 'utf8'), FIXTURE, { asOf: new Date('2026-01-01') }).papers;
const byTitle = (start: string): Paper => {
  const found = papers.find((p) => p.title.startsWith(start));
  if (!found) throw new Error(`no paper "${start}" in ${FIXTURE}`);
  return found;
};

/** What the fixture says of each entry, and how each format names its type. */
const EXPECTED = [
  { title: 'Identifiable', bibtex: 'article', ris: 'article-journal', csl: 'article-journal', venue: 'J. Mach. Learn. Res.', volume: '22', pages: ['1', '40'], doi: '10.5555/jmlr.2021.118', authors: ['Quill', 'van der Berg'] },
  { title: 'Tidal', bibtex: 'inproceedings', ris: 'paper-conference', csl: 'paper-conference', venue: 'International Conference on Machine Learning', volume: null, pages: ['28123', '28140'], doi: null, authors: ['Quill', 'Ström'] },
  // RIS has no preprint type: UNPB (unpublished work) is read back as a manuscript, with its genre "Preprint".
  { title: 'Causal Tides', bibtex: 'misc', ris: 'manuscript', csl: 'article', venue: null, volume: null, pages: null, doi: '10.48550/arXiv.2501.04321', authors: ['Ström', 'Quill'] },
  { title: 'On the Identifiability', bibtex: 'phdthesis', ris: 'thesis', csl: 'thesis', venue: null, volume: null, pages: null, doi: null, authors: ['Quill'] },
  { title: 'A Benchmark', bibtex: 'techreport', ris: 'report', csl: 'report', venue: null, volume: null, pages: null, doi: null, authors: ['Quill', 'Park'] },
  { title: 'Slots in the Wild', bibtex: 'incollection', ris: 'chapter', csl: 'chapter', venue: 'Handbook of Object-Centric Learning', volume: null, pages: ['101', '130'], doi: '10.1007/978-3-030-00000-0_5', authors: ['Quill'] },
] as const;

const surname = (name: { family?: string; 'non-dropping-particle'?: string }): string => [name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
const splitPages = (pages: unknown): string[] | null => (typeof pages === 'string' ? pages.split(/-+|–/) : null);

describe('the BibTeX fixture of each entry type', () => {
  it('reads every entry, with its type', () => {
    expect(papers.map((p) => p.type)).toEqual(['journal-article', 'conference-paper', 'preprint', 'thesis', 'report', 'book-chapter']);
  });
});

describe('BibTeX read back by @retorquere/bibtex-parser', () => {
  it.each(EXPECTED)('$bibtex: same type, venue, volume, pages, DOI and authors', (expected) => {
    const library = parseBibtex(formatBibtex(byTitle(expected.title)), { sentenceCase: false, english: false });
    expect(library.errors).toEqual([]);
    const [entry] = library.entries;
    expect(entry?.type).toBe(expected.bibtex);
    const fields = entry?.fields as Record<string, unknown>;
    const venueField = expected.bibtex === 'article' ? 'journal' : 'booktitle';
    expect(fields[venueField] ?? null).toBe(expected.venue);
    expect(fields.volume ?? null).toBe(expected.volume);
    expect(splitPages(fields.pages)).toEqual(expected.pages);
    expect(fields.doi ?? null).toBe(expected.doi);
    // The parser spells `{\"o}` with a combining mark.
    expect((fields.author as Array<{ lastName: string; prefix?: string }>).map((a) => [a.prefix, a.lastName].filter(Boolean).join(' ').normalize('NFC'))).toEqual(expected.authors);
  });

  it('names the school of a thesis and the institution of a report, and never writes a conference paper as howpublished', () => {
    const fieldsOf = (title: string) => parseBibtex(formatBibtex(byTitle(title))).entries[0]?.fields as Record<string, unknown>;
    expect(fieldsOf('On the Identifiability').school).toBe('ETH Zurich');
    // The parser reads `institution` as a list.
    expect([fieldsOf('A Benchmark').institution].flat()).toEqual(['Max Planck Institute for Intelligent Systems']);
    expect(fieldsOf('Tidal').howpublished).toBeUndefined();
    expect([fieldsOf('Tidal').publisher].flat()).toEqual(['PMLR']);
  });
});

describe('RIS read back by @citation-js/plugin-ris', () => {
  it.each(EXPECTED)('$ris: same type, venue, volume, pages, DOI and authors', (expected) => {
    const [item] = new Cite(formatRis(byTitle(expected.title))).data;
    expect(item?.type).toBe(expected.ris);
    // The RIS specification makes T2 a conference paper's proceedings title; plugin-ris reads it as the event.
    expect(item?.['container-title'] ?? item?.['event-title'] ?? null).toBe(expected.venue);
    expect(item?.volume ?? null).toBe(expected.volume);
    expect(splitPages(item?.page)).toEqual(expected.pages);
    expect(item?.DOI ?? null).toBe(expected.doi);
    expect((item?.author as Array<{ family: string }>).map(surname)).toEqual(expected.authors);
    if (expected.csl === 'article') expect(item?.genre).toBe('Preprint');
  });
});

describe('CSL-JSON against the CSL 1.0.2 data schema', () => {
  const schema = JSON.parse(readFileSync('test/fixtures/csl/csl-data.json', 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it.each(EXPECTED)('$csl: valid, with the same type, venue, volume, pages, DOI and authors', (expected) => {
    const items = JSON.parse(formatCslJson(byTitle(expected.title))) as Array<Record<string, unknown>>;
    expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
    const [item] = items;
    expect(item?.type).toBe(expected.csl);
    expect(item?.['container-title'] ?? null).toBe(expected.venue);
    expect(item?.volume ?? null).toBe(expected.volume);
    expect(splitPages(item?.page)).toEqual(expected.pages);
    expect(item?.DOI ?? null).toBe(expected.doi);
    expect((item?.author as Array<{ family: string }>).map(surname)).toEqual(expected.authors);
  });

  it('rejects a key of our own outside `custom`: the schema is strict enough to catch one', () => {
    const [item] = JSON.parse(formatCslJson(byTitle('Tidal'))) as Array<Record<string, unknown>>;
    expect(validate([{ ...item, venue: 'ICML' }])).toBe(false);
  });
});

describe("a thesis's kind and a report's number, in every file", () => {
  // The fixture's @phdthesis is a doctoral dissertation (APA's word for it); its @techreport says `number = {TR-2020-7}`.
  const thesis = () => byTitle('On the Identifiability');
  const report = () => byTitle('A Benchmark');

  it('CSL-JSON: the thesis has the genre, the report the number (CSL `issue` is a periodical\'s)', () => {
    const [thesisItem] = JSON.parse(formatCslJson(thesis())) as Array<Record<string, unknown>>;
    const [reportItem] = JSON.parse(formatCslJson(report())) as Array<Record<string, unknown>>;
    expect(thesisItem?.genre).toBe('Doctoral dissertation');
    expect(reportItem?.number).toBe('TR-2020-7');
    expect(reportItem?.issue).toBeUndefined();
  });

  it('RIS: plugin-ris reads the report\'s number (SN of an RPRT) and the thesis\'s kind (M3)', () => {
    const [thesisItem] = new Cite(formatRis(thesis())).data;
    const [reportItem] = new Cite(formatRis(report())).data;
    expect(thesisItem?.genre).toBe('Doctoral dissertation');
    expect(reportItem?.number).toBe('TR-2020-7');
    expect(reportItem?.issue).toBeUndefined();
  });

  it('BibTeX: the report keeps `number`; a master\'s thesis is @mastersthesis', () => {
    const fields = parseBibtex(formatBibtex(report())).entries[0]?.fields as Record<string, unknown>;
    expect(fields.number).toBe('TR-2020-7');
    const masters = parseBibtexFile("@mastersthesis{m, title = {T}, author = {Quill, Ada}, school = {ETH Zurich}, year = 2020}", 'm.bib', { asOf: new Date('2026-01-01') }).papers[0];
    expect(masters?.genre).toBe("Master's thesis");
    if (!masters) throw new Error("the @mastersthesis entry was not read");
    expect(parseBibtex(formatBibtex(masters)).entries[0]?.type).toBe('mastersthesis');
  });
});
