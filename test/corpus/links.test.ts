import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { paperButtonsRow } from '../../src/discord/components.js';
import { paperEmbed, paperLink } from '../../src/discord/embeds.js';
import { arxivTitleSearchUrl, findArxivId, findDoi, linkFor, safeLinkUrl } from '../../src/corpus/links.js';
import { formatCitation, CITATION_STYLES, shippedStyles } from '../../src/cite/index.js';
import { paperId } from '../../src/corpus/ids.js';
import type { Paper } from '../../src/corpus/schema.js';

// citeproc compiles a big style (Chicago's) in seconds: once per file, before the tests that cite.
beforeAll(async () => expect(await shippedStyles().warm()).toEqual([]), 120_000);

const BASE: Paper = {
  id: paperId('A Title (With Parentheses)'),
  title: 'A Title (With Parentheses)',
  authors: ['Ada Quill'],
  authorsTruncated: false,
  owners: ['Ada Quill'],
  affiliations: [],
  categoryCode: 'LG',
  category: 'cs.LG',
  categoryLabel: 'Machine Learning',
  date: '2024-01-01',
  hasCode: false,
  codeUrl: null,
  abstract: '',
  source: { file: 'a.bib', line: 1 },
};

/** Characters a link may hold so that it is safe in a markdown link and a BibTeX field. */
const SAFE_LINK = /^https?:\/\/[A-Za-z0-9\-._~:/?=&+%;@!$*,]+$/;

describe('linkFor', () => {
  it('prefers the arXiv page, then the DOI, then the entry\'s URL, then an arXiv title search', () => {
    const all = { ...BASE, arxivId: '2209.14860', doi: '10.1000/xyz', url: 'https://example.org/p' };
    expect(linkFor(all)).toEqual({ kind: 'arxiv', url: 'https://arxiv.org/abs/2209.14860', label: 'arXiv' });
    expect(linkFor({ ...all, arxivId: undefined })).toEqual({ kind: 'doi', url: 'https://doi.org/10.1000/xyz', label: 'DOI' });
    expect(linkFor({ ...all, arxivId: undefined, doi: undefined })).toEqual({ kind: 'url', url: 'https://example.org/p', label: 'Paper' });
    expect(linkFor(BASE)).toEqual({
      kind: 'search',
      url: 'https://arxiv.org/search/?query=A+Title+With+Parentheses&searchtype=title',
      label: 'arXiv search',
    });
  });

  it('encodes what a DOI or title holds that could break a markdown link or a BibTeX field', () => {
    const sici = '10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0';
    expect(linkFor({ ...BASE, doi: sici }).url).toBe('https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949:8%3C693::AID-ASI4%3E3.0.CO;2-0');
    expect(arxivTitleSearchUrl('Kügelgen: 学习 \uD800 {x}')).toBe('https://arxiv.org/search/?query=Kugelgen+%E5%AD%A6%E4%B9%A0+x&searchtype=title');
    expect(safeLinkUrl("https://example.org/a b'(c){d}")).toBe('https://example.org/a%20b%27%28c%29%7Bd%7D');
  });

  it('never gives anything but a safe http(s) link, whatever the paper holds, and the embed, buttons and citations agree', async () => {
    const hostile = fc.oneof(
      fc.constantFrom('javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'https://ex.org/)](javascript:x)', ' https://ok.example/ ', 'http://a'),
      fc.webUrl(),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(hostile, { nil: undefined }), fc.option(hostile, { nil: undefined }), fc.option(hostile, { nil: undefined }), fc.string({ minLength: 1 }), async (url, doi, arxivId, title) => {
        // Past the schema on purpose: the link must be safe even for a paper that was never checked.
        const paper = { ...BASE, title, url, doi, arxivId } as Paper;
        const link = linkFor(paper);
        expect(link.url).toMatch(SAFE_LINK);
        expect(paperEmbed(paper).url).toBe(link.url);
        expect(paperLink(paper).endsWith(`](${link.url})`)).toBe(true);
        for (const button of paperButtonsRow(paper).components) if ('url' in button) expect(button.url).toMatch(SAFE_LINK);
        for (const style of CITATION_STYLES) expect(await formatCitation(paper, style)).toContain(style === 'mla' ? link.url.replace(/^https?:\/\//, '') : link.url);
      }),
      { numRuns: 300 },
    );
    // 2,100 citations through citeproc: seconds on a shared machine.
  }, 120_000);
});

describe('findArxivId and findDoi', () => {
  it('read the spellings exports use', () => {
    const ids = ['2006.15055', 'arXiv:2006.15055v2', 'arXiv preprint arXiv:2006.15055', 'abs/2006.15055', 'http://arxiv.org/abs/2006.15055', 'https://arxiv.org/pdf/2006.15055.pdf', '10.48550/arXiv.2006.15055', 'arXiv:hep-th/9901001'];
    expect(ids.map(findArxivId)).toEqual(['2006.15055', '2006.15055v2', '2006.15055', '2006.15055', '2006.15055', '2006.15055', '2006.15055', 'hep-th/9901001']);
    expect(['Journal of Machine Learning Research', '2020', '1234.5', 'arXiv preprint'].map(findArxivId)).toEqual([null, null, null, null]);
    expect(['10.1000/xyz', 'https://doi.org/10.1000/xyz', 'doi:10.1000/xyz.', 'https://doi.org/10.1000%2Fabc', 'not a doi', '10.1000/{x}'].map(findDoi)).toEqual([
      '10.1000/xyz',
      '10.1000/xyz',
      '10.1000/xyz',
      '10.1000/abc',
      null,
      null,
    ]);
  });
});
