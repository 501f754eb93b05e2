/**
 * Recall and people keys: word forms (plurals, -ing, -ed) found both ways with exact forms first, names never
 * stemmed, umlauts under both foldings without joining names that differ by an "e", snippets bolding the words
 * that matched; on the seed page and on small pages written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpusFromFiles } from '../../src/corpus/load.js';
import type { Paper } from '../../src/corpus/schema.js';
import { snippet } from '../../src/discord/embeds.js';
import { PaperIndex } from '../../src/search/index.js';
import { AS_OF, seedIndex } from './seed.js';

let seed: PaperIndex;
beforeAll(async () => {
  ({ index: seed } = await seedIndex());
});

/** A page of papers, each given as [title, authors line, abstract], dated a day apart (first is newest). */
function page(owner: string, papers: ReadonlyArray<readonly [title: string, authors: string, abstract: string]>): string {
  const header = [owner, '', 'LG', 'h-index1', `${papers.length}papers`, '1citations', 'Novelty50%', 'AI Score50', '', `${papers.length} Papers`, ''];
  const blocks = papers.map(([title, authors, abstract], i) => [`LGJan ${28 - i}, 2024`, title, '', authors, '', abstract, ''].join('\n'));
  return [...header, ...blocks].join('\n');
}

function build(owner: string, papers: ReadonlyArray<readonly [string, string, string]>): PaperIndex {
  return PaperIndex.build(loadCorpusFromFiles([{ file: 'test.txt', text: page(owner, papers) }], { asOf: AS_OF }));
}

const titles = (index: PaperIndex, query: string): string[] => index.search(query, { limit: 100 }).hits.map((hit) => hit.paper.title);

describe('word forms', () => {
  it('finds plurals and -ing forms of a known word that is not the last one typed', () => {
    // "slot" is not the last word, so not a prefix: the paper printing only "Slots" is found by the word form.
    const divided = seed.search('slot attention', { limit: 100 }).hits.find((hit) => hit.paper.title.startsWith('Divided Attention'));
    expect(divided?.terms).toEqual(expect.arrayContaining(['attention', 'slots']));
    expect(titles(seed, 'forecasting')).toEqual(['Controlling Transient Amplification Improves Long-horizon Rollouts']);
    expect(seed.lookupPaper('forecasting transient amplification').paper?.title).toBe(
      'Controlling Transient Amplification Improves Long-horizon Rollouts',
    );
  });

  it('scores the exact form above another word form, in either direction', () => {
    const index = build('Ada Owner', [
      ['Alpha', 'Ada Owner', 'We study forecasting of rivers.'],
      ['Beta', 'Ada Owner', 'We study forecasts of rivers.'],
      ['Gamma', 'Ada Owner', 'We study a forecast of rivers.'],
    ]);
    expect(titles(index, 'forecasting rivers')[0]).toBe('Alpha');
    expect(titles(index, 'forecasts rivers')[0]).toBe('Beta');
    expect(titles(index, 'forecast rivers')[0]).toBe('Gamma');
    expect(titles(index, 'forecast rivers')).toHaveLength(3);
  });

  it('counts a paper with two forms of a word no higher than one with the exact form only', () => {
    const index = build('Ada Owner', [
      ['Alpha', 'Ada Owner', 'Slot models and slots.'],
      ['Beta', 'Ada Owner', 'Slot models and tables.'],
    ]);
    const [first, second] = index.search('slot models', { limit: 2 }).hits;
    expect(first?.score).toBeCloseTo(second?.score ?? Number.NaN, 6);
  });

  it('keeps acronyms whole and matches their plural', () => {
    expect(titles(seed, 'SAEs')).toEqual(['The Rate-Distortion-Polysemanticity Tradeoff in SAEs', 'Toward Identifiable Sparse Autoencoders']);
    expect(titles(seed, 'SAE')).toEqual(titles(seed, 'SAEs'));
    expect(titles(seed, 'CoSA')[0]).toBe('Grounded Object Centric Learning');
    expect(titles(seed, 'NoGAM')[0]).toBe('Causal Discovery with Score Matching on Additive Models with Arbitrary Noise');
  });

  it('meets derivational forms, exact form first, and keeps unrelated words apart', () => {
    const index = build('Ada Owner', [
      ['Alpha', 'Ada Owner', 'The university of rivers.'],
      ['Beta', 'Ada Owner', 'The universe of rivers.'],
      ['Gamma', 'Ada Owner', 'Disentangled rivers.'],
      ['Delta', 'Ada Owner', 'Disentanglement of rivers.'],
      ['Epsilon', 'Ada Owner', 'General rivers.'],
      ['Zeta', 'Ada Owner', 'Generate rivers.'],
    ]);
    expect(titles(index, 'university rivers')).toEqual(['Alpha']);
    expect(titles(index, 'universe rivers')).toEqual(['Beta']);
    expect(titles(index, 'disentanglement rivers')).toEqual(['Delta', 'Gamma']);
    expect(titles(index, 'disentangled rivers')).toEqual(['Gamma', 'Delta']);
    // Neither prints "disentangling": two word forms weigh alike, and the newer paper wins the tie.
    expect(titles(index, 'disentangling rivers')).toEqual(['Gamma', 'Delta']);
    expect(titles(index, 'general rivers')).toEqual(['Epsilon']);
    expect(titles(index, 'generate rivers')).toEqual(['Zeta']);
  });

  it('never stems a name: an author is found by the name as printed', () => {
    const index = build('Ada Owner', [
      ['Alpha', 'Ada Owner, Tom Hughes', 'Rivers.'],
      ['Beta', 'Ada Owner, Tom Hugh', 'Rivers.'],
    ]);
    // The name first: the last word typed is also a prefix ("hugh" → "hughes"), which is not stemming.
    expect(titles(index, 'hughes rivers')).toEqual(['Alpha']);
    expect(titles(index, 'hugh rivers')).toEqual(['Beta']);
  });
});

