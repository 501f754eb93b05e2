import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paperId } from '../../src/corpus/ids.js';
import { loadCorpusFromFiles, type PageFile } from '../../src/corpus/load.js';
import type { Corpus, Paper } from '../../src/corpus/schema.js';

const AS_OF = new Date('2026-11-27T00:00:00Z');
const file = (name: string): PageFile => ({ file: name, text: readFileSync(name, 'utf8') });
const SEED = file('data/profiles/francesco-locatello.txt');
const DBLP = file('test/fixtures/bib/francesco-locatello.bib');
const COLLEAGUE = file('test/fixtures/pages/colleague.txt');
const SMALL = file('test/fixtures/pages/small.txt');
const ZOTERO = file('test/fixtures/bib/zotero-bo.bib');
const SCHOLAR = file('test/fixtures/bib/ada-quill.bib');

const DINOSAUR = 'Bridging the Gap to Real-World Object-Centric Learning';

function paperIn(corpus: Corpus, title: string): Paper {
  const found = corpus.papers.find((p) => p.id === paperId(title));
  if (!found) throw new Error(`no paper "${title}"`);
  return found;
}

/** The names in the author field of the first fixture entry with this title, scanned from the raw DBLP-style text. */
function rawAuthorCount(bib: PageFile, title: string): number {
  const before = bib.text.slice(0, bib.text.indexOf(`title        = {${title}}`));
  const field = before.slice(before.lastIndexOf('author       = {'));
  return field.split(/\s+and\s+/).length;
}

describe('a page and a BibTeX file covering the same papers', () => {
  const pageFirst = loadCorpusFromFiles([SEED, DBLP], { asOf: AS_OF });
  const bibFirst = loadCorpusFromFiles([DBLP, SEED], { asOf: AS_OF });

  it('merge into the same corpus in either order', () => {
    expect(bibFirst.papers).toEqual(pageFirst.papers);
  });

  it('make one paper with the full author list, the arXiv id, the DOI, the venue, and the page\'s date and abstract', () => {
    const page = loadCorpusFromFiles([SEED], { asOf: AS_OF });
    const before = paperIn(page, DINOSAUR);
    const merged = paperIn(pageFirst, DINOSAUR);
    expect(before.authorsTruncated).toBe(true);
    expect(merged.authors).toHaveLength(rawAuthorCount(DBLP, DINOSAUR));
    expect(merged.authors.slice(0, 3)).toEqual(before.authors);
    expect(merged).toMatchObject({
      authorsTruncated: false,
      arxivId: '2209.14860',
      doi: '10.48550/ARXIV.2209.14860',
      venue: 'The Eleventh International Conference on Learning Representations, ICLR 2023, Kigali, Rwanda, May 1-5, 2023',
      date: before.date,
      abstract: before.abstract,
      source: before.source,
      category: before.category,
      owners: ['Francesco Locatello'],
    });
    expect(merged.datePrecision).toBeUndefined();
    expect(pageFirst.papers.filter((p) => p.title === DINOSAUR)).toHaveLength(1);
  });

  it('add the papers only the BibTeX file has, in the owner\'s page category', () => {
    const slots = paperIn(pageFirst, 'Object-Centric Learning with Slot Attention');
    expect(slots).toMatchObject({ categoryCode: 'LG', date: '2020-01-01', datePrecision: 'year', authorsTruncated: false });
    expect(pageFirst.papers).toHaveLength(loadCorpusFromFiles([SEED], { asOf: AS_OF }).papers.length + 1);
  });

  it('union the owners, and keep the fuller list, the DOI and the code link, in every order of three files', () => {
    const orders = [
      [COLLEAGUE, SMALL, ZOTERO],
      [ZOTERO, SMALL, COLLEAGUE],
      [SMALL, ZOTERO, COLLEAGUE],
    ];
    const corpora = orders.map((files) => loadCorpusFromFiles(files, { asOf: AS_OF }));
    for (const corpus of corpora.slice(1)) expect(corpus.papers).toEqual(corpora[0]?.papers);
    const first = paperIn(corpora[0]!, 'First Good Paper on Causal Slots');
    expect(new Set(first.owners)).toEqual(new Set(['Bo Ström', 'Ada Example']));
    expect(first).toMatchObject({
      authors: ['Ada Example', 'Bo Ström', 'Cé Müller', 'Dan Park', 'Éloïse François'],
      doi: '10.5555/example.2024.001',
      hasCode: true,
      codeUrl: 'https://github.com/example/slots',
      // Both pages give the day; the BibTeX file only the month.
      date: '2024-03-03',
    });
  });

  it('give a BibTeX-only owner with no page papers of no category, and a paper on two .bib files one entry', () => {
    const corpus = loadCorpusFromFiles([SCHOLAR, ZOTERO], { asOf: AS_OF });
    expect(paperIn(corpus, 'Sparse Slot Models for Causal Discovery')).toMatchObject({ categoryCode: 'none', owners: ['Ada Quill'] });
    expect(corpus.profiles.map((p) => [p.owner, p.format])).toEqual([
      ['Ada Quill', 'bibtex'],
      ['Bo Ström', 'bibtex'],
    ]);
  });
});
