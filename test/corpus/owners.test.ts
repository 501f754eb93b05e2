import { describe, expect, it } from 'vitest';
import { papersOwnedBy } from '../../src/corpus/names.js';
import { paper } from '../cite/papers.js';

describe('papersOwnedBy', () => {
  it('counts a paper for its owner however the page spells the name, umlaut or transliterated', () => {
    const papers = [
      paper({ title: 'A', authors: ['X Y'], date: '2024-01-01', owners: ['Matthäus Kleindessner'] }),
      paper({ title: 'B', authors: ['X Y'], date: '2024-01-01', owners: ['Matthaeus Kleindessner'] }),
      paper({ title: 'C', authors: ['X Y'], date: '2024-01-01', owners: ['Matthaus  kleindessner'] }),
      paper({ title: 'D', authors: ['X Y'], date: '2024-01-01', owners: ['Michael Novak'] }),
    ];
    expect(papersOwnedBy(papers, 'Matthaeus Kleindessner').map((p) => p.title)).toEqual(['A', 'B']);
    expect(papersOwnedBy(papers, 'Matthäus Kleindessner').map((p) => p.title)).toEqual(['A', 'B', 'C']);
    expect(papersOwnedBy(papers, 'Michal Novak')).toEqual([]);
  });
});