describe('people keys', () => {
  const index = (): PaperIndex =>
    build('Ada Owner', [
      ['Alpha', 'Ada Owner, Michael Novak', 'Rivers.'],
      ['Beta', 'Ada Owner, Michal Novak', 'Lakes.'],
      ['Gamma', 'Ada Owner, Jörg Müller', 'Seas.'],
      ['Delta', 'Ada Owner, Joerg Mueller', 'Ponds.'],
      ['Epsilon', 'Ada Owner, Jorg Muller', 'Wells.'],
      ['Zeta', 'Ada Owner, Sam Loewe', 'Brooks.'],
      ['Eta', 'Ada Owner, Sam Lowe', 'Creeks.'],
    ]);

  it('keeps apart names that differ by an "e" when no spelling has an umlaut', () => {
    const built = index();
    const { people } = built;
    expect(people.resolve('Michael Novak')).toEqual({ key: 'michael novak', name: 'Michael Novak', paperCount: 1 });
    expect(people.resolve('Michal Novak')).toEqual({ key: 'michal novak', name: 'Michal Novak', paperCount: 1 });
    expect(people.suggest('michae', 25)).toEqual([{ name: 'Michael Novak', value: 'michael novak' }]);
    expect(titles(built, 'Michal Novak')).toEqual(['Beta']);
    expect(people.resolve('Sam Loewe')?.paperCount).toBe(1);
    expect(people.resolve('Sam Lowe')?.paperCount).toBe(1);
  });

  it('joins every spelling that shares a key with an umlauted one', () => {
    const { people } = index();
    const jorg = { key: 'jorg muller', name: 'Jörg Müller', paperCount: 3 };
    for (const spelling of ['Jörg Müller', 'Joerg Mueller', 'Jorg Muller', 'joerg mueller', 'jorg muller']) {
      expect(people.resolve(spelling), spelling).toEqual(jorg);
    }
    expect(people.papersOf('joerg mueller').map((paper) => paper.title)).toEqual(['Gamma', 'Delta', 'Epsilon']);
    expect(people.suggest('mue', 25)).toEqual([{ name: 'Jörg Müller', value: 'jorg muller' }]);
  });

  it('finds Sindy Löwe and Sébastien Lachapelle in the seed under every spelling', () => {
    for (const spelling of ['Lowe', 'Loewe', 'Löwe', 'Sindy Loewe', 'sindy lowe']) expect(seed.people.resolve(spelling)?.name, spelling).toBe('Sindy Löwe');
    expect(seed.people.resolve('Sebastien Lachapelle')?.name).toBe('Sébastien Lachapelle');
    expect(seed.people.resolve('Matthaeus Kleindessner')).toEqual({ key: 'matthaus kleindessner', name: 'Matthäus Kleindessner', paperCount: 3 });
  });

  it('offers each seed person under a key that resolves back to them', () => {
    expect(seed.people.suggest('lohaus', 25)).toEqual([{ name: 'Michael Lohaus', value: 'michael lohaus' }]);
    for (const { value, name } of seed.people.suggest('', 25)) expect(seed.people.resolve(value)?.name).toBe(name);
    const everyone = new Set<string>();
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') for (const { value } of seed.people.suggest(letter, 25)) everyone.add(value);
    for (const key of everyone) expect(seed.people.resolve(key)?.key).toBe(key);
    expect(everyone.size).toBeGreaterThan(50);
  });

  it('finds a word with an umlaut under both foldings, and ordinary words with "ae", "oe", "ue" as written', () => {
    const index = build('Ada Owner', [
      ['Über Rivers', 'Ada Owner', 'Rivers.'],
      ['Ueber Lakes', 'Ada Owner', 'Lakes.'],
      ['Autoencoders', 'Ada Owner', 'Queues.'],
      ['Autncoders', 'Ada Owner', 'Ques.'],
    ]);
    expect(titles(index, 'über')).toEqual(['Über Rivers', 'Ueber Lakes']);
    expect(titles(index, 'ueber')).toEqual(['Über Rivers', 'Ueber Lakes']);
    expect(titles(index, 'uber')).toEqual(['Über Rivers']);
    expect(titles(index, 'autoencoders')).toEqual(['Autoencoders']);
    expect(titles(index, 'queue')).toEqual(['Autoencoders']);
  });
});

