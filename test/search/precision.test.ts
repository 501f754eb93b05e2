/**
 * Precision of lookupPaper (behind /paper and /cite) and of search's OR fallback: the words a member types
 * about a paper find it; a query most of whose words the corpus does not have finds nothing, so the
 * "did you mean" branch is reached.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PaperIndex } from '../../src/search/index.js';
import { seedIndex } from './seed.js';

let index: PaperIndex;
beforeAll(async () => {
  ({ index } = await seedIndex());
});

const BRIDGING = 'Bridging the Gap to Real-World Object-Centric Learning';
const ROTATING = 'Rotating Features for Object Discovery';
const SPARSITY = 'A Sparsity Principle for Partially Observable Causal Representation Learning';

describe('lookupPaper finds the paper a member means', () => {
  it.each([
    ['DINOSAUR', BRIDGING],
    ['NoGAM', 'Causal Discovery with Score Matching on Additive Models with Arbitrary Noise'],
    ['CoSA', 'Grounded Object Centric Learning'],
    ['FourCastNet', 'Controlling Transient Amplification Improves Long-horizon Rollouts'],
  ])('by the acronym %s', (query, title) => {
    expect(index.lookupPaper(query).paper?.title).toBe(title);
  });

  it.each([
    ['bommerang distilation', 'Boomerang Distillation Enables Zero-Shot Model Size Interpolation'],
    ['identifiable sparce autoencoders', 'Toward Identifiable Sparse Autoencoders'],
    ['sclable mechanistc neural netwroks', 'Scalable Mechanistic Neural Networks for Differential Equations and Machine Learning'],
  ])('through the typos in "%s"', (query, title) => {
    expect(index.lookupPaper(query).paper?.title).toBe(title);
  });

  it.each([
    ['rotating features', ROTATING],
    ['sparsity principle partially observable', SPARSITY],
    ['causal learning invariance principle', 'Causal Learning with the Invariance Principle'],
    ['score matching causal discovery', 'Sample Complexity Bounds for Score-Matching: Causal Discovery and Generative Modeling'],
  ])('by the title fragment "%s", preferring the title with those words in a row', (query, title) => {
    expect(index.lookupPaper(query).paper?.title).toBe(title);
  });

  it.each([
    ['dinosaur paper', BRIDGING],
    ['the sparsity paper by lachapelle', SPARSITY],
    ['rotating features quantum chromodynamics', ROTATING],
  ])('by words about it, some of which it lacks: "%s"', (query, title) => {
    expect(index.lookupPaper(query).paper?.title).toBe(title);
  });
});

describe('lookupPaper finds nothing for a query the corpus does not answer', () => {
  it.each([
    'zzqx unmatched words',
    'zzqx words',
    'words zzqx qwerty plokij',
    'zzqx dinosaur',
    'lorem ipsum dolor sit amet',
    'quantum chromodynamics lattice',
  ])('"%s"', (query) => {
    expect(index.lookupPaper(query).paper).toBeNull();
  });

  it('leaves close titles to didYouMean', () => {
    expect(index.lookupPaper('zzqx segmentation').paper).toBeNull();
    const titles = index.didYouMean('zzqx segmentation').map((paper) => paper.title);
    expect(titles.slice(0, 2)).toEqual([
      'Self-supervised Amodal Video Object Segmentation',
      'Unsupervised Semantic Segmentation with Self-supervised Object-centric Representations',
    ]);
  });
});

describe('words the corpus has never seen', () => {
  const titlesOf = (query: string): string[] => index.search(query, { limit: 100 }).hits.map((hit) => hit.paper.title);

  it('are left out of the search and named, so one of them cannot empty it', () => {
    const causal = index.search('causal', { limit: 100 });
    expect(causal.total).toBe(20);
    expect(causal.ignoredTerms).toBeUndefined();
    const zebra = index.search('causal zebra', { limit: 100 });
    expect(zebra.total).toBe(20);
    expect(zebra.ignoredTerms).toEqual(['zebra']);
    expect(index.search('zzqx unmatched words').ignoredTerms).toEqual(['zzqx', 'unmatched']);
    expect(titlesOf('zzqx unmatched words')).toEqual(titlesOf('words'));
  });

  it('are named even when nothing else is left', () => {
    expect(index.search('zzqx qwerty')).toEqual({ total: 0, hits: [], ignoredTerms: ['zzqx', 'qwerty'] });
  });

  it('do not include a word within a typo of one the corpus has', () => {
    expect(index.search('bommerang zebra').ignoredTerms).toEqual(['zebra']);
    expect(titlesOf('bommerang zebra')).toEqual(['Boomerang Distillation Enables Zero-Shot Model Size Interpolation']);
  });

  it('leave mentions and markdown out: they are no words', () => {
    const causal = titlesOf('causal');
    for (const query of ['@everyone causal', '@here causal', '<@123456789> causal', '<#42> causal', '<:dino:123> causal', '**causal**', '`causal`']) {
      expect(index.search(query, { limit: 100 }).ignoredTerms, query).toBeUndefined();
      expect(titlesOf(query), query).toEqual(causal);
    }
    expect(index.search('||spoiler|| causal').ignoredTerms).toEqual(['spoiler']);
    expect(titlesOf('||spoiler|| causal')).toEqual(causal);
  });
});

describe("search's OR fallback", () => {
  it('drops papers that share only a common word of the query', () => {
    expect(index.search('paper').total).toBeGreaterThan(5);
    const result = index.search('dinosaur paper', { limit: 100 });
    expect(result.hits.map((hit) => hit.paper.title)).toEqual([BRIDGING]);
    expect(result.total).toBe(1);
  });

  it('keeps papers with half of the query when the other half is unknown', () => {
    const result = index.search('rotating features quantum chromodynamics', { limit: 100 });
    expect(result.hits.map((hit) => hit.paper.title)).toEqual([ROTATING]);
    expect(result.hits[0]?.terms).toEqual(['features', 'rotating']);
    expect(result.ignoredTerms).toEqual(['quantum', 'chromodynamics']);
  });

  it('keeps every paper with at least half of the words, best coverage first', () => {
    const hits = index.search('slot attention for real data', { limit: 100 }).hits;
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.every((hit) => hit.terms.length >= 2)).toBe(true);
    expect(hits.map((hit) => hit.paper.title)).toContain('Grounded Object Centric Learning');
  });
});
