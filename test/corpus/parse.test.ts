import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstUrl, formatDiagnostic, monthNumber, parseProfilePage } from '../../src/corpus/parse.js';
import { nameKeys } from '../../src/corpus/names.js';
import { PaperSchema, type Paper } from '../../src/corpus/schema.js';
import { SEED_HEADER_LINE, SEED_HEADER_REASON } from './seed-header.js';

const SEED_FILE = 'data/profiles/francesco-locatello.txt';
const SEED = readFileSync(SEED_FILE, 'utf8');
const SMALL = readFileSync('test/fixtures/pages/small.txt', 'utf8');
const AS_OF = new Date('2026-11-27T00:00:00Z');

const seed = parseProfilePage(SEED, SEED_FILE, { asOf: AS_OF });

function byTitle(papers: readonly Paper[], start: string): Paper {
  const paper = papers.find((p) => p.title.startsWith(start));
  if (!paper) throw new Error(`no paper titled "${start}…"`);
  return paper;
}

/** The small fixture's header, its two papers, and `insert` between or after them. */
function smallWith(insert: { between?: string; after?: string }): string {
  const [header, first, second] = SMALL.split(/\n(?=(?:LGMar 3|CVJun 9))/);
  return [header, first, insert.between, second, insert.after].filter((part) => part !== undefined).join('\n');
}

const GOOD_TITLES = ['First Good Paper on Causal Slots', 'Second Good Paper About Vision'];

describe('the seed page', () => {
  it('reads exactly 50 papers, with one diagnostic: the header figures contradict each other', () => {
    expect(seed.diagnostics).toEqual([{ file: SEED_FILE, line: SEED_HEADER_LINE, reason: SEED_HEADER_REASON }]);
    expect(seed.papers).toHaveLength(50);
    for (const paper of seed.papers) expect(PaperSchema.safeParse(paper).success).toBe(true);
  });

  it('gives every paper a distinct id', () => {
    expect(new Set(seed.papers.map((p) => p.id)).size).toBe(50);
  });

  it('reads the header stats and the listed count', () => {
    expect(seed.profile).toEqual({
      owner: 'Francesco Locatello',
      primaryCategory: 'LG',
      stats: { hIndex: 137, papers: 105, citations: 7711, noveltyPercent: 54, aiScore: 61 },
      papersListed: 105,
      papersRead: 50,
      file: SEED_FILE,
    });
  });

  it('makes the owner an owner of every paper without adding them to the printed authors', () => {
    expect(seed.papers.every((p) => p.owners.length === 1 && p.owners[0] === 'Francesco Locatello')).toBe(true);
    const assaying = byTitle(seed.papers, 'Assaying Out-Of-Distribution');
    expect(assaying.authors).toEqual(['Florian Wenzel', 'Andrea Dittadi', 'Peter Vincent Gehler']);
    expect(assaying.authorsTruncated).toBe(true);
  });

  it('keeps the Code flag with its URL, without a URL, and a URL without the flag', () => {
    const scalable = byTitle(seed.papers, 'Scalable Mechanistic Neural Networks');
    expect([scalable.hasCode, scalable.codeUrl]).toEqual([true, 'https://github.com/IST-DASLab/ScalableMNN']);
    const frankWolfe = byTitle(seed.papers, 'Stochastic Frank-Wolfe');
    expect([frankWolfe.hasCode, frankWolfe.codeUrl, frankWolfe.categoryCode, frankWolfe.category]).toEqual([true, null, 'OC', 'math.OC']);
    const withUrlOnly = seed.papers.filter((p) => !p.hasCode && p.codeUrl !== null);
    expect(withUrlOnly.map((p) => p.codeUrl)).toEqual(['https://sites.google.com/view/causaltriplet']);
  });

  it('splits affiliations after the middle dot', () => {
    const paper = seed.papers.find((p) => p.authors[0] === 'Sara Kangaslahti');
    expect(paper?.affiliations).toEqual(['harvard', 'microsoft-research']);
    expect(paper?.authorsTruncated).toBe(true);
    expect(paper?.authors).toEqual(['Sara Kangaslahti', 'Nihal V. Nayak', 'Jonathan Geuter']);
  });

  it('keeps accented names as printed and matches both spellings of one person', () => {
    expect(seed.papers.some((p) => p.authors.includes('Sébastien Lachapelle'))).toBe(true);
    const keys = nameKeys('Matthäus Kleindessner');
    const kleindessner = seed.papers.filter((p) => p.authors.some((a) => nameKeys(a).some((key) => keys.includes(key))));
    expect(kleindessner).toHaveLength(3);
    expect(new Set(kleindessner.flatMap((p) => p.authors.filter((a) => a.includes('Kleindessner'))))).toEqual(
      new Set(['Matthäus Kleindessner', 'Matthaeus Kleindessner']),
    );
  });

  it('dates the 12 year-less papers in the page year as of the as-of date', () => {
    const yearless = SEED.split('\n').filter((line) => /^[A-Z]{2}[A-Z][a-z]{2} \d{1,2}$/.test(line));
    expect(yearless).toHaveLength(12);
    expect(seed.papers.filter((p) => p.date.startsWith('2026-'))).toHaveLength(12);
    expect(byTitle(seed.papers, 'Reconciling Causality').date).toBe('2026-06-03');
    expect(byTitle(seed.papers, 'Scalable Mechanistic').date).toBe('2025-04-01');
  });

  it('puts a year-less date in the previous year when the day has not come yet', () => {
    const early = parseProfilePage(SEED, SEED_FILE, { asOf: new Date('2026-05-01T00:00:00Z') });
    expect(byTitle(early.papers, 'Reconciling Causality').date).toBe('2025-06-03');
    const onTheDay = parseProfilePage(SEED, SEED_FILE, { asOf: new Date('2026-06-03T00:00:00Z') });
    expect(byTitle(onTheDay.papers, 'Reconciling Causality').date).toBe('2026-06-03');
  });

  it('maps category codes to arXiv names and labels', () => {
    const counts = Object.fromEntries(['LG', 'CV', 'ML', 'ME', 'QM', 'OC'].map((code) => [code, seed.papers.filter((p) => p.categoryCode === code).length]));
    expect(counts).toEqual({ LG: 34, CV: 9, ML: 2, ME: 3, QM: 1, OC: 1 });
    const qm = seed.papers.find((p) => p.categoryCode === 'QM');
    expect([qm?.category, qm?.categoryLabel]).toEqual(['q-bio.QM', 'Quantitative Methods']);
  });

  it('turns the LaTeX in abstracts into chat text', () => {
    const grounded = byTitle(seed.papers, 'Grounded Object Centric Learning');
    expect(grounded.abstract).toContain('we present *Conditional Slot Attention* (CoSA)');
    expect(byTitle(seed.papers, 'Unsupervised Semantic Segmentation').abstract).toContain('more than 20% IoU');
    for (const paper of seed.papers) expect(paper.abstract).not.toMatch(/\\[a-zA-Z]|\$/);
  });

  it('records where each paper was read', () => {
    expect(byTitle(seed.papers, 'Assaying Out-Of-Distribution').source).toEqual({ file: SEED_FILE, line: 12 });
  });
});