describe('lookupPaper and didYouMean precision', () => {
  it.each(['(a+)+$', '**x** ||x|| `y`', '[click](https://evil.com)', 'a b c d', '@everyone', '<@123456789>', 'https://github.com'])(
    'opens no paper for "%s"',
    (query) => {
      expect(seed.lookupPaper(query).paper).toBeNull();
    },
  );

  it('still opens a paper by the path of its code URL', () => {
    expect(seed.lookupPaper('https://github.com/IST-DASLab/ScalableMNN').paper?.title).toBe(
      'Scalable Mechanistic Neural Networks for Differential Equations and Machine Learning',
    );
  });

  it('suggests no title for nonsense', () => {
    expect(seed.didYouMean('zebra')).toEqual([]);
    expect(seed.didYouMean('qwxzv plokij')).toEqual([]);
  });

  it('suggests titles with a word close to the query', () => {
    expect(seed.didYouMean('bommerang').map((paper) => paper.title)).toEqual(['Boomerang Distillation Enables Zero-Shot Model Size Interpolation']);
    expect(seed.didYouMean('segmentaton').map((paper) => paper.title)[0]).toMatch(/Segmentation/);
  });
});

describe('matched words for snippets', () => {
  const hitTerms = (query: string): string[] => seed.search(query).hits[0]?.terms ?? [];

  it('lists the paper words a typo matched, so the snippet can bold them', () => {
    expect(hitTerms('bommerang distilation')).toEqual(expect.arrayContaining(['boomerang', 'distillation']));
    const top = seed.search('bommerang distilation').hits[0];
    const abstract = (top?.paper as Paper).abstract;
    expect(snippet(abstract, top?.terms ?? [])).toMatch(/\*\*[Bb]oomerang\*\*/);
  });

  it('lists other word forms and umlauted names as the paper prints them, accents dropped', () => {
    expect(hitTerms('forecasting')).toContain('forecasts');
    expect(hitTerms('loewe')).toContain('lowe');
    expect(hitTerms('Matthaeus Kleindessner').every((term) => /^[a-z0-9]+$/.test(term))).toBe(true);
  });
});
