/** Digests over a real SQLite file: when one is due, what it lists, and once per server and period across restarts. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeaseCheck } from '../../src/announce/announcer.js';
import type { AnnouncementBody } from '../../src/announce/messages.js';
import { createDigestScheduler, digestMessage, lastDue } from '../../src/announce/digest.js';
import { recordNewPapers } from '../../src/db/announcements.js';
import { ensureGuild, setDigest } from '../../src/db/settings.js';
import { silentLogger } from '../../src/log.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { corpusOf, manualScheduler, paper } from './helpers.js';

const GUILD = '710000000000000001';
const CHANNEL = '710000000000000002';
const HOUR = 3_600_000;
const enabledAt = Date.parse('2026-12-01T10:00:00Z');
const dueAt = Date.parse('2026-12-02T09:00:00Z');
const ada1 = paper('Ada One', '2025-05-01', { owners: ['Ada Lovelace'] });
const ada2 = paper('Ada Two', '2025-07-01', { owners: ['Ada Lovelace'] });
const grace = paper('Grace One', '2025-06-01', { owners: ['Grace Hopper'] });
const corpus = corpusOf([ada1, ada2, grace]);

let database: TempDatabase;

beforeEach(async () => {
  database = await tempDatabase('digest');
  await ensureGuild(database.handle.db, GUILD, { announceChannelId: CHANNEL }, enabledAt);
  await setDigest(database.handle.db, GUILD, { schedule: 'daily', weekday: 1, hour: 9 }, enabledAt);
});

afterEach(async () => {
  await database.remove();
});

// A scheduler as a (re)started bot has it, at a fixed time, posting into `posts`.
function scheduler(now: number, posts: Array<{ channelId: string; body: AnnouncementBody }>, fail = false, lease?: LeaseCheck) {
  return createDigestScheduler({
    db: database.handle.db,
    ...(lease ? { lease } : {}),
    log: silentLogger,
    corpus: () => corpus,
    run: async (task) => task(),
    now: () => new Date(now),
    post: async (channelId, body) => {
      if (fail) throw new Error('Discord is down');
      posts.push({ channelId, body });
    },
  });
}

describe('when a digest is due', () => {
  it('is the last scheduled hour at or before now, in UTC', () => {
    const daily = { schedule: 'daily' as const, weekday: 1, hour: 9, since: 0 };
    expect(lastDue(daily, new Date('2026-12-04T09:00:00Z'))?.toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(lastDue(daily, new Date('2026-12-04T08:59:59Z'))?.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    // 2026-12-04 is a Friday (5); a weekly digest on Mondays was last due on Nov 30.
    expect(lastDue({ ...daily, schedule: 'weekly' }, new Date('2026-12-04T10:00:00Z'))?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(lastDue({ ...daily, schedule: 'off' }, new Date())).toBeNull();
  });
});

describe('the digest', () => {
  it('lists the papers found since the last one, newest first, grouped by owner when there are several pages', () => {
    const body = digestMessage([ada1, grace, ada2], 'weekly', enabledAt, 'n');
    const embed = body.embeds[0];
    expect(embed?.title).toBe('New papers this week');
    expect(embed?.fields?.map((field) => field.name)).toEqual(['Ada Lovelace (2)', 'Grace Hopper (1)']);
    const ada = embed?.fields?.[0]?.value ?? '';
    expect(ada.indexOf('Ada Two')).toBeLessThan(ada.indexOf('Ada One'));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const single = digestMessage([ada1, ada2], 'daily', enabledAt, 'n').embeds[0];
    expect(single?.fields).toBeUndefined();
    expect(single?.description?.indexOf('Ada Two')).toBeLessThan(single?.description?.indexOf('Ada One') ?? 0);
  });

  it("re-reads the schedules on its own with pollMs: a digest another process switched on is posted without a refresh", async () => {
    await recordNewPapers(database.handle.db, [ada1, grace], enabledAt + HOUR);
    const make = (pollMs?: number) => {
      const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
      const digests = createDigestScheduler({ db: database.handle.db, log: silentLogger, corpus: () => corpus, run: async (task) => task(), now: () => new Date(dueAt + 1_000), post: async (channelId, body) => void posts.push({ channelId, body }), ...(pollMs ? { pollMs } : {}) });
      return { posts, digests };
    };
    const told = make();
    const polling = make(20);
    const deadline = Date.now() + 5_000;
    while (polling.posts.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    told.digests.stop();
    polling.digests.stop();
    // Only the polling scheduler found the schedule; the other waits to be told.
    expect(polling.posts).toHaveLength(1);
    expect(told.posts).toEqual([]);
  });

  it('waits for the first corpus: a check before it claims nothing, and the check after it posts the digest', async () => {
    await recordNewPapers(database.handle.db, [ada1, grace], enabledAt + HOUR);
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    let served: typeof corpus | null = null;
    const starting = createDigestScheduler({ db: database.handle.db, log: silentLogger, corpus: () => served, run: async (task) => task(), now: () => new Date(dueAt + 1_000), post: async (channelId, body) => void posts.push({ channelId, body }) });
    await starting.check(GUILD);
    expect(posts).toEqual([]);
    expect(await database.handle.db.selectFrom('digests').selectAll().execute()).toEqual([]);
    served = corpus;
    await starting.check(GUILD);
    starting.stop();
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body)).toContain('Grace One');
  });

  it('is posted once per server and period, even when a restarted bot checks again at the scheduled minute', async () => {
    await recordNewPapers(database.handle.db, [ada1, grace], enabledAt + HOUR);
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    const first = scheduler(dueAt + 1_000, posts);
    await first.check(GUILD);
    first.stop();
    const restarted = scheduler(dueAt + 30_000, posts);
    await restarted.refresh();
    await restarted.check(GUILD);
    restarted.stop();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.channelId).toBe(CHANNEL);
    expect(posts[0]?.body.embeds[0]?.fields?.map((field) => field.name)).toEqual(['Grace Hopper (1)', 'Ada Lovelace (1)']);
  });

  it('posts a digest that was due while the bot was down when it starts, and the next period lists only what came after', async () => {
    await recordNewPapers(database.handle.db, [ada1], enabledAt + HOUR);
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    const late = scheduler(dueAt + 5 * HOUR, posts);
    await late.refresh();
    late.stop();
    expect(posts).toHaveLength(1);
    await recordNewPapers(database.handle.db, [ada2], dueAt + 6 * HOUR);
    const next = scheduler(dueAt + 24 * HOUR, posts);
    await next.check(GUILD);
    next.stop();
    expect(posts).toHaveLength(2);
    const text = JSON.stringify(posts[1]?.body.embeds);
    expect(text).toContain('Ada Two');
    expect(text).not.toContain('Ada One');
  });

  it('posts nothing for a period with no new papers, nor before the first due time after it was switched on', async () => {
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    const early = scheduler(enabledAt + HOUR, posts);
    await recordNewPapers(database.handle.db, [ada1], enabledAt + 30 * 60_000);
    await early.check(GUILD);
    early.stop();
    expect(posts).toEqual([]);
    const db = database.handle.db;
    const empty = await tempDatabase('digest-empty');
    try {
      await ensureGuild(empty.handle.db, GUILD, { announceChannelId: CHANNEL }, enabledAt);
      await setDigest(empty.handle.db, GUILD, { schedule: 'daily', weekday: 1, hour: 9 }, enabledAt);
      const quiet = createDigestScheduler({ db: empty.handle.db, log: silentLogger, corpus: () => corpus, run: async (task) => task(), now: () => new Date(dueAt + 1_000), post: async (channelId, body) => void posts.push({ channelId, body }) });
      await quiet.check(GUILD);
      quiet.stop();
      expect(posts).toEqual([]);
      expect(await empty.handle.db.selectFrom('digests').select(['status', 'papers']).execute()).toEqual([{ status: 'empty', papers: 0 }]);
    } finally {
      await empty.remove();
    }
    expect(await db.selectFrom('digests').selectAll().execute()).toEqual([]);
  });

  it('posts and claims nothing while the announcer lease is not held, and posts the digest once it is', async () => {
    await recordNewPapers(database.handle.db, [ada1], enabledAt + HOUR);
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    let held = false;
    const digests = scheduler(dueAt + 1_000, posts, false, { held: () => held });
    await digests.refresh();
    await digests.check(GUILD);
    expect(posts).toEqual([]);
    expect(await database.handle.db.selectFrom('digests').selectAll().execute()).toEqual([]);
    held = true;
    await digests.check(GUILD);
    await digests.check(GUILD);
    digests.stop();
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body.embeds)).toContain('Ada One');
  });

  it('posts a claimed digest whose post failed at the next check, with the same nonce and the same papers', async () => {
    await recordNewPapers(database.handle.db, [ada1], enabledAt + HOUR);
    const posts: Array<{ channelId: string; body: AnnouncementBody }> = [];
    const failing = scheduler(dueAt + 1_000, posts, true);
    await failing.check(GUILD);
    failing.stop();
    await recordNewPapers(database.handle.db, [grace], dueAt + 2_000);
    const retry = scheduler(dueAt + 60_000, posts);
    await retry.check(GUILD);
    retry.stop();
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]?.body.embeds);
    expect(text).toContain('Ada One');
    expect(text).not.toContain('Grace One');
    expect(posts[0]?.body.nonce).toBeTruthy();
  });

  it('retries a digest whose post failed with backoff until it goes through, then posts it once; the next failure waits the first step again', async () => {
    await recordNewPapers(database.handle.db, [ada1], enabledAt + HOUR);
    const posts: AnnouncementBody[] = [];
    const timers = manualScheduler();
    let failures = 2;
    let at = dueAt + 1_000;
    const digests = createDigestScheduler({
      db: database.handle.db,
      log: silentLogger,
      corpus: () => corpus,
      run: async (task) => task(),
      now: () => new Date(at),
      schedule: timers.schedule,
      random: () => 1,
      post: async (_channelId, body) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('Discord is down');
        }
        posts.push(body);
      },
    });
    await digests.check(GUILD);
    expect(timers.timers.map((timer) => timer.delayMs)).toEqual([5_000]);
    timers.fireAll();
    await vi.waitFor(() => expect(timers.timers.map((timer) => timer.delayMs)).toEqual([10_000]));
    timers.fireAll();
    await vi.waitFor(() => expect(posts).toHaveLength(1));
    await digests.check(GUILD);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.embeds)).toContain('Ada One');
    expect(timers.timers).toEqual([]);
    // The next day's digest fails once: its retry starts from the first step.
    await recordNewPapers(database.handle.db, [grace], dueAt + HOUR);
    at += 24 * HOUR;
    failures = 1;
    await digests.check(GUILD);
    digests.stop();
    expect(timers.timers.map((timer) => ({ delayMs: timer.delayMs, cancelled: timer.cancelled }))).toEqual([{ delayMs: 5_000, cancelled: true }]);
  });
});
