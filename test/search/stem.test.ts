/** The light stemmer: word forms that should meet do, acronyms and short words stay as they are. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { root, stem } from '../../src/search/stem.js';

describe('stem', () => {
  it.each([
    [['forecast', 'forecasts', 'forecasting', 'forecasted'], 'forecast'],
    [['slot', 'slots'], 'slot'],
    [['study', 'studies'], 'studi'],
    [['class', 'classes'], 'class'],
    [['model', 'models', 'modeling', 'modeled'], 'model'],
    [['base', 'based', 'bases'], 'base'],
    [['relate', 'related', 'relating'], 'relate'],
    [['hop', 'hopping', 'hopped'], 'hop'],
    [['learn', 'learns', 'learned', 'learning'], 'learn'],
  ])('joins %j at "%s"', (words, root) => {
    expect(words.map(stem)).toEqual(words.map(() => root));
  });

  it('takes the plural off an acronym and leaves other acronyms alone', () => {
    expect(stem('saes')).toBe('sae');
    expect(stem('sae')).toBe('sae');
    expect(['cosa', 'nogam', 'dinosaur', 'fourcastnet', 'tcbench', 'asif'].map(stem)).toEqual(['cosa', 'nogam', 'dinosaur', 'fourcastnet', 'tcbench', 'asif']);
  });

  it('leaves short words, -ss, -us and -is words, words with a vowel only in the suffix, and non-letters alone', () => {
    expect(['gas', 'its', 'bed', 'class', 'corpus', 'analysis', 'sing', 'string', 'need', 'w2s', 'b2b', 'naïve'].map(stem)).toEqual([
      'gas',
      'its',
      'bed',
      'class',
      'corpus',
      'analysis',
      'sing',
      'string',
      'need',
      'w2s',
      'b2b',
      'naïve',
    ]);
  });

  it('never empties a word nor lengthens it by more than one letter (a restored "e")', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,20}$/), (word) => {
        const root = stem(word);
        expect(root.length).toBeGreaterThan(0);
        expect(root.length).toBeLessThanOrEqual(word.length + 1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('root', () => {
  it.each([
    [['disentanglement', 'disentangled', 'disentangling', 'disentangle', 'disentangles'], 'disentangl'],
    [['identifiable', 'identifiability', 'identify', 'identified', 'identifying'], 'identifi'],
    [['government', 'governed', 'governing'], 'govern'],
    [['forecast', 'forecasts', 'forecasting'], 'forecast'],
  ])('joins %j at "%s"', (words, base) => {
    expect(words.map(root)).toEqual(words.map(() => base));
  });

  it.each([
    ['university', 'universe'],
    ['general', 'generate'],
    ['table', 'tab'],
    ['comment', 'come'],
    ['element', 'ele'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(root(a)).not.toBe(root(b));
  });
});
