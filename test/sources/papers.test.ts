import { describe, expect, it } from 'vitest';
import { paperFromArxiv, paperFromCrossref, paperFromWork, withArxiv } from '../../src/sources/papers.js';
import { WorkSchema } from '../../src/sources/openalex.js';
import { CrossrefWorkSchema } from '../../src/sources/crossref.js';
import { crossrefResponse, openAlexWork } from './standins/fixtures.js';

const ABSTRACT = 'We study slots . Code at https://github.com/lab/slots and more .';

function work(spec: Parameters<typeof openAlexWork>[0]) {
  return WorkSchema.parse(openAlexWork(spec));
}

describe('works as papers', () => {
  it('takes the full author list, date, DOI, venue, type, volume and pages, the abstract and the citation count', () => {
    const read = paperFromWork(
      work({ id: 'W42', title: 'Slot <i>Attention</i> at Scale', authors: [{ name: 'Ada Quill' }, { name: 'Ivo Marek' }, { name: 'Nia Ode' }], date: '2024-06-03', doi: '10.1000/slots', venue: { name: 'Journal of Slots', type: 'journal' }, abstract: ABSTRACT, citedBy: 17, biblio: { volume: '12', first_page: '100', last_page: '110' } }),
      'Ada Quill',
      '2026-12-07',
    );
    if (!('paper' in read)) throw new Error(read.reason);
    expect(read.paper).toMatchObject({
      title: 'Slot Attention at Scale',
      authors: ['Ada Quill', 'Ivo Marek', 'Nia Ode'],
      authorsTruncated: false,
      owners: ['Ada Quill'],
      date: '2024-06-03',
      doi: '10.1000/slots',
      venue: 'Journal of Slots',
      type: 'journal-article',
      volume: '12',
      pages: '100-110',
      abstract: ABSTRACT,
      codeUrl: 'https://github.com/lab/slots',
      openalexId: 'W42',
      citedBy: { count: 17, asOf: '2026-12-07', source: 'OpenAlex' },
      source: { file: 'https://openalex.org/W42', line: 1 },
    });
    expect(read.paper.provenance?.['doi']).toBe('openalex');
  });

  it('finds the arXiv id of a preprint and takes arXiv’s categories where they are known', () => {
    const read = paperFromWork(work({ id: 'W43', title: 'A Preprint', authors: [{ name: 'Ada Quill' }], date: '2025-01-02', arxivId: '2501.01234' }), 'Ada Quill', '2026-12-07');
    if (!('paper' in read)) throw new Error(read.reason);
    expect(read.paper).toMatchObject({ arxivId: '2501.01234', doi: '10.48550/arxiv.2501.01234', type: 'preprint', categoryCode: 'none' });
    const enriched = withArxiv(read.paper, { id: '2501.01234', title: 'A Preprint', summary: 'S', authors: ['Ada Quill'], published: '2025-01-02', primaryCategory: 'stat.ML', categories: ['stat.ML', 'cs.LG'], doi: null });
    expect(enriched).toMatchObject({ categoryCode: 'ML', category: 'stat.ML', categories: ['stat.ML', 'cs.LG'], abstract: 'S' });
    expect(enriched.provenance).toMatchObject({ category: 'arxiv', categories: 'arxiv', abstract: 'arxiv', title: 'openalex' });
  });

  it('gives the reason instead of a paper for a work without authors or date', () => {
    expect(paperFromWork(work({ id: 'W44', title: 'Nobody', authors: [], date: '2024-01-01' }), 'Ada Quill', '2026-12-07')).toEqual({ reason: 'W44: no author' });
  });

  it('reads a Crossref work and an arXiv entry as papers of their own', () => {
    const crossref = paperFromCrossref(CrossrefWorkSchema.parse(crossrefResponse({ doi: '10.5555/12345678', title: 'A Study of Things', authors: [{ given: 'Ada', family: 'Lovelace' }], issued: [2024, 3], container: 'Journal of Examples', volume: '12', issue: '3', page: '100-110' }).message));
    expect(crossref).toMatchObject({ paper: { title: 'A Study of Things', authors: ['Ada Lovelace'], date: '2024-03-01', datePrecision: 'month', doi: '10.5555/12345678', venue: 'Journal of Examples', type: 'journal-article', volume: '12', issue: '3', pages: '100-110' } });
    const arxiv = paperFromArxiv({ id: '2401.00001', title: 'An arXiv Paper', summary: 'Abstract.', authors: ['Ivo Marek'], published: '2024-01-01', primaryCategory: 'cs.CV', categories: ['cs.CV'], doi: null });
    expect(arxiv).toMatchObject({ paper: { arxivId: '2401.00001', category: 'cs.CV', type: 'preprint', authors: ['Ivo Marek'] } });
  });
});
