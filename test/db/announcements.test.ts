/**
 * Exactly-once lives in the claim (src/db/announcements.ts): a paper posted in a server is never handed out for
 * posting there again, whatever this process remembers, and a second claim never undoes a posted one.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer, type Announcer } from '../../src/announce/announcer.js';
import { BACKOFF_BASE_MS } from '../../src/announce/retry.js';
import { claimAnnouncements, markAnnounced, unconfirmedClaims } from '../../src/db/announcements.js';
import { arrayLogger, corpusOf, manualScheduler, paper, recordingPost } from '../announce/helpers.js';
import { tempDatabase, type TempDatabase } from './helpers.js';

const GUILD = '223456789012345678';
const CHANNEL = '123456789012345678';

let database: TempDatabase;
const running: Announcer[] = [];

beforeEach(async () => {
  database = await tempDatabase('claims');
});

afterEach(async () => {
  for (const announcer of running.splice(0)) await announcer.stop();
  await database.remove();
});

async function postedAt(paperId: string): Promise<{ posted_at: number | null; nonce: string } | undefined> {
  return database.handle.db.selectFrom('announcements').select(['posted_at', 'nonce']).where('guild_id', '=', GUILD).where('paper_id', '=', paperId).executeTakeFirst();
}

describe('claiming announcements', () => {
  it('hands out a paper posted in the server never again, and the unposted ones beside it', async () => {
    const db = database.handle.db;
    expect(await claimAnnouncements(db, { guildId: GUILD, channelId: CHANNEL, paperIds: ['a'], nonce: 'n1', now: 1_000 })).toEqual(['a']);
    await markAnnounced(db, GUILD, ['a'], [], 2_000);
    expect(await claimAnnouncements(db, { guildId: GUILD, channelId: CHANNEL, paperIds: ['a', 'b'], nonce: 'n2', now: 3_000 })).toEqual(['b']);
  });

  it('hands a claim never confirmed out again, and a conflicting claim leaves its nonce and posted time alone', async () => {
    const db = database.handle.db;
    await claimAnnouncements(db, { guildId: GUILD, channelId: CHANNEL, paperIds: ['a', 'b'], nonce: 'n1', now: 1_000 });
    await markAnnounced(db, GUILD, ['a'], [], 2_000);
    // "b" was claimed but the process died before recording its post: it is handed out again, under its first nonce.
    expect(await claimAnnouncements(db, { guildId: GUILD, channelId: CHANNEL, paperIds: ['a', 'b'], nonce: 'n2', now: 3_000 })).toEqual(['b']);
    expect(await postedAt('a')).toEqual({ posted_at: 2_000, nonce: 'n1' });
    expect(await postedAt('b')).toEqual({ posted_at: null, nonce: 'n1' });
    expect(await unconfirmedClaims(db, GUILD, CHANNEL)).toEqual(new Map([['b', 'n1']]));
  });

  it('never posts again a paper another process already posted, although this one never loaded its keys', async () => {
    const other = recordingPost();
    const mine = recordingPost();
    const old = paper('Causal Representation Learning', '2021-02-01');
    const fresh = paper('Scalable Mechanistic Networks', '2025-04-01');
    const options = { db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, log: arrayLogger().log, schedule: manualScheduler().schedule };
    // Both start from the same baseline; this process reads its seen keys now, before the other posts.
    const first = await createAnnouncer({ ...options, post: other.post });
    running.push(first);
    first.update(corpusOf([old]));
    await first.idle();
    const second = await createAnnouncer({ ...options, post: mine.post });
    running.push(second);
    second.update(corpusOf([old]));
    await second.idle();
    // The other process posts the new paper and records it; this one's memory knows nothing of it.
    first.update(corpusOf([old, fresh]));
    await first.idle();
    expect(other.titles()).toEqual([fresh.title]);
    second.update(corpusOf([old, fresh]));
    await second.idle();
    expect(mine.attempts).toBe(0);
    expect((await postedAt(fresh.id))?.posted_at).not.toBeNull();
  });
});

describe('a database that fails while papers are pending', () => {
  it('tries the corpus again with backoff until it works, then posts the waiting papers once; the channel before the follows', async () => {
    const recorder = recordingPost();
    const scheduler = manualScheduler();
    const old = paper('Causal Representation Learning', '2021-02-01');
    const fresh = paper('Scalable Mechanistic Networks', '2025-04-01');
    const order: string[] = [];
    const announcer = await createAnnouncer({
      db: database.handle.db,
      start: { guildId: GUILD, channelId: CHANNEL },
      log: arrayLogger().log,
      schedule: scheduler.schedule,
      post: async (channelId, body) => {
        order.push('channel');
        await recorder.post(channelId, body);
      },
      onNewPapers: async () => (order.push('follows'), true),
    });
    running.push(announcer);
    announcer.update(corpusOf([old]));
    await announcer.idle();
    // The claims table is gone for a while (as a database that does not answer): the page's paper must not be lost.
    await sql`alter table announcements rename to announcements_away`.execute(database.handle.db);
    announcer.update(corpusOf([old, fresh]));
    await announcer.idle();
    expect(recorder.attempts).toBe(0);
    expect(scheduler.timers.filter((timer) => !timer.cancelled)).toHaveLength(1);
    // Still failing: tried again, later.
    scheduler.fireAll();
    await announcer.idle();
    const retry = scheduler.timers.filter((timer) => !timer.cancelled);
    expect(retry).toHaveLength(1);
    expect(retry[0]!.delayMs).toBeLessThanOrEqual(60_000);
    await sql`alter table announcements_away rename to announcements`.execute(database.handle.db);
    scheduler.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual([fresh.title]);
    expect(order).toEqual(['channel', 'follows']);
    // Once: nothing more is pending or scheduled.
    scheduler.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual([fresh.title]);
    // The success started the backoff over: the next outage is tried again after the first step.
    await sql`alter table announcements rename to announcements_away`.execute(database.handle.db);
    announcer.update(corpusOf([old, fresh, paper('Another Paper', '2025-05-01')]));
    await announcer.idle();
    const waiting = scheduler.timers.filter((timer) => !timer.cancelled);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.delayMs).toBeLessThanOrEqual(BACKOFF_BASE_MS);
    await sql`alter table announcements_away rename to announcements`.execute(database.handle.db);
  });
});
