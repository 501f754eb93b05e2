/**
 * The announcing wiring of the live library (src/live/announcing.ts) against a real SQLite state store and a real
 * live library over pages on disk: who announces while another process holds the announcer lease. Nothing is
 * posted (the seed corpus is the baseline), so Discord's REST points nowhere.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Announcer } from '../../src/announce/announcer.js';
import { ANNOUNCER_LEASE, LeaseHeldError, holdLease, readLease, type HeldLease } from '../../src/db/lease.js';
import { liveUpdates, type AnnouncingOptions } from '../../src/live/announcing.js';
import { openLiveLibrary, type LiveLibrary } from '../../src/live/watch.js';
import { arrayLogger, removeDir, tempDir } from '../announce/helpers.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';

const LEASE_MS = 900;
const STANDING_BY = 'standby: another replica announces; this one answers interactions and takes over when it stops';

let dataDir: string;
let stateDir: string;
let database: TempDatabase;
let logged: ReturnType<typeof arrayLogger>;
let library: LiveLibrary;
let other: HeldLease;
let taken: Announcer[];
let stops: Array<() => Promise<void>>;

beforeEach(async () => {
  dataDir = await tempDir('announcing-data');
  stateDir = await tempDir('announcing-state');
  database = await tempDatabase('announcing-db');
  await copyFile('data/profiles/francesco-locatello.txt', join(dataDir, 'francesco-locatello.txt'));
  logged = arrayLogger();
  taken = [];
  stops = [];
  // Another process announces: it holds the lease and keeps renewing it.
  other = await holdLease(database.handle.db, { name: ANNOUNCER_LEASE, lengthMs: LEASE_MS, log: logged.log });
  stops.push(() => other.release());
  library = await openLiveLibrary({ dir: dataDir, stateDir, asOf: new Date('2025-11-01T00:00:00Z'), log: logged.log, rescanMs: 3_600_000, debounceMs: 50, settleMs: 0 });
  stops.push(() => library.stop());
});

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  await removeDir(dataDir);
  await removeDir(stateDir);
  await database.remove();
});

function announcing(standby: boolean): AnnouncingOptions {
  return {
    config: { stateDir, announceChannelId: '987654321098765432', announceBackfill: 0, announceMaxPapers: 10, announceLeaseMs: LEASE_MS, discordGuildId: '887654321098765432' },
    rest: new REST({ api: 'http://127.0.0.1:9/api' }),
    db: database.handle.db,
    log: logged.log,
    standby,
    onAnnouncing: (announcer) => taken.push(announcer),
  };
}

const said = (msg: string): boolean => logged.lines.some((line) => line.msg === msg);

const POLL = { timeout: 15_000, interval: 20 };

describe('announcing while another process holds the announcer lease', () => {
  it('refuses the gateway bot at start, before it would log in', async () => {
    await expect(liveUpdates(library, announcing(false))).rejects.toBeInstanceOf(LeaseHeldError);
    expect(taken).toEqual([]);
    expect((await readLease(database.handle.db, ANNOUNCER_LEASE))?.holder).toBe(other.holder);
  });

  it('has a standby follow the pages without announcing, then take over from the settled corpus once the lease is given up', async () => {
    const updates = await liveUpdates(library, announcing(true));
    stops.push(() => updates.stop());
    await updates.start();
    await expect.poll(() => said(STANDING_BY), POLL).toBe(true);
    await expect.poll(() => library.settled !== null, POLL).toBe(true);
    // The holder keeps renewing for longer than a lease: the standby keeps waiting.
    await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
    expect(updates.announcer()).toBeNull();
    expect(taken).toEqual([]);
    expect(logged.lines.filter((line) => line.level === 'error')).toEqual([]);

    await other.release();
    await expect.poll(() => updates.announcer() !== null, POLL).toBe(true);
    const announcer = updates.announcer()!;
    expect(taken).toEqual([announcer]);
    await announcer.idle();
    expect(announcer.corpus).toBe(library.settled);
    await expect.poll(() => said('standby: took over announcing'), POLL).toBe(true);

    await updates.stop();
    expect(await readLease(database.handle.db, ANNOUNCER_LEASE)).toBeNull();
  });

  it('stops a standby while it waits, leaving the lease to its holder', async () => {
    const updates = await liveUpdates(library, announcing(true));
    await updates.start();
    await expect.poll(() => said(STANDING_BY), POLL).toBe(true);
    await updates.stop();
    expect(taken).toEqual([]);
    expect(logged.lines.filter((line) => line.level === 'error')).toEqual([]);
    expect((await readLease(database.handle.db, ANNOUNCER_LEASE))?.holder).toBe(other.holder);
  });
});
