import { describe, expect, it } from 'vitest';
import { matchFollows } from '../../src/announce/deliveries.js';
import type { Follow } from '../../src/db/follows.js';
import { PaperIndex } from '../../src/search/index.js';
import { corpusOf, paper } from './helpers.js';

const slotVideo = paper('Slot Attention for Video', '2025-01-01', { authors: ['Ada Lovelace', 'Grace Hopper'], owners: ['Ada Lovelace'], hasCode: true, codeUrl: 'https://example.org/code' });
const slowAttention = paper('Attention Is Slow', '2025-01-02', { authors: ['Grace Hopper'], owners: ['Grace Hopper'], categoryCode: 'CV', category: 'cs.CV', categoryLabel: 'Computer Vision and Pattern Recognition' });
const causalSlots = paper('Causal Slots', '2025-01-03', { authors: ['Alan Turing'], owners: ['Alan Turing'], categoryCode: 'ME', category: 'stat.ME', categoryLabel: 'Methodology' });
const revisited = paper('Object Slot Attention Revisited', '2025-01-04', { authors: ['Alan Turing', 'Ada Lovelace'], owners: ['Alan Turing'], categoryCode: 'ME', category: 'stat.ME', categoryLabel: 'Methodology' });
const papers = [slotVideo, slowAttention, causalSlots, revisited];
const index = PaperIndex.build(corpusOf(papers));
const ids = papers.map((p) => p.id);

function follow(id: string, userId: string, kind: Follow['kind'], value: string, filters: { category?: string; hasCode?: boolean } = {}): Follow {
  return { id, userId, guildId: 'g', kind, value, category: filters.category ?? null, hasCode: filters.hasCode ?? null, label: id, createdAt: 0, lastPaperId: null, lastDeliveredAt: null };
}

const ada = index.people.resolve('Ada Lovelace')?.key ?? '';
const follows = [
  follow('ada', 'u1', 'author', ada),
  follow('slot-attention', 'u1', 'topic', 'slot attention'),
  follow('methodology', 'u2', 'category', 'ME'),
  follow('slot-attention-code', 'u2', 'topic', 'slot attention', { hasCode: true }),
  follow('quantum', 'u3', 'topic', 'quantum slots'),
];

// Authors are the pages' owners here, so an author follow means authorship alone. Member → paper title → the follows that matched, for readable expectations.
function readable(matches: ReturnType<typeof matchFollows>): Record<string, Record<string, string[]>> {
  const byId = new Map(papers.map((p) => [p.id, p.title]));
  return Object.fromEntries([...matches].map(([user, perPaper]) => [user, Object.fromEntries([...perPaper].map(([id, matched]) => [byId.get(id) ?? id, matched.map((f) => f.id)]))]));
}

describe('matching new papers against follows', () => {
  it('matches an author by person, a topic only when every word is there, filters as /search has them, and a word no paper has to nothing', () => {
    expect(ada).not.toBe('');
    expect(readable(matchFollows(index, follows, ids))).toEqual({
      u1: {
        'Slot Attention for Video': ['ada', 'slot-attention'],
        'Object Slot Attention Revisited': ['ada', 'slot-attention'],
      },
      u2: {
        'Slot Attention for Video': ['slot-attention-code'],
        'Causal Slots': ['methodology'],
        'Object Slot Attention Revisited': ['methodology'],
      },
    });
  });

  it('looks only at the papers it is given', () => {
    expect(readable(matchFollows(index, follows, [slowAttention.id, causalSlots.id]))).toEqual({ u2: { 'Causal Slots': ['methodology'] } });
  });
});
