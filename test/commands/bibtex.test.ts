/**
 * The commands over a corpus of the seed page plus BibTeX files (the real handlers and a real index built from the
 * fixtures): a merged paper is cited with its full author list and its arXiv id, and its link is the same
 * everywhere it is shown.
 */
import { readFileSync } from 'node:fs';
import type { APIButtonComponentWithURL } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import cite from '../../commands/cite.js';
import paper from '../../commands/paper.js';
import search from '../../commands/search.js';
import { paperId } from '../../src/corpus/ids.js';
import type { Paper } from '../../src/corpus/schema.js';
import type { CommandContext, Reply } from '../../src/discord/command.js';
import type { Library } from '../../src/search/library.js';
import { contextOf, onlyEmbed, run, testLibrary } from './context.js';

const DBLP = 'test/fixtures/bib/francesco-locatello.bib';
const DINOSAUR = 'Bridging the Gap to Real-World Object-Centric Learning';

let library: Library;
let ctx: CommandContext;

beforeAll(async () => {
  library = await testLibrary([
    'data/profiles/francesco-locatello.txt',
    DBLP,
    'test/fixtures/bib/zotero-bo.bib',
    'test/fixtures/bib/ada-quill.bib',
    'test/fixtures/pages/colleague.txt',
  ]);
  ctx = contextOf(library);
});

function paperTitled(title: string): Paper {
  const found = library.corpus.papers.find((p) => p.id === paperId(title));
  if (!found) throw new Error(`no paper titled ${title}`);
  return found;
}

/** ASCII letters and hyphens only: TeX (`Sch{\\"{o}}lkopf`) and Unicode (`Schölkopf`) spellings compare equal. */
const fold = (name: string): string => name.normalize('NFKD').replace(/[^A-Za-z-]/g, '');

/** The family names of the first DBLP entry with this title, read from the fixture's raw text, folded. */
function dblpFamilyNames(title: string): string[] {
  const text = readFileSync(DBLP, 'utf8');
  const before = text.slice(0, text.indexOf(`title        = {${title}}`));
  const field = before.slice(before.lastIndexOf('author       = {') + 'author       = {'.length).replace(/\},\s*$/, '');
  return field.split(/\s+and\s+/).map((name) => fold(name.trim().split(/\s+/).at(-1) ?? ''));
}

function linkButtons(reply: Reply): APIButtonComponentWithURL[] {
  return (reply.components ?? []).flatMap((row) => row.components.filter((c): c is APIButtonComponentWithURL => c.type === 2 && 'url' in c));
}