describe('a page with a bad block keeps the good papers around it', () => {
  const asOf = AS_OF;

  it('reports a date line with no title', () => {
    const page = parseProfilePage(smallWith({ between: 'LGJun 3\n' }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: date line "LGJun 3" has no title",
      ]
    `);
  });

  it('reports an unknown month and skips that block only', () => {
    const block = 'LGFoo 3, 2024\nA Paper With a Bad Date\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: unknown month "Foo" in date line "LGFoo 3, 2024"",
      ]
    `);
  });

  it('reads no title from a bad date line right after a date line: two bad blocks, two diagnostics', () => {
    const block = 'LGJun 3\n\nLGFoo 3, 2024\nA Paper With a Bad Date\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: date line "LGJun 3" has no title",
        "corpus: p.txt:21: unknown month "Foo" in date line "LGFoo 3, 2024"",
      ]
    `);
  });

  it('still reads a title shaped like a year-less date line ("MLPerf 2")', () => {
    const block = 'LGMay 9, 2023\nMLPerf 2\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual([GOOD_TITLES[0], 'MLPerf 2', GOOD_TITLES[1]]);
    expect(page.diagnostics).toEqual([]);
  });

  it('keeps a paper dated in the future, and says its year needs checking', () => {
    const block = 'LGDec 31, 2099\nA Paper From the Future\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual([GOOD_TITLES[0], 'A Paper From the Future', GOOD_TITLES[1]]);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: date "Dec 31, 2099" in date line "LGDec 31, 2099" is in the future; check its year",
      ]
    `);
  });

  it('reports a title that is empty once its LaTeX is read', () => {
    const block = 'LGMay 9, 2023\n\\emph{}\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: date line "LGMay 9, 2023" has no title",
      ]
    `);
  });

  it('reports a day the month does not have', () => {
    const block = 'LGFeb 30, 2024\nA Paper With a Bad Day\n\nSomeone Else\n\nAn abstract.\n';
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: no such date "Feb 30, 2024" in date line "LGFeb 30, 2024"",
      ]
    `);
  });

  it('reports a truncated last paper', () => {
    const page = parseProfilePage(smallWith({ after: '\nLGMay 9\nA Paper Cut Off Here\n' }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:27: last paper is truncated (no authors line)",
      ]
    `);
  });

  it('keeps a last paper cut off before its abstract, and says so', () => {
    const page = parseProfilePage(smallWith({ after: '\nLGMay 9, 2023\nA Paper Cut Off Later\n\nAda Example\n' }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual([...GOOD_TITLES, 'A Paper Cut Off Later']);
    expect(page.papers[2]?.abstract).toBe('');
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:27: last paper is truncated (no abstract)",
      ]
    `);
  });

  it('reads CRLF line endings and a BOM silently', () => {
    const lf = parseProfilePage(SMALL, 'p.txt', { asOf });
    const crlf = parseProfilePage(`\uFEFF${SMALL.replace(/\n/g, '\r\n')}`, 'p.txt', { asOf });
    expect(crlf.diagnostics).toEqual([]);
    expect(crlf.papers).toEqual(lf.papers);
    expect(crlf.profile).toEqual(lf.profile);
    const seedCrlf = parseProfilePage(`\uFEFF${SEED.replace(/\n/g, '\r\n')}`, SEED_FILE, { asOf });
    expect(seedCrlf.papers).toEqual(seed.papers);
  });

  it('skips binary junk with one diagnostic per run', () => {
    const junk = '\u0000\u0001PK\u0003\u0004\u0000\u0000\n\u0000\u00ff\u00fe\u0000garbage\n';
    const page = parseProfilePage(smallWith({ between: junk }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: binary data (NUL bytes) skipped",
      ]
    `);
  });

  it('reports an empty page as having no paper', () => {
    for (const text of ['', '\n\n  \n', '\uFEFF']) {
      const page = parseProfilePage(text, 'empty.txt', { asOf });
      expect(page.papers).toEqual([]);
      expect(page.profile).toBeNull();
      expect(page.diagnostics.map(formatDiagnostic)).toEqual(['corpus: empty.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as "LGJul 19, 2022" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file']);
    }
  });

  it('reports a header with no paper under it', () => {
    const header = SMALL.split('\nLGMar 3')[0] ?? '';
    const page = parseProfilePage(header, 'h.txt', { asOf });
    // No profile: an owner with 0 papers would show in /stats.
    expect(page.profile).toBeNull();
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: h.txt:1: page has no paper; skipped: a profile page lists each paper under a date line such as \"LGJul 19, 2022\" (see data/profiles/); for a list from Google Scholar, DBLP or Zotero, save its BibTeX export as a .bib file",
      ]
    `);
  });

  it('reports a paper with no authors line and stray text after an abstract', () => {
    const block = 'LGMay 9, 2023\nA Paper Without Authors\n';
    const stray = 'Show more\nLoad more papers\n';
    const missing = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(missing.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(missing.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: paper "A Paper Without Authors" has no authors line",
      ]
    `);
    const extra = parseProfilePage(smallWith({ between: stray }), 'p.txt', { asOf });
    expect(extra.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(extra.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:19: unexpected text after the abstract of "First Good Paper on Causal Slots" skipped",
      ]
    `);
  });

  it('rejects an abstract standing where the authors should be', () => {
    const block = `LGMay 9, 2023\nA Paper Whose Authors Went Missing\n\n${'This sentence is an abstract and far too long to be a name, surely, as anyone can see from the number of words it has in it. '.repeat(2)}\n`;
    const page = parseProfilePage(smallWith({ between: block }), 'p.txt', { asOf });
    expect(page.papers.map((p) => p.title)).toEqual(GOOD_TITLES);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: p.txt:22: authors line of "A Paper Whose Authors Went Missing" does not look like names: "This sentence is an abstract and far too long to be a name"",
      ]
    `);
  });

  it('takes the owner from the file name when the page has no header', () => {
    const body = SMALL.slice(SMALL.indexOf('LGMar 3'));
    const page = parseProfilePage(body, 'data/profiles/ada-example.txt', { asOf });
    expect(page.papers.map((p) => p.owners)).toEqual([['Ada Example'], ['Ada Example']]);
    expect(page.diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "corpus: data/profiles/ada-example.txt:1: page has no owner line; owner "Ada Example" taken from the file name",
      ]
    `);
  });
});

