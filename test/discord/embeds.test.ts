import { describe, expect, it } from 'vitest';
import { PaperSchema, type Paper } from '../../src/corpus/schema.js';
import { corpusMarkdown, paperEmbed } from '../../src/discord/embeds.js';

const paper: Paper = PaperSchema.parse({
  id: 'abc123defg',
  title: 'A Paper With a Disguised Link',
  authors: ['Ada Example'],
  authorsTruncated: false,
  owners: ['Ada Example'],
  affiliations: [],
  categoryCode: 'LG',
  category: 'cs.LG',
  categoryLabel: 'Machine Learning',
  date: '2024-01-05',
  hasCode: true,
  codeUrl: 'https://github.com/example/x',
  abstract: 'We study *slots*. See [the docs](https://evil.example) and @everyone. Code: https://github.com/example/x.',
  source: { file: 'data/profiles/ada.txt', line: 12 },
});

describe('paperEmbed', () => {
  it('says where an abstract is missing: not on the page, or not given in the BibTeX entry', () => {
    expect(paperEmbed({ ...paper, abstract: '' }).description).toBe('*No abstract on the page.*');
    expect(paperEmbed({ ...paper, abstract: ' ', source: { file: 'data/profiles/ada.bib', line: 3 } }).description).toBe('*No abstract given.*');
  });

  it('keeps an abstract’s emphasis and plain URLs but no masked link or mention', () => {
    expect(paperEmbed(paper).description).toMatchInlineSnapshot(`"We study *slots*. See \\[the docs\\](https://evil.example) and @​everyone. Code: https://github.com/example/x."`);
  });
});

describe('paperEmbed of a paper from the sources', () => {
  it('shows the venue, the arXiv abstract page and PDF, the DOI and the citation count with its source and day', () => {
    const sourced = PaperSchema.parse({ ...paper, venue: 'Journal of Slots', arxivId: '2401.01234', doi: '10.1000/slots.1', citedBy: { count: 1234, asOf: '2026-12-07', source: 'OpenAlex' } });
    const fields = Object.fromEntries((paperEmbed(sourced).fields ?? []).map((field) => [field.name, field.value]));
    expect(fields['Venue']).toBe('Journal of Slots');
    expect(fields['Links']).toBe('[arXiv:2401.01234](https://arxiv.org/abs/2401.01234) · [PDF](https://arxiv.org/pdf/2401.01234) · [DOI](https://doi.org/10.1000/slots.1)');
    expect(fields['Cited by']).toBe('1,234 (OpenAlex, Dec 7, 2026)');
  });

  it('has no Links or Cited by field for a page paper without ids', () => {
    const names = (paperEmbed(paper).fields ?? []).map((field) => field.name);
    expect(names).not.toContain('Links');
    expect(names).not.toContain('Cited by');
  });
});

describe('corpusMarkdown', () => {
  it('escapes every bracket, so no masked link can form', () => {
    const shown = corpusMarkdown('[a](https://x.example) [[b]](https://y.example)');
    expect(shown).not.toMatch(/(?<!\\)\[/);
    expect(shown).not.toMatch(/(?<!\\)\]/);
  });
});
