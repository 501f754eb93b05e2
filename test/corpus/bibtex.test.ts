import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BIBTEX_CHARS, parseBibtexFile } from '../../src/corpus/bibtex.js';
import { formatDiagnostic } from '../../src/corpus/parse.js';
import { PaperSchema, ProfileSchema, type Paper } from '../../src/corpus/schema.js';

const AS_OF = new Date('2026-11-27T00:00:00Z');
const FIXTURES = 'test/fixtures/bib';
const DBLP = `${FIXTURES}/francesco-locatello.bib`;
const SCHOLAR = `${FIXTURES}/ada-quill.bib`;
const ZOTERO = `${FIXTURES}/zotero-bo.bib`;

function read(file: string): ReturnType<typeof parseBibtexFile> {
  return parseBibtexFile(readFileSync(file, 'utf8'), file, { asOf: AS_OF });
}

function byTitle(papers: readonly Paper[], title: string): Paper {
  const found = papers.filter((p) => p.title === title);
  if (found.length === 0) throw new Error(`no paper "${title}" among ${papers.map((p) => p.title).join(' | ')}`);
  return found[0]!;
}

/** What a scan of the raw file says, independently of the parser: each entry's line, key and author count. */
function scanEntries(file: string): Array<{ line: number; key: string; authors: number; others: boolean }> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: Array<{ line: number; key: string; authors: number; others: boolean }> = [];
  lines.forEach((text, i) => {
    const start = /^@(\w+)\{([^,]+),/.exec(text);
    if (!start || start[1]?.toLowerCase() === 'string') return;
    // The author field runs from its line to the first line ending in "}," (every fixture writes it so).
    let j = i + 1;
    while (j < lines.length && !/^\s*author\s*=/.test(lines[j] ?? '') && !/^@/.test(lines[j] ?? '')) j++;
    let field = '';
    for (; j < lines.length; j++) {
      field += ` ${lines[j]}`;
      if (/\},?\s*$/.test(lines[j] ?? '')) break;
    }
    const names = field.replace(/^\s*author\s*=\s*\{/, '').replace(/\},?\s*$/, '').split(/\s+and\s+/);
    const others = names.at(-1)?.trim() === 'others';
    entries.push({ line: i + 1, key: start[2] ?? '', authors: names.length - (others ? 1 : 0), others });
  });
  return entries;
}

