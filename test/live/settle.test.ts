import { describe, expect, it } from 'vitest';
import { StampClock, settleVerdict, type PageStamp } from '../../src/live/settle.js';

const SETTLE = 5_000;
const stamps = (entries: Record<string, PageStamp>): Map<string, PageStamp> => new Map(Object.entries(entries));
const seen = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));

describe('the settle rule', () => {
  const read = stamps({ 'a.txt': { size: 100, mtimeMs: 10_000 }, 'b.txt': { size: 200, mtimeMs: 12_000 } });
  const seenAt = seen({ 'a.txt': 10_050, 'b.txt': 12_050 });

  it('settles once the newest page has been unchanged for the whole settle time', () => {
    expect(settleVerdict(read, read, seenAt, 12_000 + SETTLE, SETTLE)).toEqual({ state: 'settled' });
    expect(settleVerdict(read, read, seenAt, 40_000, SETTLE)).toEqual({ state: 'settled' });
  });

  it('waits for the rest of the settle time after the last write to any page', () => {
    expect(settleVerdict(read, read, seenAt, 12_600, SETTLE)).toEqual({ state: 'waiting', waitMs: 4_400 });
    expect(settleVerdict(read, read, seenAt, 12_000 + SETTLE - 1, SETTLE)).toEqual({ state: 'waiting', waitMs: 1 });
  });

  it('calls for a new read when a page on disk is not the page read', () => {
    const grown = stamps({ 'a.txt': { size: 100, mtimeMs: 10_000 }, 'b.txt': { size: 260, mtimeMs: 12_000 } });
    const touched = stamps({ 'a.txt': { size: 100, mtimeMs: 10_000 }, 'b.txt': { size: 200, mtimeMs: 12_600 } });
    const added = stamps({ 'a.txt': { size: 100, mtimeMs: 10_000 }, 'b.txt': { size: 200, mtimeMs: 12_000 }, 'c.txt': { size: 1, mtimeMs: 1 } });
    const removed = stamps({ 'a.txt': { size: 100, mtimeMs: 10_000 } });
    expect(settleVerdict(read, grown, seenAt, 40_000, SETTLE)).toEqual({ state: 'changed', page: 'b.txt' });
    expect(settleVerdict(read, touched, seenAt, 40_000, SETTLE)).toEqual({ state: 'changed', page: 'b.txt' });
    expect(settleVerdict(read, added, seenAt, 40_000, SETTLE)).toEqual({ state: 'changed', page: 'c.txt' });
    expect(settleVerdict(read, removed, seenAt, 40_000, SETTLE)).toEqual({ state: 'changed', page: 'b.txt' });
  });

  it('counts a modification time in the future from when the page was first seen', () => {
    const future = stamps({ 'a.txt': { size: 100, mtimeMs: 1_000_000 } });
    expect(settleVerdict(future, future, seen({ 'a.txt': 20_000 }), 21_000, SETTLE)).toEqual({ state: 'waiting', waitMs: 4_000 });
    expect(settleVerdict(future, future, seen({ 'a.txt': 20_000 }), 25_000, SETTLE)).toEqual({ state: 'settled' });
  });

  it('settles at once with a settle time of zero, and an empty directory is settled', () => {
    expect(settleVerdict(read, read, seenAt, 12_000, 0)).toEqual({ state: 'settled' });
    expect(settleVerdict(new Map(), new Map(), new Map(), 0, SETTLE)).toEqual({ state: 'settled' });
  });
});

describe('StampClock', () => {
  it('keeps the time a stamp was first seen across reads, and restarts it when the stamp changes', () => {
    const clock = new StampClock();
    const future = { size: 10, mtimeMs: 9_999_999 };
    clock.observe(stamps({ 'a.txt': future }), 1_000);
    clock.observe(stamps({ 'a.txt': future }), 3_000);
    expect(clock.verdict(5_500, SETTLE)).toEqual({ state: 'waiting', waitMs: 500 });
    const rewritten = { size: 11, mtimeMs: 9_999_999 };
    clock.observe(stamps({ 'a.txt': rewritten }), 5_000);
    expect(clock.verdict(6_000, SETTLE)).toEqual({ state: 'waiting', waitMs: 4_000 });
    expect(clock.verdict(6_000, SETTLE, stamps({ 'a.txt': future }))).toEqual({ state: 'changed', page: 'a.txt' });
  });
});
