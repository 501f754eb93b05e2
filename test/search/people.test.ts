/** People, autocomplete, categories, lookupPaper, related and latest on the seed page. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus, Paper } from '../../src/corpus/schema.js';
import { LibraryHolder } from '../../src/live/watch.js';
import { newestFirst } from '../../src/corpus/merge.js';
import { PaperIndex } from '../../src/search/index.js';
import type { SearchFilters } from '../../src/search/types.js';
import { seedIndex } from './seed.js';

let corpus: Corpus;
let index: PaperIndex;
beforeAll(async () => {
  ({ corpus, index } = await seedIndex());
});

const byTitle = (title: string): Paper => {
  const paper = corpus.papers.find((candidate) => candidate.title === title);
  if (paper === undefined) throw new Error(`test: no paper "${title}" in the seed`);
  return paper;
};
const titlesOf = (papers: readonly Paper[]): string[] => papers.map((paper) => paper.title);
const listed = (limit: number, filters: SearchFilters = {}): Paper[] => index.search('', { ...filters, limit }).hits.map((hit) => hit.paper);
const isNewestFirst = (papers: readonly Paper[]): boolean => papers.every((paper, i) => i === 0 || (papers[i - 1]?.date ?? '') >= paper.date);

describe('people', () => {
  it('suggests people by a prefix of any name part, accents aside', () => {
    expect(index.people.suggest('lowe', 25)).toEqual([{ name: 'Sindy Löwe', value: 'sindy lowe' }]);
    expect(index.people.suggest('loewe', 25)).toEqual(index.people.suggest('lowe', 25));
    expect(index.people.suggest('kleind', 25)).toEqual([{ name: 'Matthäus Kleindessner', value: 'matthaus kleindessner' }]);
    expect(index.people.suggest('matt klein', 25).map((s) => s.name)).toEqual(['Matthäus Kleindessner']);
    expect(index.people.suggest('franc', 25).map((s) => s.name)).toEqual(['Francesco Locatello', 'Francesco Montagna']);
  });

  it('suggests the most prolific people for an empty input, at most 25', () => {
    const suggestions = index.people.suggest('', 25);
    expect(suggestions).toHaveLength(25);
    expect(suggestions.slice(0, 3).map((s) => s.name)).toEqual(['Francesco Locatello', 'Francesco Montagna', 'Dingling Yao']);
    expect(index.people.suggest('', 2)).toHaveLength(2);
  });

  it('resolves a key, any spelling, or a prefix that fits one person only', () => {
    expect(index.people.resolve('matthaus kleindessner')?.name).toBe('Matthäus Kleindessner');
    expect(index.people.resolve('Matthaeus Kleindessner')).toEqual({ key: 'matthaus kleindessner', name: 'Matthäus Kleindessner', paperCount: 3 });
    expect(index.people.resolve('kleind')?.key).toBe('matthaus kleindessner');
    expect(index.people.resolve('francesco')).toBeNull();
    expect(index.people.resolve('nobody atall')).toBeNull();
    expect(index.people.resolve('')).toBeNull();
  });

  it('forgives typos in a name as a search does: a unique close spelling resolves, close spellings are suggested', () => {
    expect(index.people.resolve('Locatelo')?.name).toBe('Francesco Locatello');
    expect(index.people.resolve('francesco montagan')?.name).toBe('Francesco Montagna');
    expect(index.people.suggest('kleindesner', 25).map((s) => s.name)).toEqual(['Matthäus Kleindessner']);
    // Short words are not forgiven (as in a search: none below 5 letters), nor a spelling far off.
    expect(index.people.suggest('yoa', 25)).toEqual([]);
    expect(index.people.resolve('Lcotaelo')).toBeNull();
  });

  it('tells a name several people fit (ambiguous) from a name that fits nobody (close spellings)', () => {
    const names = (match: { people: Array<{ name: string }> }): string[] => match.people.map((person) => person.name);
    const francesco = index.people.match('Francesco', 5);
    expect({ names: names(francesco), exact: francesco.exact }).toEqual({ names: ['Francesco Locatello', 'Francesco Montagna'], exact: true });
    expect(index.people.resolve('Francesco')).toBeNull();
    const francesca = index.people.match('Francesca', 5);
    expect({ names: names(francesca), exact: francesca.exact }).toEqual({ names: ['Francesco Locatello', 'Francesco Montagna'], exact: false });
    expect(index.people.match('Locatello', 5)).toEqual({ people: [index.people.resolve('francesco locatello')], exact: true });
  });

  it('gives the page owner every paper of the page, newest first', () => {
    const papers = index.people.papersOf('francesco locatello');
    expect(papers).toHaveLength(50);
    expect(isNewestFirst(papers)).toBe(true);
    expect(index.people.resolve('Francesco Locatello')?.paperCount).toBe(50);
  });

  it('finds all papers of a person under either spelling', () => {
    const expected = [
      'Unsupervised Semantic Segmentation with Self-supervised Object-centric Representations',
      'Are Two Heads the Same as One? Identifying Disparate Treatment in Fair Neural Networks',
      'Score matching enables causal discovery of nonlinear additive noise models',
    ];
    expect(titlesOf(index.people.papersOf('matthaus kleindessner'))).toEqual(expected);
    expect(titlesOf(index.people.papersOf('Matthaeus Kleindessner'))).toEqual(expected);
    expect(index.people.papersOf('nobody atall')).toEqual([]);
  });

  it('ranks coauthors by shared papers, ties by name', () => {
    const coauthors = index.people.coauthorsOf('francesco locatello', 5).map(({ person, shared }) => [person.name, shared]);
    expect(coauthors).toEqual([
      ['Francesco Montagna', 8],
      ['Dingling Yao', 6],
      ['Marco Fumero', 5],
      ['Adeel Pervez', 3],
      ['Dario Rancati', 3],
    ]);
    expect(index.people.coauthorsOf('sindy lowe').map(({ person }) => person.name)).toEqual(['Francesco Locatello', 'Phillip Lippe']);
  });

  it('lists the papers two people share, newest first', () => {
    expect(titlesOf(index.people.sharedPapers('francesco montagna', 'Nicoletta Noceti'))).toEqual([
      'Shortcuts for causal discovery of nonlinear models by score matching',
      'Causal Discovery with Score Matching on Additive Models with Arbitrary Noise',
      'Scalable Causal Discovery with Score Matching',
    ]);
    expect(index.people.sharedPapers('sindy lowe', 'matthaus kleindessner')).toEqual([]);
  });
});

describe('title and category suggestions', () => {
  it('suggests the newest titles for an empty input', () => {
    const suggestions = index.suggestTitles('', 25);
    expect(suggestions).toHaveLength(25);
    expect(suggestions.map((s) => s.value)).toEqual([...corpus.papers].sort(newestFirst).slice(0, 25).map((paper) => paper.id));
  });

  it('puts titles that start with the input before titles that contain its words', () => {
    const names = index.suggestTitles('score match', 25).map((s) => s.name);
    expect(names.slice(0, 2)).toEqual([
      'Score matching through the roof: linear, nonlinear, and latent variables causal discovery',
      'Score matching enables causal discovery of nonlinear additive noise models',
    ]);
    expect(names).toContain('Shortcuts for causal discovery of nonlinear models by score matching');
  });

  it('matches any title word prefix, joined hyphenated words and acronyms', () => {
    expect(index.suggestTitles('bridging the', 25).map((s) => s.name)).toEqual(['Bridging the Gap to Real-World Object-Centric Learning']);
    const bridging = index.lookupPaper('Bridging the Gap to Real-World Object-Centric Learning').paper;
    expect(index.suggestTitles(` ${bridging?.id.toUpperCase()} `, 25)).toEqual([{ name: bridging?.title, value: bridging?.id }]);
    expect(index.suggestTitles('tcb', 25).map((s) => s.name)).toEqual(['The Perception-Physics Paradox: Probing Scientific Alignment with TC-Bench']);
    expect(index.suggestTitles('asif', 25)[0]?.name).toBe('ASIF: Coupled Data Turns Unimodal Models to Multimodal Without Training');
    expect(index.suggestTitles('dinosaur', 25).map((s) => s.name)).toEqual(['Bridging the Gap to Real-World Object-Centric Learning']);
    expect(index.suggestTitles('nogam', 25).map((s) => s.name)).toEqual(['Causal Discovery with Score Matching on Additive Models with Arbitrary Noise']);
  });

  it('gives paper ids as values and names within Discord limits', () => {
    for (const suggestion of index.suggestTitles('l', 25)) {
      expect(index.get(suggestion.value)?.title.startsWith(suggestion.name.replace(/…$/, ''))).toBe(true);
      expect(suggestion.name.length).toBeLessThanOrEqual(100);
    }
  });

  it('suggests categories by code, arXiv name or label word, most papers first', () => {
    expect(index.categories.suggest('', 25).map((s) => s.value)).toEqual(['LG', 'CV', 'ME', 'ML', 'OC', 'QM']);
    expect(index.categories.suggest('stat', 25).map((s) => s.value)).toEqual(['ME', 'ML']);
    expect(index.categories.suggest('vision', 25)).toEqual([{ name: 'Computer Vision and Pattern Recognition (cs.CV)', value: 'CV' }]);
  });

  it('resolves a category by code, arXiv name or label in any case', () => {
    expect(index.categories.resolve('lg')?.arxiv).toBe('cs.LG');
    expect(index.categories.resolve('CS.LG')?.code).toBe('LG');
    expect(index.categories.resolve('methodology')?.code).toBe('ME');
    expect(index.categories.resolve('hep-th')).toBeNull();
    expect(index.categories.all().map(({ category, count }) => [category.code, count])).toEqual([
      ['LG', 34],
      ['CV', 9],
      ['ME', 3],
      ['ML', 2],
      ['OC', 1],
      ['QM', 1],
    ]);
  });
});

describe('lookupPaper, didYouMean, related, latest', () => {
  const BRIDGING = 'Bridging the Gap to Real-World Object-Centric Learning';

  it('finds a paper by id, by exact title in any case, or by words about it', () => {
    const bridging = byTitle(BRIDGING);
    expect(index.lookupPaper(bridging.id).paper).toBe(bridging);
    expect(index.lookupPaper('  bridging the gap to real world object centric learning ').paper).toBe(bridging);
    expect(index.lookupPaper('DINOSAUR').paper).toBe(bridging);
    expect(index.lookupPaper('nogam').paper?.title).toBe('Causal Discovery with Score Matching on Additive Models with Arbitrary Noise');
  });

  it('finds nothing for blank or unknown words', () => {
    expect(index.lookupPaper('').paper).toBeNull();
    expect(index.lookupPaper('   ').paper).toBeNull();
    expect(index.lookupPaper('qwxzv plokij').paper).toBeNull();
  });

  it('offers close titles for a badly mistyped query', () => {
    const titles = titlesOf(index.didYouMean('unsupervized semantik segmentaton'));
    expect(titles[0]).toBe('Unsupervised Semantic Segmentation with Self-supervised Object-centric Representations');
    expect(titles.length).toBeLessThanOrEqual(3);
    expect(index.didYouMean('')).toEqual([]);
  });

  it('relates a paper to others on its topic, never to itself', () => {
    const bridging = byTitle(BRIDGING);
    const related = index.related(bridging.id);
    expect(related).toHaveLength(5);
    expect(related).not.toContain(bridging);
    expect(related[0]?.title).toBe('Unsupervised Semantic Segmentation with Self-supervised Object-centric Representations');
    expect(index.related('nosuchid')).toEqual([]);
  });

  it('lists the newest papers for a search without words, with filters, ties in a stable order', () => {
    const latest = listed(50);
    expect(latest).toHaveLength(50);
    expect(isNewestFirst(latest)).toBe(true);
    const sameDay = latest.filter((paper) => paper.date === '2026-02-23').map((paper) => paper.title);
    expect(sameDay).toEqual([
      'A Theory of How Pretraining Shapes Inductive Bias in Fine-Tuning',
      'Addressing Instrument-Outcome Confounding in Mendelian Randomization through Representation Learning',
    ]);
    expect(titlesOf(listed(2, { category: 'cs.cv', yearTo: 2022 }))).toEqual([
      'Self-supervised Amodal Video Object Segmentation',
      'Bridging the Gap to Real-World Object-Centric Learning',
    ]);
  });

  it('serves readers from the old index or the new one when the library is swapped', () => {
    const library = { corpus, index, loadedAt: new Date(0) };
    const holder = new LibraryHolder(library);
    const reader = holder.current;
    const smaller = PaperIndex.build({ ...corpus, papers: corpus.papers.slice(0, 10) });
    holder.swap({ corpus, index: smaller, loadedAt: new Date(1) });
    expect(reader.index.size).toBe(50);
    expect(holder.current.index.size).toBe(10);
    expect(index.search('DINOSAUR').total).toBe(1);
  });
});
