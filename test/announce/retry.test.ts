import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, DATABASE_RETRY_MAX_MS, Retry, backoffDelay } from '../../src/announce/retry.js';
import { manualScheduler } from './helpers.js';

/** A retry of work that counts its runs, on a hand-fired scheduler at full jitter, its clock at `clock.now`. */
function retryOf(maxMs?: number) {
  const timers = manualScheduler();
  const clock = { now: 1_000_000 };
  const runs = { count: 0 };
  const retry = new Retry(() => (runs.count += 1), { schedule: timers.schedule, random: () => 1, now: () => new Date(clock.now), ...(maxMs ? { maxMs } : {}) });
  const waiting = () => timers.timers.filter((timer) => !timer.cancelled);
  return { retry, timers, clock, runs, waiting };
}

describe('backoff', () => {
  it('grows from about 5 s and never exceeds 10 min, nor falls below half its step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = backoffDelay(attempt, null, () => random);
        const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 30));
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
      }),
    );
  });

  it('doubles with each attempt at full jitter', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, null, () => 1))).toEqual([5_000, 10_000, 20_000, 40_000, 600_000]);
  });

  it('honours a retry-after longer than the backoff, up to the cap', () => {
    expect(backoffDelay(1, 30_000, () => 0)).toBe(30_000);
    expect(backoffDelay(1, 3_600_000, () => 0)).toBe(BACKOFF_MAX_MS);
  });

  it('stops growing at a lower ceiling where one is given', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, null, () => 1, DATABASE_RETRY_MAX_MS))).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
  });
});

describe('retrying work', () => {
  it('schedules the next try after each failure, waiting twice as long each time, and runs the work when it fires', () => {
    const { retry, timers, runs } = retryOf();
    const delays: number[] = [];
    for (let failure = 1; failure <= 4; failure += 1) {
      delays.push(retry.failed());
      timers.fireAll();
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(timers.timers).toEqual([]);
    expect(runs.count).toBe(4);
    expect(retry.failures).toBe(4);
  });

  it('never gives up: after a hundred failures it still schedules a try, at the ceiling', () => {
    const { retry, timers, runs, waiting } = retryOf(DATABASE_RETRY_MAX_MS);
    for (let failure = 1; failure <= 100; failure += 1) {
      retry.failed();
      expect(waiting()).toHaveLength(1);
      expect(waiting()[0]!.delayMs).toBeLessThanOrEqual(DATABASE_RETRY_MAX_MS);
      timers.fireAll();
    }
    expect(runs.count).toBe(100);
    retry.failed();
    expect(waiting().map((timer) => timer.delayMs)).toEqual([DATABASE_RETRY_MAX_MS]);
  });

  it('starts the schedule over after a success, and says how many tries had failed', () => {
    const { retry, timers } = retryOf();
    retry.failed();
    retry.failed();
    retry.failed();
    expect(retry.reset()).toBe(3);
    expect(retry.failures).toBe(0);
    expect(retry.failed()).toBe(BACKOFF_BASE_MS);
    timers.fireAll();
    expect(retry.reset()).toBe(1);
  });

  it('keeps at most one try waiting, says when it is due, and drops it on reset or cancel', () => {
    const { retry, clock, runs, waiting, timers } = retryOf();
    expect(retry.dueAt).toBeNull();
    retry.failed();
    clock.now += 1_000;
    retry.failed();
    expect(waiting().map((timer) => timer.delayMs)).toEqual([10_000]);
    expect(retry.dueAt).toEqual(new Date(clock.now + 10_000));
    retry.cancel();
    expect(waiting()).toEqual([]);
    expect(retry.dueAt).toBeNull();
    // Cancelling keeps the count: the next failure waits longer still.
    expect(retry.failed()).toBe(20_000);
    retry.reset();
    expect(waiting()).toEqual([]);
    timers.fireAll();
    expect(runs.count).toBe(0);
  });

  it('waits at least as long as Discord asked', () => {
    const { retry } = retryOf();
    expect(retry.failed(120_000)).toBe(120_000);
    expect(retry.failed(1_000)).toBe(10_000);
  });
});
