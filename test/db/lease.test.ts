import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import {
  LeaseHeldError,
  holdLease,
  readLease,
  releaseLease,
  renewLease,
  tryAcquireLease,
  type HeldLease,
} from '../../src/db/lease.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger, loggerOver } from '../../src/log.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const RACER = path.join(import.meta.dirname, 'lease-racer.ts');

let dir: string;
let url: string;
let handle: DatabaseHandle;
let held: HeldLease[];
const log = createLogger('error', () => {});

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-lease-'));
  url = `sqlite:${path.join(dir, 'paperbot.db')}`;
  handle = await openDatabase(url);
  await migrateToLatest(handle.db);
  held = [];
});

afterEach(async () => {
  vi.useRealTimers();
  for (const lease of held) await lease.release();
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

async function hold(options: Partial<Parameters<typeof holdLease>[1]> & { lengthMs: number }): Promise<HeldLease> {
  const lease = await holdLease(handle.db, { name: 'announcer', log, ...options });
  held.push(lease);
  return lease;
}

describe('the lease statements', () => {
  it('gives a free lease to the first holder and refuses others until it expires', async () => {
    const now = 1_000_000;
    expect(await tryAcquireLease(handle.db, 'announcer', 'a', 30_000, now)).toBe(true);
    expect(await tryAcquireLease(handle.db, 'announcer', 'b', 30_000, now + 29_999)).toBe(false);
    expect(await tryAcquireLease(handle.db, 'announcer', 'a', 30_000, now + 10_000)).toBe(true);
    expect(await readLease(handle.db, 'announcer')).toEqual({ name: 'announcer', holder: 'a', acquired_at: now, expires_at: now + 40_000 });
    expect(await tryAcquireLease(handle.db, 'announcer', 'b', 30_000, now + 40_000)).toBe(true);
    expect(await readLease(handle.db, 'announcer')).toEqual({ name: 'announcer', holder: 'b', acquired_at: now + 40_000, expires_at: now + 70_000 });
  });

  it('renews only for the holder, and not after a takeover', async () => {
    expect(await tryAcquireLease(handle.db, 'announcer', 'a', 1_000, 0)).toBe(true);
    expect(await renewLease(handle.db, 'announcer', 'b', 1_000, 500)).toBe(false);
    expect(await renewLease(handle.db, 'announcer', 'a', 1_000, 500)).toBe(true);
    expect(await tryAcquireLease(handle.db, 'announcer', 'b', 1_000, 1_499)).toBe(false);
    expect(await tryAcquireLease(handle.db, 'announcer', 'b', 1_000, 1_500)).toBe(true);
    expect(await renewLease(handle.db, 'announcer', 'a', 1_000, 1_600)).toBe(false);
  });

  it('never compares pids: a live lease written by another process with our pid (another container) is not ours', async () => {
    const sameHostAndPid = `${os.hostname()}:${process.pid}`;
    expect(await tryAcquireLease(handle.db, 'announcer', `${sameHostAndPid}:first-life`, 30_000)).toBe(true);
    expect(await tryAcquireLease(handle.db, 'announcer', `${sameHostAndPid}:second-life`, 30_000)).toBe(false);
  });

  it('keeps leases of different names apart, and frees a lease on release by its holder only', async () => {
    expect(await tryAcquireLease(handle.db, 'announcer', 'a', 30_000)).toBe(true);
    expect(await tryAcquireLease(handle.db, 'other', 'b', 30_000)).toBe(true);
    await releaseLease(handle.db, 'announcer', 'b');
    expect((await readLease(handle.db, 'announcer'))?.holder).toBe('a');
    await releaseLease(handle.db, 'announcer', 'a');
    expect(await readLease(handle.db, 'announcer')).toBeNull();
    expect(await tryAcquireLease(handle.db, 'announcer', 'b', 30_000)).toBe(true);
  });
});

describe('holding a lease', () => {
  it('keeps a lease renewed, refuses a second holder after seeing it renewed, and frees it at once on release', async () => {
    const first = await hold({ lengthMs: 600 });
    const before = await readLease(handle.db, 'announcer');
    const second = hold({ lengthMs: 600 });
    await expect(second).rejects.toBeInstanceOf(LeaseHeldError);
    await expect(second).rejects.toThrow(
      `lease: the announcer lease of this state store is held by another paperbot process that keeps renewing it (${first.holder}). Two bots announcing from one store would post papers twice: stop the other process, or give this one its own STATE_DIR or DATABASE_URL.`,
    );
    expect((await readLease(handle.db, 'announcer'))!.expires_at).toBeGreaterThan(before!.expires_at);
    expect(first.held()).toBe(true);
    await first.release();
    expect(first.held()).toBe(false);
    const third = await hold({ lengthMs: 600 });
    expect(third.held()).toBe(true);
  });

  it('takes over from a holder that stopped renewing, once its lease has expired', async () => {
    await tryAcquireLease(handle.db, 'announcer', 'crashed', 400);
    const started = Date.now();
    const lease = await hold({ lengthMs: 400 });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect((await readLease(handle.db, 'announcer'))?.holder).toBe(lease.holder);
  });

  it('stops counting itself the holder when it cannot renew in time, and reports a takeover once', async () => {
    // Only the wall clock is faked: the heartbeat's timers run for real.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const lost: unknown[] = [];
    const logLost = loggerOver((_level, msg, fields) => msg.startsWith('lease: lost') && lost.push(fields.newHolder));
    const lease = await hold({ lengthMs: 300, log: logLost });
    vi.setSystemTime(224);
    expect(lease.held()).toBe(true);
    vi.setSystemTime(225);
    expect(lease.held()).toBe(false);
    expect(await tryAcquireLease(handle.db, 'announcer', 'newcomer', 300, 300)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(lost).toEqual(['newcomer']);
    vi.setSystemTime(0);
    expect(lease.held()).toBe(false);
  });
});

/** A racer process (test/db/lease-racer.ts) on the test's database. */
class Racer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #waiting: Array<(line: Record<string, unknown>) => void> = [];

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', RACER, url], { cwd: REPO_ROOT });
    this.#lines = createInterface({ input: this.child.stdout });
    this.#lines.on('line', (line) => this.#waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
  }

  next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  close(): void {
    this.child.stdin.end();
  }
}

// Both racers try the lease `name` at the same instant; returns how many won and the row's holder after.
async function race(racers: Racer[], holders: string[], name: string): Promise<{ winners: string[]; row: string | null }> {
  const startAt = Date.now() + 40;
  const answers = racers.map((racer) => racer.next());
  for (const racer of racers) racer.send(`${name} ${startAt}`);
  const results = await Promise.all(answers);
  const winners = results.flatMap((result, i) => (result['won'] === true ? [holders[i]!] : []));
  return { winners, row: (await readLease(handle.db, name))?.holder ?? null };
}

describe('two processes racing for one lease', () => {
  it('gives a fresh lease and a stale one to exactly one of two racing processes, 100 times each', { timeout: 120_000 }, async () => {
    const racers = [new Racer(), new Racer()];
    try {
      const holders = (await Promise.all(racers.map((racer) => racer.next()))).map((ready) => String(ready['holder']));
      const outcomes: Array<{ kind: string; winners: string[]; row: string | null }> = [];
      for (let round = 0; round < 100; round += 1) {
        outcomes.push({ kind: 'fresh', ...(await race(racers, holders, `fresh-${round}`)) });
        // A lease its holder stopped renewing a moment ago.
        await handle.db.insertInto('leases').values({ name: `stale-${round}`, holder: 'a process that died', acquired_at: Date.now() - 60_000, expires_at: Date.now() - 1 }).execute();
        outcomes.push({ kind: 'stale', ...(await race(racers, holders, `stale-${round}`)) });
      }
      const bad = outcomes.filter((outcome) => outcome.winners.length !== 1 || outcome.row !== outcome.winners[0]);
      expect(bad).toEqual([]);
      // Both racers won sometimes: the race was real, not decided by start order.
      const wins = holders.map((holder) => outcomes.filter((outcome) => outcome.winners[0] === holder).length);
      expect(wins.every((count) => count > 0)).toBe(true);
    } finally {
      for (const racer of racers) racer.close();
    }
  });
});
