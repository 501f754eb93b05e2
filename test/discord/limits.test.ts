import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, truncate } from '../../src/discord/limits.js';

const isLoneSurrogateAtEnd = (s: string): boolean => {
  const last = s.charCodeAt(s.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
};

describe('truncate', () => {
  it('returns short text unchanged', () => {
    expect(truncate('Rotating Features', 100)).toBe('Rotating Features');
  });

  it('cuts at a sentence end when one is near the limit', () => {
    const text = 'First sentence is here. Second sentence runs on and on and on.';
    expect(truncate(text, 28)).toBe('First sentence is here. …');
  });

  it('cuts at a word boundary otherwise', () => {
    expect(truncate('alpha beta gamma delta epsilon', 20)).toBe('alpha beta gamma…');
  });

  it('never exceeds the limit nor splits a surrogate pair, for any text and limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 300 }), (s, max) => {
        const out = truncate(s, max);
        return out.length <= max && !isLoneSurrogateAtEnd(out.replace(/…$/, '').trimEnd());
      }),
    );
  });

  it('does not split an emoji at the cut', () => {
    const out = truncate('😀😀😀😀😀', 4);
    expect(out).toBe('😀…');
  });
});

describe('clip', () => {
  it('cuts without an ellipsis and never splits a surrogate pair', () => {
    expect(clip('ab😀', 3)).toBe('ab');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 200 }), (s, max) => {
        const out = clip(s, max);
        return out.length <= max && s.startsWith(out) && !isLoneSurrogateAtEnd(out);
      }),
    );
  });
});
