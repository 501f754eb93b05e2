import { describe, expect, it } from 'vitest';
import { RETITLE_SIMILARITY, SeenPapers, titleSimilarity } from '../../src/announce/seen.js';
import { paper } from './helpers.js';

const ABSTRACT = 'Humans decompose their environment into entities at the appropriate level of abstraction to act in the world.';

describe('recognising papers already seen', () => {
  it('recognises a paper by its abstract when the title changed entirely', () => {
    const seen = new SeenPapers();
    seen.add(paper('Bridging the Gap to Real-World Object-Centric Learning', '2022-09-29', { abstract: ABSTRACT }));
    expect(seen.has(paper('DINOSAUR: Object-Centric Learning on Real Images', '2022-09-29', { abstract: ABSTRACT }))).toBe(true);
  });

  it('does not match short placeholder abstracts', () => {
    const seen = new SeenPapers();
    seen.add(paper('First Paper', '2020-01-01', { abstract: 'No abstract.', authors: ['A B'] }));
    expect(seen.has(paper('Entirely Other Work', '2021-01-01', { abstract: 'No abstract.', authors: ['C D'] }))).toBe(false);
  });

  it('needs both the same date and the same first author for a near title to match', () => {
    const seen = new SeenPapers();
    seen.add(paper('Slot Atention for Video', '2023-01-01'));
    expect(seen.has(paper('Slot Attention for Video', '2023-01-01'))).toBe(true);
    expect(seen.has(paper('Slot Attention for Video', '2023-01-02'))).toBe(false);
    expect(seen.has(paper('Slot Attention for Video', '2023-01-01', { authors: ['Someone Else'] }))).toBe(false);
  });

  it('survives being stored and read back', () => {
    const seen = new SeenPapers();
    const original = paper('Slot Atention for Video', '2023-01-01', { abstract: ABSTRACT });
    seen.add(original);
    const restored = new SeenPapers(seen.toLists());
    expect(restored.has(paper('Slot Attention for Video', '2023-01-01'))).toBe(true);
    expect(restored.has(paper('Something Unrelated', '2023-01-01'))).toBe(false);
    expect(restored.toLists()).toEqual(seen.toLists());
  });

  it('scores a fixed typo above the threshold and a different title below it', () => {
    expect(titleSimilarity('causal represntation learning', 'causal representation learning')).toBeGreaterThanOrEqual(RETITLE_SIMILARITY);
    expect(titleSimilarity('causal representation learning', 'identifiable slot models')).toBeLessThan(RETITLE_SIMILARITY);
    expect(titleSimilarity('a', 'a')).toBe(1);
  });
});
