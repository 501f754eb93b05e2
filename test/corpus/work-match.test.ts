import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paperId } from '../../src/corpus/ids.js';
import { matchWork, mergeWorks } from '../../src/corpus/merge.js';
import type { Corpus, Paper } from '../../src/corpus/schema.js';

interface Spec {
  title: string;
  authors: string[];
  date: string;
  doi?: string;
  arxivId?: string;
  authorsTruncated?: boolean;
}

const PAIRS = JSON.parse(readFileSync(new URL('../fixtures/sources/match-pairs.json', import.meta.url), 'utf8')) as {
  pairs: Array<{ label: string; expect: 'same' | 'apart' | 'different'; a: Spec; b: Spec }>;
};

function paper(spec: Spec, file: string, extra: Partial<Paper> = {}): Paper {
  return {
    id: paperId(spec.title),
    title: spec.title,
    authors: spec.authors,
    authorsTruncated: spec.authorsTruncated ?? false,
    owners: [spec.authors[0] ?? 'Someone'],
    affiliations: [],
    categoryCode: 'LG',
    category: 'cs.LG',
    categoryLabel: 'Machine Learning',
    date: spec.date,
    hasCode: false,
    codeUrl: null,
    abstract: '',
    ...(spec.doi ? { doi: spec.doi } : {}),
    ...(spec.arxivId ? { arxivId: spec.arxivId } : {}),
    source: { file, line: 1 },
    ...extra,
  };
}

describe('matching a work to a paper, from the labelled pairs', () => {
  it.each(PAIRS.pairs.map((pair) => [pair.label, pair] as const))('%s', (_label, pair) => {
    const a = paper(pair.a, 'https://openalex.org/W1');
    const b = paper(pair.b, 'data/profiles/b.txt');
    expect(matchWork(a, b).verdict).toBe(pair.expect);
    // The rule does not depend on which side is the work.
    expect(matchWork(b, a).verdict).toBe(pair.expect);
  });

  it('has pairs of every verdict', () => {
    expect(new Set(PAIRS.pairs.map((p) => p.expect))).toEqual(new Set(['same', 'apart', 'different']));
  });
});

describe('mergeWorks', () => {
  const page = paper({ title: 'Scaling Object Discovery', authors: ['Francesco Locatello', 'Max Horn'], date: '2023-04-02', authorsTruncated: true }, 'data/profiles/francesco.txt', { owners: ['Francesco Locatello'] });
  const partOne = paper({ title: 'Kernel Methods Revisited, Part I', authors: ['Francesco Locatello'], date: '2021-01-01' }, 'data/profiles/francesco.txt', { owners: ['Francesco Locatello'] });
  const corpus: Corpus = { profiles: [], papers: [page, partOne], diagnostics: [] };
  const work = (spec: Spec, id: string, owner = 'Francesco Locatello'): Paper =>
    paper(spec, `https://openalex.org/${id}`, {
      owners: [owner],
      openalexId: id,
      categoryCode: 'none',
      category: 'none',
      categoryLabel: 'No category',
      citedBy: { count: 12, asOf: '2026-12-01', source: 'OpenAlex' },
      provenance: { title: 'openalex', authors: 'openalex', date: 'openalex', doi: 'openalex' },
    });

  it('merges a work matched by title only into the page paper, keeping its id and saying where each field came from', () => {
    const matched = work({ title: 'Scaling object discovery', authors: ['Max Horn', 'Ada Quill', 'Francesco Locatello'], date: '2023-04-02', doi: '10.1000/sod' }, 'W10');
    const { corpus: merged, outcomes } = mergeWorks(corpus, [matched]);
    expect(merged.papers).toHaveLength(2);
    const one = merged.papers.find((p) => p.id === page.id);
    expect(one).toMatchObject({ title: 'Scaling Object Discovery', authors: ['Max Horn', 'Ada Quill', 'Francesco Locatello'], authorsTruncated: false, doi: '10.1000/sod', openalexId: 'W10', citedBy: { count: 12 }, categoryCode: 'LG' });
    expect(one?.provenance).toMatchObject({ title: 'page', authors: 'openalex', doi: 'openalex', categoryCode: 'page' });
    expect(outcomes[0]?.mergedWith).toEqual({ id: page.id, title: page.title, origin: 'page', by: 'title' });
  });

  it('keeps a decoy (same title, other people, another year) and Part II apart, reporting the decoy', () => {
    const decoy = work({ title: 'Scaling Object Discovery', authors: ['Zed Other'], date: '2018-01-01' }, 'W11');
    const partTwo = work({ title: 'Kernel Methods Revisited, Part II', authors: ['Francesco Locatello'], date: '2021-01-01' }, 'W12');
    const { corpus: merged, outcomes } = mergeWorks(corpus, [decoy, partTwo]);
    expect(merged.papers).toHaveLength(4);
    const ids = merged.papers.map((p) => p.id);
    expect(new Set(ids).size).toBe(4);
    expect(outcomes.map((o) => o.mergedWith)).toEqual([null, null]);
    expect(outcomes[0]?.apart).toEqual([{ id: page.id, title: page.title, file: 'data/profiles/francesco.txt', reason: 'same title, but years 2018 and 2023, no author in common' }]);
    expect(outcomes[1]?.apart).toEqual([]);
  });

  it('makes one paper of one work fetched for two members, owned by both', () => {
    const spec = { title: 'A Joint Paper', authors: ['Ada Quill', 'Francesco Locatello'], date: '2025-01-01', doi: '10.1000/joint' };
    const { corpus: merged } = mergeWorks(corpus, [work(spec, 'W20', 'Ada Quill'), work(spec, 'W20', 'Francesco Locatello')]);
    const joint = merged.papers.filter((p) => p.title === 'A Joint Paper');
    expect(joint).toHaveLength(1);
    expect(joint[0]?.owners).toEqual(['Ada Quill', 'Francesco Locatello']);
  });

  it('leaves a corpus without works as it was', () => {
    expect(mergeWorks(corpus, []).corpus.papers).toEqual([page, partOne].sort((a, b) => (a.date < b.date ? 1 : -1)));
  });
});
