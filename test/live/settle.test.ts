import { describe, expect, it } from 'vitest';
import type { PageStamp } from '../../src/live/pages.js';
import { settle, type SeenPages } from '../../src/live/watch.js';

const SETTLE = 5_000;
const stamps = (entries: Record<string, PageStamp>): Array<[string, PageStamp]> => Object.entries(entries);
// Pages as an earlier read left them: each stamp with when it was first seen.
const seen = (entries: Record<string, [PageStamp, number]>): SeenPages => new Map(Object.entries(entries).map(([name, [stamp, seenAt]]) => [name, { stamp, seenAt }]));
const verdict = (before: SeenPages, now: Array<[string, PageStamp]>, nowMs: number, settleMs = SETTLE) => {
  const { settled, waitMs } = settle(before, now, nowMs, settleMs);
  return { settled, waitMs };
};

describe('the settle rule', () => {
  const a = { size: 100, mtimeMs: 10_000 };
  const b = { size: 200, mtimeMs: 12_000 };
  const read = stamps({ 'a.txt': a, 'b.txt': b });
  const before = seen({ 'a.txt': [a, 10_050], 'b.txt': [b, 12_050] });

  it('settles once the newest page has been unchanged for the whole settle time', () => {
    expect(verdict(before, read, 12_000 + SETTLE)).toEqual({ settled: true, waitMs: 0 });
    expect(verdict(before, read, 40_000)).toEqual({ settled: true, waitMs: 0 });
  });

  it('waits for the rest of the settle time after the last write to any page', () => {
    expect(verdict(before, read, 12_600)).toEqual({ settled: false, waitMs: 4_400 });
    expect(verdict(before, read, 12_000 + SETTLE - 1)).toEqual({ settled: false, waitMs: 1 });
  });

  it('does not settle when a page read is not the page the read before found (grown, touched, added, removed)', () => {
    const grown = stamps({ 'a.txt': a, 'b.txt': { size: 260, mtimeMs: 12_000 } });
    const touched = stamps({ 'a.txt': a, 'b.txt': { size: 200, mtimeMs: 12_600 } });
    const added = stamps({ 'a.txt': a, 'b.txt': b, 'c.txt': { size: 1, mtimeMs: 1 } });
    const removed = stamps({ 'a.txt': a });
    for (const now of [grown, touched, added, removed]) expect(settle(before, now, 40_000, SETTLE).settled).toBe(false);
    // A page changed long ago (a copy that kept its time) is looked at again at once.
    expect(verdict(before, added, 40_000)).toEqual({ settled: false, waitMs: 0 });
  });

  it('counts a modification time in the future from when the page was first seen', () => {
    const future = { size: 100, mtimeMs: 1_000_000 };
    expect(verdict(seen({ 'a.txt': [future, 20_000] }), stamps({ 'a.txt': future }), 21_000)).toEqual({ settled: false, waitMs: 4_000 });
    expect(verdict(seen({ 'a.txt': [future, 20_000] }), stamps({ 'a.txt': future }), 25_000)).toEqual({ settled: true, waitMs: 0 });
  });

  it('settles at once with a settle time of zero, and an empty directory is settled', () => {
    expect(verdict(before, read, 12_000, 0)).toEqual({ settled: true, waitMs: 0 });
    expect(verdict(new Map(), [], 0)).toEqual({ settled: true, waitMs: 0 });
  });

  it('keeps the time a stamp was first seen across reads, and restarts it when the stamp changes', () => {
    const future = { size: 10, mtimeMs: 9_999_999 };
    const first = settle(new Map(), stamps({ 'a.txt': future }), 1_000, SETTLE).seen;
    const second = settle(first, stamps({ 'a.txt': future }), 3_000, SETTLE).seen;
    expect(verdict(second, stamps({ 'a.txt': future }), 5_500)).toEqual({ settled: false, waitMs: 500 });
    const rewritten = settle(second, stamps({ 'a.txt': { size: 11, mtimeMs: 9_999_999 } }), 5_000, SETTLE);
    expect(rewritten).toMatchObject({ settled: false, waitMs: 5_000 });
    expect(verdict(rewritten.seen, stamps({ 'a.txt': { size: 11, mtimeMs: 9_999_999 } }), 6_000)).toEqual({ settled: false, waitMs: 4_000 });
  });
});