describe('/cite of a paper merged from a page and a .bib file', () => {
  it('gives BibTeX with every author, the arXiv id and the DOI, linked to the arXiv page', async () => {
    const reply = await run(cite, ctx, { paper: paperTitled(DINOSAUR).id });
    const content = reply.content ?? '';
    const author = /author = \{(.*)\},/.exec(content)?.[1] ?? '';
    const families = author.split(' and ').map((name) => fold(name.split(',')[0] ?? ''));
    expect(families).toEqual(dblpFamilyNames(DINOSAUR));
    expect(author).not.toContain('others');
    expect(content).toContain('  eprint = {2209.14860},\n  archivePrefix = {arXiv},\n  doi = {10.48550/ARXIV.2209.14860},');
    expect(content).toContain('url = {https://arxiv.org/abs/2209.14860}');
    // A conference paper is an @inproceedings, its proceedings the booktitle (it was a @misc with howpublished).
    expect(content).toMatch(/^```bibtex\n@inproceedings\{/);
    expect(content).toContain('booktitle = {The Eleventh International Conference on Learning Representations, ICLR 2023,');
    expect(content).not.toContain('howpublished');
  });

  it('gives APA with the full author list, no "et al.", the proceedings and the DOI', async () => {
    const reply = await run(cite, ctx, { paper: paperTitled(DINOSAUR).id, format: 'apa' });
    const content = reply.content ?? '';
    expect(content).not.toContain('et al.');
    const cited = [...content.matchAll(/(?:^|, (?:& )?)([^,]+), (?:[A.-Z]\.[ -]?)+/g)].map((m) => fold(m[1] ?? ''));
    expect(cited).toEqual(dblpFamilyNames(DINOSAUR));
    // APA's conference paper gives the full date, and the DOI where there is one (arXiv's, here).
    expect(content).toMatch(/, & Locatello, F\. \(2022, September 29\)\./);
    expect(content).toContain('. The Eleventh International Conference on Learning Representations, ICLR 2023');
    expect(content).not.toContain('[Preprint]');
    expect(content).toContain('https://doi.org/10.48550/ARXIV.2209.14860');
    expect(content).not.toContain('arxiv.org/search');
  });

  it('cites in every style with the same link the embed shows', async () => {
    const target = paperTitled('First Good Paper on Causal Slots');
    const embed = onlyEmbed(await run(paper, ctx, { query: target.id }));
    expect(embed.url).toBe('https://doi.org/10.5555/example.2024.001');
    for (const format of ['bibtex', 'apa', 'mla', 'chicago', 'ieee']) {
      const content = (await run(cite, ctx, { paper: target.id, format })).content ?? '';
      // IEEE writes the DOI as "doi: 10.…" (IEEE Reference Guide), the others as a link.
      expect(content, format).toContain(format === 'ieee' ? 'doi: 10.5555/example.2024.001' : 'https://doi.org/10.5555/example.2024.001');
    }
  });
});

describe('/paper of a paper with an arXiv id', () => {
  it('links the title, a button and the list entries to the arXiv page, and shows the venue', async () => {
    const target = paperTitled(DINOSAUR);
    const reply = await run(paper, ctx, { query: target.id });
    const embed = onlyEmbed(reply);
    expect(embed.url).toBe('https://arxiv.org/abs/2209.14860');
    expect(linkButtons(reply).map((b) => [b.label, b.url])).toEqual([['arXiv', 'https://arxiv.org/abs/2209.14860']]);
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Authors']).not.toContain('et al.');
    expect(fields['Venue']).toMatch(/^The Eleventh International Conference on Learning Representations, ICLR 2023/);
    const listed = onlyEmbed(await run(search, ctx, { query: 'real-world object-centric' })).description ?? '';
    expect(listed).toContain(`Object-Centric Learning](https://arxiv.org/abs/2209.14860)`);
  });

  it('shows no category for a paper whose entry and owner give none, and a paper only in a .bib file is found', async () => {
    const sparse = paperTitled('Sparse Slot Models for Causal Discovery');
    const embed = onlyEmbed(await run(paper, ctx, { query: 'sparse slot models' }));
    expect(embed.title).toBe(sparse.title);
    expect((embed.fields ?? []).map((f) => f.name)).toEqual(['Authors', 'Published', 'Links']);
    expect(Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]))).toEqual({
      Authors: 'Ada Quill, Ada Example, Cé Müller, Dan Park, Thi Minh Nguyen et al.',
      Published: '2024',
      Links: '[arXiv:2403.01234](https://arxiv.org/abs/2403.01234) · [PDF](https://arxiv.org/pdf/2403.01234)',
    });
    expect(embed.url).toBe('https://arxiv.org/abs/2403.01234');
  });

  it('shows a year-only date as the year, and gives a paper with no arXiv id or DOI no page button', async () => {
    const slots = paperTitled('Object-Centric Learning with Slot Attention');
    const reply = await run(paper, ctx, { query: slots.id });
    const fields = Object.fromEntries((onlyEmbed(reply).fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Published']).toBe('2020');
    // Its DBLP entry's own URL (the proceedings page) is its link.
    expect(onlyEmbed(reply).url).toBe('https://proceedings.neurips.cc/paper/2020/hash/8511df98c02ab60aea1b2356c013bc0f-Abstract.html');
    expect(linkButtons(reply).map((b) => b.label)).toEqual(['Paper']);
  });
});