describe('the small fixture', () => {
  const page = parseProfilePage(SMALL, 'small.txt', { asOf: AS_OF });

  it('reads decimal novelty, comma counts and both papers', () => {
    expect(page.diagnostics).toEqual([]);
    expect(page.profile?.stats).toEqual({ hIndex: 12, papers: 40, citations: 1234, noveltyPercent: 61.5, aiScore: 70 });
    expect(page.papers).toHaveLength(2);
  });

  it('strips an unbalanced closing parenthesis and a full stop from the code URL', () => {
    expect(page.papers[0]?.codeUrl).toBe('https://github.com/example/slots');
  });

  it('reads affiliations, et al. and accents in the authors line', () => {
    expect(page.papers[0]).toMatchObject({ authors: ['Ada Example', 'Bo Ström'], authorsTruncated: true, affiliations: ['eth-zurich', 'mpi-is'] });
    expect(page.papers[1]).toMatchObject({ authors: ['Cé Müller', 'Ada Example'], authorsTruncated: false, affiliations: [] });
  });

  it('converts math and emphasis in the abstract', () => {
    expect(page.papers[1]?.abstract).toBe('We look at pictures with α ≤ 1 and *care*.');
  });
});

describe('helpers', () => {
  it('knows short, full and "Sept" month names, and nothing else', () => {
    expect(['Jan', 'Sep', 'Sept', 'September', 'Dec', 'Foo', 'Janu', 'Mayo'].map(monthNumber)).toEqual([1, 9, 9, 9, 12, null, null, null]);
  });

  it('finds the first http(s) URL and keeps balanced parentheses', () => {
    expect(firstUrl('see https://en.wikipedia.org/wiki/Foo_(bar). and http://x.org')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(firstUrl('(code: https://github.com/a/b);')).toBe('https://github.com/a/b');
    expect(firstUrl('ftp://x.org and no web link')).toBeNull();
    expect(firstUrl('a broken https://) link, then https://github.com/a/b.')).toBe('https://github.com/a/b');
  });
});

describe('any text', () => {
  const fragment = fc.oneof(
    fc.string(),
    fc.constantFrom('LGJun 3', 'LGFeb 29', 'CVFeb 30, 2023', 'XXFoo 1, 2020', 'MLMay 13Code', 'A Title', 'A, B et al. · x, y', '$x$', '\\emph{', '}', '\u0000', '\r\n', '\uFEFF', '·', 'et al.', 'h-index9', '5 Papers'),
  );
  const pageText = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('\n'));

  it('never makes the parser throw, and every paper it returns is valid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), pageText), fc.date({ noInvalidDate: true }), (text, asOf) => {
        const page = parseProfilePage(text, 'fuzz.txt', { asOf });
        for (const paper of page.papers) expect(PaperSchema.safeParse(paper).success).toBe(true);
        for (const d of page.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('header figures that cannot all be true', () => {
  const page = (header: string): string => `Ada Lovelace\n\nLG\n${header}\n\nLGMar 3, 2024\nA Title\n\nAda Lovelace\n\nAn abstract.\n`;
  const reasons = (header: string): string[] => parseProfilePage(page(header), 'a.txt', { asOf: new Date('2025-01-01T00:00:00Z') }).diagnostics.map((d) => `${d.line}: ${d.reason}`);

  it('warns once, at the h-index line, when the citations or papers are too few for the h-index', () => {
    expect(reasons('h-index10\n120papers\n99citations')).toEqual([
      '4: header figures cannot all be true: an h-index of 10 needs at least 100 citations (the page says 99); they are shown as printed',
    ]);
    expect(reasons('h-index10\n9papers\n100citations')).toEqual([
      '4: header figures cannot all be true: an h-index of 10 needs at least 10 papers (the page says 9); they are shown as printed',
    ]);
  });

  it('accepts figures that can be true, and a header without them', () => {
    expect(reasons('h-index10\n10papers\n100citations')).toEqual([]);
    expect(reasons('h-index0\n0papers\n0citations')).toEqual([]);
    expect(reasons('Novelty40%')).toEqual([]);
  });
});
