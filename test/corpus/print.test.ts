import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryFor } from '../../src/corpus/categories.js';
import { paperId } from '../../src/corpus/ids.js';
import { parseProfilePage } from '../../src/corpus/parse.js';
import { chatToLatex, printPaperBlock, printProfilePage } from '../../src/corpus/print.js';
import type { Paper } from '../../src/corpus/schema.js';
import { SEED_HEADER_REASON } from './seed-header.js';

const AS_OF = new Date('2026-11-27T00:00:00Z');
const OWNER = 'Ada Example';

const withoutSource = (papers: readonly Paper[]) => papers.map(({ source: _source, ...rest }) => rest);

const word = fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿ][a-zà-öø-ÿ]{0,9}$/);
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')).filter((n) => !/\bet al$/i.test(n));
const affiliation = fc.array(fc.stringMatching(/^[a-z]{2,8}$/), { minLength: 1, maxLength: 2 }).map((w) => w.join('-'));
const styledWord = fc.oneof(word, word, word, word.map((w) => `*${w}*`), word.map((w) => `**${w}**`));
const sentence = fc
  .tuple(fc.array(styledWord, { minLength: 1, maxLength: 12 }), fc.constantFrom('.', '!', '?', ';', ':', ','))
  .map(([words, end]) => words.join(' ') + end);
const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: AS_OF, noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/** A paper as the parser would produce it from a page owned by `OWNER` (plain text, optional code URL). */
const paper: fc.Arbitrary<Paper> = fc
  .record({
    title: fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(' ')),
    authors: fc.array(name, { minLength: 1, maxLength: 6 }),
    authorsTruncated: fc.boolean(),
    affiliations: fc.uniqueArray(affiliation, { maxLength: 3 }),
    categoryCode: fc.oneof(fc.constantFrom('LG', 'CV', 'ML', 'ME', 'QM', 'OC'), fc.stringMatching(/^[A-Z]{2,4}$/)),
    date: isoDate,
    hasCode: fc.boolean(),
    sentences: fc.array(sentence, { minLength: 1, maxLength: 4 }),
    repo: fc.option(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[A-Za-z]{1,8}$/)), { nil: null }),
  })
  .map(({ sentences, repo, ...fields }) => {
    const codeUrl = repo ? `https://github.com/${repo[0]}/${repo[1]}` : null;
    const abstract = sentences.join(' ') + (codeUrl ? ` Code is at ${codeUrl}.` : '');
    const category = categoryFor(fields.categoryCode);
    return {
      ...fields,
      id: paperId(fields.title),
      owners: [OWNER],
      category: category.arxiv,
      categoryLabel: category.label,
      codeUrl,
      abstract,
      source: { file: 'generated.txt', line: 1 },
    };
  });

describe('printPaperBlock', () => {
  it('prints a paper in the page format', () => {
    const block = printPaperBlock({
      id: paperId('A Title'),
      title: 'A Title',
      authors: ['Ada Example', 'Bo Ström'],
      authorsTruncated: true,
      owners: [OWNER],
      affiliations: ['eth-zurich', 'mpi-is'],
      categoryCode: 'LG',
      category: 'cs.LG',
      categoryLabel: 'Machine Learning',
      date: '2025-04-01',
      hasCode: true,
      codeUrl: null,
      abstract: 'An *important* result.',
      source: { file: 'x.txt', line: 1 },
    });
    expect(block).toBe('LGApr 1, 2025Code\nA Title\n\nAda Example, Bo Ström et al. · eth-zurich, mpi-is\n\nAn \\emph{important} result.');
  });

  it('parses back to the same papers (print → parse round trip)', () => {
    fc.assert(
      fc.property(fc.array(paper, { minLength: 1, maxLength: 5 }), (papers) => {
        const page = parseProfilePage(printProfilePage({ owner: OWNER }, papers), 'generated.txt', { asOf: AS_OF });
        expect(page.diagnostics).toEqual([]);
        // A page's paper is a preprint (a category and no venue), whatever it was before it was printed.
        expect(withoutSource(page.papers)).toEqual(withoutSource(papers.map((p) => ({ ...p, type: 'preprint' as const }))));
      }),
      { numRuns: 200 },
    );
  });
});

describe('printProfilePage', () => {
  it('prints the seed back so that it parses to the same profile and papers', () => {
    const seed = parseProfilePage(readFileSync('data/profiles/francesco-locatello.txt', 'utf8'), 'seed.txt', { asOf: AS_OF });
    if (!seed.profile) throw new Error('the seed has a profile');
    const again = parseProfilePage(printProfilePage(seed.profile, seed.papers), 'seed.txt', { asOf: AS_OF });
    expect(again.diagnostics.map((d) => d.reason)).toEqual([SEED_HEADER_REASON]);
    expect(again.profile).toEqual(seed.profile);
    expect(withoutSource(again.papers)).toEqual(withoutSource(seed.papers));
  });
});

describe('chatToLatex', () => {
  it('turns markdown emphasis back into LaTeX and keeps escapes', () => {
    expect(chatToLatex('*a* **b** ***c*** \\*d\\*')).toBe('\\emph{a} \\textbf{b} \\textbf{\\emph{c}} \\*d\\*');
    expect(chatToLatex('*a **b***')).toBe('\\emph{a \\textbf{b}}');
  });
});