describe('parseBibtexFile on exports of real-world shape', () => {
  for (const file of [DBLP, SCHOLAR, ZOTERO]) {
    it(`reads every entry of ${file} as a valid paper, at its line, with its whole author list`, () => {
      const page = read(file);
      const scanned = scanEntries(file);
      expect(page.diagnostics).toEqual([]);
      expect(page.papers.map((p) => p.source.line)).toEqual(scanned.map((e) => e.line));
      expect(page.papers.map((p) => p.authors.length)).toEqual(scanned.map((e) => e.authors));
      expect(page.papers.map((p) => p.authorsTruncated)).toEqual(scanned.map((e) => e.others));
      for (const paper of page.papers) expect(PaperSchema.safeParse(paper).success).toBe(true);
      expect(ProfileSchema.safeParse(page.profile).success).toBe(true);
      expect(page.profile?.papersRead).toBe(scanned.length);
    });
  }

  it('reads a DBLP export: TeX accents in names, arXiv id from CoRR volumes, DOIs, venues, escaped URLs', () => {
    const { papers, profile } = read(DBLP);
    expect(profile?.owner).toBe('Francesco Locatello');
    const [iclr, corr] = papers.filter((p) => p.title === 'Bridging the Gap to Real-World Object-Centric Learning');
    expect(iclr?.authors).toContain('Bernhard Schölkopf');
    expect(iclr?.authors).toContain('Carl-Johann Simon-Gabriel');
    expect(iclr).toMatchObject({
      date: '2023-01-01',
      datePrecision: 'year',
      venue: 'The Eleventh International Conference on Learning Representations, ICLR 2023, Kigali, Rwanda, May 1-5, 2023',
      url: 'https://openreview.net/forum?id=b9tUk-f_aG',
    });
    expect(iclr?.arxivId).toBeUndefined();
    expect(corr).toMatchObject({ arxivId: '2209.14860', doi: '10.48550/ARXIV.2209.14860', date: '2022-01-01' });
    // "CoRR" is arXiv itself, not a venue.
    expect(corr?.venue).toBeUndefined();
    expect(byTitle(papers, 'Rotating Features for Object Discovery').authors[0]).toBe('Sindy Löwe');
  });

  it('reads a Google Scholar export: the owner from the file name, "and others", arXiv ids in the journal, theses', () => {
    const { papers, profile } = read(SCHOLAR);
    expect(profile?.owner).toBe('Ada Quill');
    const sparse = byTitle(papers, 'Sparse Slot Models for Causal Discovery');
    expect(sparse).toMatchObject({ authorsTruncated: true, arxivId: '2403.01234', categoryCode: 'none' });
    expect(sparse.authors).toEqual(['Ada Quill', 'Ada Example', 'Cé Müller', 'Dan Park', 'Thi Minh Nguyen']);
    expect(sparse.venue).toBeUndefined();
    expect(byTitle(papers, 'Identifiable Slot Attention under Sparse Mechanism Shifts')).toMatchObject({
      authors: ['Ada Quill', 'Joost van der Berg', 'Siobhán O\'Neil'],
      venue: 'Journal of Machine Learning Research',
    });
    expect(byTitle(papers, 'On the Identifiability of Slot-Based Models')).toMatchObject({ venue: 'ETH Zurich', date: '2022-01-01', datePrecision: 'year' });
  });

  it('reads a Zotero export: owner line, @string macros and concatenation, accents, month macros, code links, eprint fields', () => {
    const { papers, profile } = read(ZOTERO);
    expect(profile).toMatchObject({ owner: 'Bo Ström', format: 'bibtex' });
    expect(byTitle(papers, 'First Good Paper on Causal Slots')).toMatchObject({
      authors: ['Ada Example', 'Bo Ström', 'Cé Müller', 'Dan Park', 'Éloïse François'],
      venue: 'International Conference on Machine Learning 2024',
      date: '2024-03-01',
      datePrecision: 'month',
      doi: '10.5555/example.2024.001',
      url: 'https://example.org/papers/first-good',
      hasCode: true,
      codeUrl: 'https://github.com/example/slots',
      abstract:
        'We study slots, and show that α-sparse slots — unlike dense ones — recover the causal variables of a scene with & without supervision. Code: https://github.com/example/slots.',
    });
    expect(byTitle(papers, 'Causal Tides: Seasonal Structure in Ocean Models')).toMatchObject({
      authors: ['Bo Ström', 'Ada Quill', 'María de la Cruz'],
      arxivId: '2501.04321',
      date: '2025-01-01',
      hasCode: false,
      abstract: expect.stringContaining('a *periodic* prior whose scale σₜ² follows Fourier features'),
    });
    expect(byTitle(papers, 'Score Matching for Schrödinger Bridges')).toMatchObject({
      authors: ['Bo Ström', 'Zeynep Çağlayan', 'Lars Østergaard'],
      arxivId: '2405.06789',
      categoryCode: 'ML',
      category: 'stat.ML',
      venue: 'Transactions on Machine Learning Research',
    });
  });
});

