import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergePages, mergePaper } from '../../src/corpus/merge.js';
import { formatDiagnostic, parseProfilePage } from '../../src/corpus/parse.js';
import { paperId } from '../../src/corpus/ids.js';
import type { Paper } from '../../src/corpus/schema.js';

const AS_OF = new Date('2026-11-27T00:00:00Z');
const SMALL = readFileSync('test/fixtures/pages/small.txt', 'utf8');
const COLLEAGUE = readFileSync('test/fixtures/pages/colleague.txt', 'utf8');

const small = parseProfilePage(SMALL, 'small.txt', { asOf: AS_OF });
const colleague = parseProfilePage(COLLEAGUE, 'colleague.txt', { asOf: AS_OF });

describe('mergePages', () => {
  const corpus = mergePages([small, colleague]);

  it('makes one paper of one title on two pages, with both owners', () => {
    expect(corpus.papers).toHaveLength(3);
    const shared = corpus.papers.filter((p) => p.id === paperId('First Good Paper on Causal Slots'));
    expect(shared).toHaveLength(1);
    // The copy on colleague.txt leads (same date precision; the first file by name), so its owner comes first.
    expect(shared[0]?.owners).toEqual(['Bo Ström', 'Ada Example']);
  });

  it('lists an owner once when two pages spell the name with and without the umlaut', () => {
    const transliterated = parseProfilePage(COLLEAGUE.replace(/^Bo Ström/, 'Bo Stroem'), 'colleague-again.txt', { asOf: AS_OF });
    const merged = mergePages([colleague, transliterated]);
    expect(merged.papers.map((p) => p.owners)).toEqual(merged.papers.map(() => ['Bo Ström']));
  });

  it('keeps the fuller abstract whichever page comes first', () => {
    const shortened = parseProfilePage(COLLEAGUE.replace(/^(Bo Ström)$/m, 'Cy Short'), 'a-short.txt', { asOf: AS_OF });
    for (const paper of shortened.papers) paper.abstract = 'Short.';
    const full = colleague.papers.find((p) => p.id === paperId('First Good Paper on Causal Slots'));
    for (const order of [[shortened, colleague], [colleague, shortened]]) {
      const merged = mergePages(order).papers.find((p) => p.id === full?.id);
      expect(merged?.abstract).toBe(full?.abstract);
    }
  });

  it('takes no link from a copy whose abstract is not kept, unless that page flags code', () => {
    const shared = paperId('First Good Paper on Causal Slots');
    const withLink = (hasCode: boolean) => {
      const page = parseProfilePage(COLLEAGUE.replace(/^(Bo Ström)$/m, 'Cy Link'), 'a-link.txt', { asOf: AS_OF });
      for (const paper of page.papers) Object.assign(paper, { abstract: 'Short.', codeUrl: 'https://evil.example/x', hasCode });
      return page;
    };
    const kept = colleague.papers.find((p) => p.id === shared);
    const unflagged = mergePages([withLink(false), { ...colleague, papers: colleague.papers.map((p) => ({ ...p, codeUrl: null, hasCode: false })) }]);
    expect(unflagged.papers.find((p) => p.id === shared)).toMatchObject({ abstract: kept?.abstract, codeUrl: null });
    const flagged = mergePages([withLink(true), { ...colleague, papers: colleague.papers.map((p) => ({ ...p, codeUrl: null, hasCode: false })) }]);
    expect(flagged.papers.find((p) => p.id === shared)).toMatchObject({ abstract: kept?.abstract, codeUrl: 'https://evil.example/x', hasCode: true });
  });

  it('keeps the longer author list with its truncated flag, every affiliation, and the source of the first file by name', () => {
    const shared = corpus.papers.find((p) => p.id === paperId('first good paper on causal slots'));
    expect(shared).toMatchObject({
      title: 'First good paper on causal slots!',
      authors: ['Ada Example', 'Bo Ström', 'Cé Müller', 'Dan Park'],
      authorsTruncated: false,
      affiliations: ['mpi-is', 'amazon', 'eth-zurich'],
      hasCode: true,
      codeUrl: 'https://github.com/example/slots',
      source: { file: 'colleague.txt', line: 12 },
    });
  });

  it('gives the same merged paper whichever page comes first', () => {
    // The two copies differ in title, authors, affiliations, code and abstract, so each field is merged, not copied.
    const reversed = mergePages([colleague, small]);
    expect(reversed.papers).toEqual(corpus.papers);
    const shared = reversed.papers.find((p) => p.id === paperId('First Good Paper on Causal Slots'));
    expect(shared?.source).toEqual({ file: 'colleague.txt', line: 12 });
    expect(shared?.title).toBe('First good paper on causal slots!');
  });

  it('takes source, title and date from the copy with the more precise date, whichever comes first', () => {
    const yearOnly = (page: typeof small) => ({
      ...page,
      papers: page.papers.map((p) => ({ ...p, date: `${p.date.slice(0, 4)}-01-01`, datePrecision: 'year' as const })),
    });
    for (const order of [[yearOnly(colleague), small], [small, yearOnly(colleague)]]) {
      const shared = mergePages(order).papers.find((p) => p.id === paperId('First Good Paper on Causal Slots'));
      expect(shared).toMatchObject({ title: 'First Good Paper on Causal Slots', date: '2024-03-03', source: { file: 'small.txt', line: 12 } });
      expect(shared?.datePrecision).toBeUndefined();
    }
  });

  it('keeps an unknown category code as it is', () => {
    const unknown = corpus.papers.find((p) => p.categoryCode === 'XY');
    expect(unknown).toMatchObject({ category: 'XY', categoryLabel: 'XY', title: 'A Paper in a Category the Bot Does Not Know' });
  });

  it('sorts newest first, ties by title then id', () => {
    expect(corpus.papers.map((p) => p.date)).toEqual(['2026-06-09', '2024-03-03', '2021-01-15']);
    const tie = mergePages([
      parseProfilePage('Owner\n\nLGMay 1, 2020\nZeta\n\nA\n\nx\n\nLGMay 1, 2020\nAlpha\n\nB\n\ny\n', 'tie.txt'),
    ]);
    expect(tie.papers.map((p) => p.title)).toEqual(['Alpha', 'Zeta']);
  });

  it('keeps both profiles and every diagnostic', () => {
    expect(corpus.profiles.map((p) => p.owner)).toEqual(['Ada Example', 'Bo Ström']);
    // A page with a header but no paper is a diagnostic, not a profile ("Hello world" with 0 papers in /stats).
    const withEmpty = mergePages([small, parseProfilePage('', 'empty.txt'), parseProfilePage('Hello world\n', 'hello.txt')]);
    expect(withEmpty.profiles.map((p) => p.owner)).toEqual(['Ada Example']);
    expect(withEmpty.diagnostics.map(formatDiagnostic)).toEqual(['corpus: empty.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file', 'corpus: hello.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file']);
  });

  it('merges a paper listed twice on one page and says so', () => {
    const twice = `${SMALL}\nLGMar 3, 2024\nFirst Good Paper on Causal Slots\n\nAda Example\n\nAgain.\n`;
    const corpus2 = mergePages([parseProfilePage(twice, 'twice.txt', { asOf: AS_OF })]);
    expect(corpus2.papers).toHaveLength(2);
    expect(corpus2.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: twice.txt:26: paper "First Good Paper on Causal Slots" is listed twice on the page (first at line 12); merged",
      ]
    `);
  });
});

describe('diagnostics', () => {
  it('come in line order within a page, whichever step found them', () => {
    const twice = `${SMALL}\nLGMar 3, 2024\nFirst Good Paper on Causal Slots\n\nAda Example\n\nAgain.\n\nLGFoo 3, 2024\nBad Date\n\nAda Example\n\nX.\n`;
    const withBadFirst = twice.replace('\nLGMar 3', '\nLGJun 3\n\nLGMar 3');
    const corpus2 = mergePages([parseProfilePage(withBadFirst, 'twice.txt', { asOf: AS_OF })]);
    const lines = corpus2.diagnostics.map((d) => d.line);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});

describe('paperId', () => {
  it('is short, stable and the same for titles that differ only in case, accents or punctuation', () => {
    const id = paperId('Assaying Out-Of-Distribution Generalization in Transfer Learning');
    expect(id).toMatch(/^[a-z0-9]{10}$/);
    expect(paperId('assaying out of distribution generalization in transfer learning!')).toBe(id);
    expect(paperId('Löwe et al.')).toBe(paperId('Loewe et al'));
    expect(paperId('Another Title')).not.toBe(id);
  });
});

describe('mergePages with clashing ids', () => {
  it('skips a paper whose id another title already has, and says so', () => {
    const page = parseProfilePage('Owner\n\nLGMay 1, 2020\nAlpha\n\nA\n\nx\n\nLGMay 2, 2020\nBeta\n\nB\n\ny\n', 'clash.txt');
    const [alpha, beta] = page.papers;
    if (!alpha || !beta) throw new Error('the page has two papers');
    const corpus = mergePages([{ ...page, papers: [alpha, { ...beta, id: alpha.id }] }]);
    expect(corpus.papers.map((p) => p.title)).toEqual(['Alpha']);
    expect(corpus.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: clash.txt:10: paper "Beta" has the id 228bv4ddjz of another title; skipped",
      ]
    `);
  });
});

describe('mergePaper with a published copy', () => {
  const preprint = small.papers[0] as Paper;
  const published: Paper = {
    ...preprint,
    source: { file: 'z-lab.bib', line: 3 },
    type: 'conference-paper',
    venue: 'International Conference on Machine Learning',
    volume: '235',
    pages: '1200-1215',
    publisher: 'PMLR',
  };

  it('keeps the conference paper over its preprint, with its volume, pages and publisher, in either order', () => {
    for (const [a, b] of [[{ ...preprint, type: 'preprint' as const }, published], [published, { ...preprint, type: 'preprint' as const }]]) {
      const merged = mergePaper(a as Paper, b as Paper);
      expect([merged.type, merged.volume, merged.pages, merged.publisher]).toEqual(['conference-paper', '235', '1200-1215', 'PMLR']);
    }
  });

  it('leaves the type and details absent where no copy has them', () => {
    const untyped: Paper = { ...preprint };
    delete untyped.type;
    const merged = mergePaper(untyped, { ...untyped, source: { file: 'other.txt', line: 1 } });
    expect(Object.keys(merged).filter((key) => ['type', 'volume', 'issue', 'pages', 'publisher'].includes(key))).toEqual([]);
  });
});
