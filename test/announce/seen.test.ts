import { describe, expect, it } from 'vitest';
import { RETITLE_SIMILARITY, SeenPapers, titleSimilarity } from '../../src/announce/seen.js';
import type { Paper } from '../../src/corpus/schema.js';
import { paper } from './helpers.js';

const ABSTRACT = 'Humans decompose their environment into entities at the appropriate level of abstraction to act in the world.';
const OTHER_ABSTRACT = 'We show that reconstructing features from self-supervised models is a sufficient training signal for objects.';

function seenWith(...papers: Paper[]): SeenPapers {
  const seen = new SeenPapers();
  for (const one of papers) seen.add(one);
  return seen;
}

const titles = (papers: readonly Paper[]): string[] => papers.map((p) => p.title);

describe('recognising papers already seen', () => {
  it('knows a recorded paper by its id or normalized title, and nothing else by those alone', () => {
    const seen = seenWith(paper('Slot Attention for Video', '2023-01-01'));
    expect(seen.has(paper('Slot Attention for Video', '2023-01-01'))).toBe(true);
    expect(seen.has(paper('slot attention, for video!', '2023-05-05'))).toBe(true);
    expect(seen.has(paper('Slot Attention for Videos', '2023-01-01'))).toBe(false);
  });

  it('takes a paper with the abstract of an announced paper that left the corpus for its retitle, with both titles', () => {
    const announced = paper('Bridging the Gap to Real-World Object-Centric Learning', '2022-09-29', { abstract: ABSTRACT });
    const renamed = paper('DINOSAUR: Object-Centric Learning on Real Images', '2022-09-29', { abstract: ABSTRACT });
    const result = seenWith(announced).classify([renamed], [announced]);
    expect(result.fresh).toEqual([]);
    expect(result.retitles).toEqual([{ paper: renamed, previousTitle: announced.title, matchedBy: 'abstract' }]);
  });

  it('takes a fixed typo for a retitle only when the misspelt paper is gone', () => {
    const typo = paper('Slot Atention for Video', '2023-01-01', { abstract: ABSTRACT });
    const fixed = paper('Slot Attention for Video', '2023-01-01', { abstract: OTHER_ABSTRACT });
    const seen = seenWith(typo);
    expect(seen.classify([fixed]).retitles).toEqual([{ paper: fixed, previousTitle: 'slot atention for video', matchedBy: 'title' }]);
    expect(titles(seen.classify([typo, fixed]).fresh)).toEqual([fixed.title]);
  });

  it('announces Part II next to an announced Part I by the same first author on the same day', () => {
    const part1 = paper('Learning Causal Structure from Time Series, Part I', '2024-03-01');
    const part2 = paper('Learning Causal Structure from Time Series, Part II', '2024-03-01');
    expect(titleSimilarity('learning causal structure from time series part i', 'learning causal structure from time series part ii')).toBeGreaterThanOrEqual(RETITLE_SIMILARITY);
    const result = seenWith(part1).classify([part1, part2]);
    expect(titles(result.fresh)).toEqual([part2.title]);
    expect(result.retitles).toEqual([]);
  });

  it('announces two near-titled new papers of one author and day that arrive together as two papers', () => {
    const views = paper('Identifying Latent Causes from Multiple Views', '2024-06-01');
    const environments = paper('Identifying Latent Causes from Multiple Environments', '2024-06-01');
    expect(titles(new SeenPapers().classify([views, environments]).fresh)).toEqual([views.title, environments.title]);
  });

  it('lets one gone paper be replaced by one paper only, the closest', () => {
    const announced = paper('Identifying Latent Causes from Multiple Views', '2024-06-01');
    const corrected = paper('Identifying Latent Causes from Multiple View', '2024-06-01');
    const sibling = paper('Identifying Latent Causes from Multiple Environments', '2024-06-01');
    const result = seenWith(announced).classify([sibling, corrected], [announced]);
    expect(result.retitles.map((r) => [r.paper.title, r.previousTitle])).toEqual([[corrected.title, announced.title]]);
    expect(titles(result.fresh)).toEqual([sibling.title]);
  });

  it('announces a paper that shares its abstract with an announced paper still present', () => {
    const first = paper('A Study of Slots', '2021-01-01', { abstract: ABSTRACT });
    const copy = paper('Another Study Entirely', '2021-02-01', { abstract: ABSTRACT });
    expect(titles(seenWith(first).classify([first, copy]).fresh)).toEqual([copy.title]);
  });

  it('reads an older record whose abstracts do not name their paper: a match is a retitle unless another present paper has the abstract', () => {
    const announced = paper('A Study of Slots', '2021-01-01', { abstract: ABSTRACT });
    const renamed = paper('Slots, Studied', '2021-01-01', { abstract: ABSTRACT });
    const older = seenWith(announced)
      .keys()
      .map((key) => (key.kind === 'abstract' ? { ...key, value: key.value.split('|')[0] ?? '' } : key));
    expect(new SeenPapers(older).classify([renamed]).retitles).toEqual([{ paper: renamed, previousTitle: null, matchedBy: 'abstract' }]);
    expect(titles(new SeenPapers(older).classify([announced, renamed]).fresh)).toEqual([renamed.title]);
  });

  it('does not match short placeholder abstracts', () => {
    const seen = seenWith(paper('First Paper', '2020-01-01', { abstract: 'No abstract.', authors: ['A B'] }));
    expect(seen.classify([paper('Entirely Other Work', '2021-01-01', { abstract: 'No abstract.', authors: ['C D'] })]).retitles).toEqual([]);
  });

  it('needs both the same date and the same first author for a near title to match', () => {
    const seen = seenWith(paper('Slot Atention for Video', '2023-01-01'));
    expect(seen.classify([paper('Slot Attention for Video', '2023-01-01')]).retitles).toHaveLength(1);
    expect(seen.classify([paper('Slot Attention for Video', '2023-01-02')]).retitles).toEqual([]);
    expect(seen.classify([paper('Slot Attention for Video', '2023-01-01', { authors: ['Someone Else'] })]).retitles).toEqual([]);
  });

  it('survives being stored and read back', () => {
    const seen = seenWith(paper('Slot Atention for Video', '2023-01-01', { abstract: ABSTRACT }));
    const restored = new SeenPapers(seen.keys());
    expect(restored.classify([paper('Slot Attention for Video', '2023-01-01')]).retitles).toHaveLength(1);
    expect(titles(restored.classify([paper('Something Unrelated', '2023-01-01')]).fresh)).toEqual(['Something Unrelated']);
    expect(restored.keys()).toEqual(seen.keys());
  });

  it('scores a fixed typo above the threshold and a different title below it', () => {
    expect(titleSimilarity('causal represntation learning', 'causal representation learning')).toBeGreaterThanOrEqual(RETITLE_SIMILARITY);
    expect(titleSimilarity('causal representation learning', 'identifiable slot models')).toBeLessThan(RETITLE_SIMILARITY);
    expect(titleSimilarity('a', 'a')).toBe(1);
  });
});