describe('parseBibtexFile on bad input', () => {
  const GOOD = (key: string, title: string) => `@article{${key},\n  title = {${title}},\n  author = {Quill, Ada},\n  year = {2024}\n}\n`;

  it('costs each bad entry only itself, naming file and line', () => {
    const text = [
      '% owner: Ada Quill',
      GOOD('good1', 'First Good Entry'),
      '@article{unclosed,\n  title = {An {unclosed brace,\n  author = {Quill, Ada},\n  year = {2024}\n}\n',
      GOOD('good2', 'Second Good Entry'),
      '@article{notitle,\n  author = {Quill, Ada},\n  year = {2024}\n}\n',
      '@article{badyear,\n  title = {Bad Year},\n  author = {Quill, Ada},\n  year = {20x4}\n}\n',
      '@weird{strange,\n  title = {Strange},\n  author = {Quill, Ada},\n  year = {2024}\n}\n',
      '@book{abook,\n  title = {A Book},\n  author = {Quill, Ada},\n  year = {2024}\n}\n',
      '@misc{atalk,\n  title = {A Talk},\n  author = {Quill, Ada},\n  year = {2024}\n}\n',
      '@article{noauthor,\n  title = {Nobody Wrote This},\n  year = {2024}\n}\n',
      '@article{nasty,\n  title = {Nasty Link},\n  author = {Quill, Ada},\n  year = {2024},\n  url = {javascript:alert(1)}\n}\n',
      GOOD('good3', 'Third Good Entry'),
    ].join('\n');
    const page = parseBibtexFile(text, 'ada.bib', { asOf: AS_OF });
    expect(page.papers.map((p) => p.title)).toEqual(['First Good Entry', 'Second Good Entry', 'Nasty Link', 'Third Good Entry']);
    expect(page.papers.find((p) => p.title === 'Nasty Link')?.url).toBeUndefined();
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    expect(page.diagnostics.map((d) => d.line)).toEqual(
      ['{unclosed', '{notitle', '{badyear', '{strange', '{abook', '{atalk', '{noauthor', '{nasty'].map(lineOf),
    );
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: ada.bib:8: entry could not be read: a brace is never closed; skipped",
        "corpus: ada.bib:20: entry @article{notitle} has no title; skipped",
        "corpus: ada.bib:25: entry @article{badyear} "Bad Year" has a year that is no year ("20x4"); skipped",
        "corpus: ada.bib:31: entry @weird{strange} has an unknown entry type; skipped",
        "corpus: ada.bib:37: entry @book{abook} has no eprint or DOI, so it is not read as a paper; skipped",
        "corpus: ada.bib:43: entry @misc{atalk} has no eprint or DOI, so it is not read as a paper; skipped",
        "corpus: ada.bib:49: entry @article{noauthor} "Nobody Wrote This" has no author; skipped",
        "corpus: ada.bib:54: entry @article{nasty} has a url that is not an http(s) link ("javascript:alert(1)"); ignored",
      ]
    `);
  });

  it('says so, naming the file, when the text is not BibTeX at all', () => {
    for (const text of ['', 'Just a note about papers.\nNothing here.', readFileSync('test/fixtures/pages/small.txt', 'utf8'), '\u0000\u0001\u0002 binary']) {
      const page = parseBibtexFile(text, 'notes.bib', { asOf: AS_OF });
      expect(page.papers).toEqual([]);
      expect(page.profile).toBeNull();
      expect(page.diagnostics.map(formatDiagnostic)).toEqual(['corpus: notes.bib:1: file has no BibTeX entry (is it a .bib file?)']);
    }
  });

  it('skips a file larger than the limit, with one diagnostic', () => {
    const entry = GOOD('k', 'A Title');
    const huge = entry.repeat(Math.ceil((MAX_BIBTEX_CHARS + 1) / entry.length));
    const page = parseBibtexFile(huge, 'huge.bib', { asOf: AS_OF });
    expect(page.papers).toEqual([]);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: huge.bib:1: file is larger than 2 million characters; skipped",
      ]
    `);
  });

  it("reads a thesis's kind and a report's number: the entry type's, or the entry's own `type` field", () => {
    const entry = (type: string, fields = '') => `@${type}{k, title = {T}, author = {Quill, Ada}, year = 2020, school = {ETH Zurich}, institution = {MPI}${fields}}`;
    const read1 = (type: string, fields?: string) => parseBibtexFile(entry(type, fields), 'k.bib', { asOf: AS_OF }).papers[0];
    expect(read1('phdthesis')).toMatchObject({ type: 'thesis', genre: 'Doctoral dissertation' });
    expect(read1('mastersthesis')).toMatchObject({ type: 'thesis', genre: "Master's thesis" });
    expect(read1('thesis', ', type = {Habilitation thesis}')).toMatchObject({ type: 'thesis', genre: 'Habilitation thesis' });
    expect(read1('techreport', ', type = {Technical note}, number = {TN-3}')).toMatchObject({ type: 'report', genre: 'Technical note', issue: 'TN-3' });
    // An article's `type` field is no kind of thesis or report.
    expect(read1('article', ', journal = {J}, type = {Review}')?.genre).toBeUndefined();
  });

  it('reads dates as far as they are given: month names and macros, day fields, biblatex dates', () => {
    const entry = (fields: string) => `@article{k, title = {T}, author = {Quill, Ada}, ${fields}}`;
    const dateOf = (fields: string) => {
      const [paper] = parseBibtexFile(entry(fields), 'd.bib', { asOf: AS_OF }).papers;
      return paper ? [paper.date, paper.datePrecision ?? 'day'] : null;
    };
    expect(dateOf('year = 2021')).toEqual(['2021-01-01', 'year']);
    expect(dateOf('year = 2021, month = sep')).toEqual(['2021-09-01', 'month']);
    expect(dateOf('year = 2021, month = {September}')).toEqual(['2021-09-01', 'month']);
    expect(dateOf('year = 2021, month = {Sept.}, day = {30}')).toEqual(['2021-09-30', 'day']);
    expect(dateOf('year = 2021, month = 2, day = 30')).toEqual(['2021-02-01', 'month']);
    expect(dateOf('date = {2020-06-12}')).toEqual(['2020-06-12', 'day']);
    expect(dateOf('date = {2020-06}')).toEqual(['2020-06-01', 'month']);
    expect(dateOf('year = {in press}')).toBeNull();
  });

  it('reads a field wrapped over lines as TeX does: a line break is a space, a blank line a new paragraph', () => {
    const text = '@article{a,\n  title = {A Long Title\n    Wrapped {Over} Lines},\n  author = {Quill, Ada},\n  year = 2020,\n  abstract = {First line\n  continues here.\n\n  Second paragraph\n  here.}\n}';
    const [paper] = parseBibtexFile(text, 'w.bib', { asOf: AS_OF }).papers;
    expect(paper?.title).toBe('A Long Title Wrapped Over Lines');
    expect(paper?.abstract).toBe('First line continues here.\n\nSecond paragraph here.');
  });

  it('takes a code link from a code or github field, or a code host in the note', () => {
    const entry = (fields: string) => parseBibtexFile(`@article{k, title = {T}, author = {Quill, Ada}, year = 2024, ${fields}}`, 'c.bib', { asOf: AS_OF }).papers[0];
    expect(entry('github = {example/slots}')).toMatchObject({ hasCode: true, codeUrl: 'https://github.com/example/slots' });
    expect(entry('code = {https://gitlab.com/x/y}')).toMatchObject({ hasCode: true, codeUrl: 'https://gitlab.com/x/y' });
    expect(entry('note = {Code: \\url{https://github.com/a/b}}')).toMatchObject({ hasCode: true, codeUrl: 'https://github.com/a/b' });
    expect(entry('abstract = {See https://example.org/project.}')).toMatchObject({ hasCode: false, codeUrl: 'https://example.org/project' });
    expect(entry('code = {javascript:alert(1)}')).toMatchObject({ hasCode: false, codeUrl: null });
  });
});

describe('parseBibtexFile on any text', () => {
  // Pieces of BibTeX syntax, so that random text reaches deep into the parser rather than stopping at the first @.
  const PIECES = [
    '@article{', '@misc(', '@string{', '@comment{', '@preamble{', '}', '{', '(', ')', ',', '=', '#', '"', '%', '\n', ' and ',
    'title', 'author', 'year', 'month', 'eprint', 'doi', 'url', 'jan', '2024', '\\"o', '\\', '$', '$\\alpha$', 'others',
    'javascript:alert(1)', 'https://github.com/a/b', '10.1000/x', '2006.15055', '\u0000', '\uD800', 'ü',
  ];
  const bibLike = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));

  it('never throws, and everything it returns is valid, with lines inside the file and only http(s) links', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), bibLike), (text) => {
        const page = parseBibtexFile(text, 'any.bib', { asOf: AS_OF });
        const lines = text.replace(/\r\n?/g, '\n').split('\n').length;
        for (const paper of page.papers) {
          expect(PaperSchema.safeParse(paper).success).toBe(true);
          for (const url of [paper.url, paper.codeUrl]) if (url) expect(url).toMatch(/^https?:\/\//);
        }
        for (const diagnostic of page.diagnostics) {
          expect(diagnostic.file).toBe('any.bib');
          expect(diagnostic.line).toBeGreaterThanOrEqual(1);
          expect(diagnostic.line).toBeLessThanOrEqual(lines);
        }
        if (page.papers.length === 0) expect(page.diagnostics.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
