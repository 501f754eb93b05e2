import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer, type Announcer, type AnnouncerOptions } from '../../src/announce/announcer.js';
import { BACKOFF_BASE_MS } from '../../src/announce/retry.js';
import { messageNonce } from '../../src/announce/messages.js';
import { ANNOUNCER_LEASE, holdLease, type HeldLease } from '../../src/db/lease.js';
import { seenKeys } from '../../src/db/seen.js';
import { ensureGuild, setAnnounceChannel } from '../../src/db/settings.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { arrayLogger, corpusOf, manualScheduler, paper, recordingPost } from './helpers.js';

const CHANNEL = '123456789012345678';
const GUILD = '223456789012345678';
const ABSTRACT = 'We study how to learn causal variables from high-dimensional observations, and when they are identifiable.';
const old1 = paper('Causal Representation Learning', '2021-02-01');
const old2 = paper('Object-Centric Slots', '2022-05-10');
const new1 = paper('Scalable Mechanistic Networks', '2025-04-01');
const new2 = paper('Assaying Out-Of-Distribution Generalization', '2024-07-19');

let database: TempDatabase;
let running: Announcer[];

beforeEach(async () => {
  database = await tempDatabase('announce');
  running = [];
});

let leases: HeldLease[] = [];

afterEach(async () => {
  for (const announcer of running) await announcer.stop();
  for (const lease of leases.splice(0)) await lease.release();
  await database.remove();
});

async function start(options: Partial<AnnouncerOptions> & Pick<AnnouncerOptions, 'post'>): Promise<Announcer> {
  const announcer = await createAnnouncer({ db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, log: arrayLogger().log, schedule: manualScheduler().schedule, ...options });
  running.push(announcer);
  return announcer;
}

async function stop(announcer: Announcer): Promise<void> {
  running = running.filter((a) => a !== announcer);
  await announcer.stop();
}

describe('announcer', () => {
  it('takes the corpus of the first start as the baseline and posts nothing', async () => {
    const recorder = recordingPost();
    const announcer = await start({ post: recorder.post });
    announcer.update(corpusOf([old1, old2]));
    await announcer.idle();
    expect(recorder.attempts).toBe(0);
    expect(announcer.preview(GUILD).pending).toEqual([]);
    const ids = (await seenKeys(database.handle.db, GUILD)).filter((key) => key.kind === 'id').map((key) => key.value);
    expect(ids.sort()).toEqual([old1.id, old2.id].sort());
  });

  it('announces two new papers once, oldest first, with mentions off, and nothing again for the same corpus or after a restart', async () => {
    const recorder = recordingPost();
    const first = await start({ post: recorder.post });
    first.update(corpusOf([old1, old2]));
    first.update(corpusOf([old1, old2, new1, new2]));
    await first.idle();
    expect(recorder.messages).toHaveLength(1);
    expect(recorder.messages[0]?.channelId).toBe(CHANNEL);
    expect(recorder.messages[0]?.body.allowed_mentions).toEqual({ parse: [] });
    expect(recorder.titles()).toEqual([new2.title, new1.title]);

    first.update(corpusOf([old1, old2, new1, new2]));
    await first.idle();
    expect(recorder.titles()).toHaveLength(2);

    await stop(first);
    const second = await start({ post: recorder.post });
    second.update(corpusOf([old1, old2, new1, new2]));
    await second.idle();
    expect(recorder.titles()).toHaveLength(2);
    expect(second.preview(GUILD).pending).toEqual([]);
  });

  it('does not announce a paper whose id changed because a typo in its title was corrected', async () => {
    const recorder = recordingPost();
    const announcer = await start({ post: recorder.post });
    const typo = paper('Causal Represntation Learning', '2021-02-01', { abstract: ABSTRACT });
    announcer.update(corpusOf([typo, old2]));
    const corrected = paper('Causal Representation Learning', typo.date, { abstract: ABSTRACT });
    expect(corrected.id).not.toBe(typo.id);
    announcer.update(corpusOf([corrected, old2]));
    const reworded = paper('Causal Representation Learning.', typo.date, { abstract: `${ABSTRACT} Now with code.` });
    announcer.update(corpusOf([reworded, old2]));
    await announcer.idle();
    expect(recorder.attempts).toBe(0);
    const ids = (await seenKeys(database.handle.db, GUILD)).filter((key) => key.kind === 'id').map((key) => key.value);
    expect(ids).toContain(corrected.id);
  });

  it('announces a different paper by the same first author on the same day', async () => {
    const recorder = recordingPost();
    const announcer = await start({ post: recorder.post });
    announcer.update(corpusOf([old1]));
    const sibling = paper('Identifiable Slot Models', old1.date);
    announcer.update(corpusOf([old1, sibling]));
    await announcer.idle();
    expect(recorder.titles()).toEqual([sibling.title]);
  });

  it('announces Part II beside Part I, and logs a corrected title with both titles without announcing it', async () => {
    const recorder = recordingPost();
    const { log, lines } = arrayLogger();
    const announcer = await start({ post: recorder.post, log });
    const part1 = paper('Learning Causal Structure from Time Series, Part I', '2024-03-01', { abstract: ABSTRACT });
    announcer.update(corpusOf([old1, part1]));
    const part2 = paper('Learning Causal Structure from Time Series, Part II', '2024-03-01');
    announcer.update(corpusOf([old1, part1, part2]));
    await announcer.idle();
    expect(recorder.titles()).toEqual([part2.title]);

    const corrected = paper('Learning Causal Structure from Time Series, Part One', '2024-03-01', { abstract: ABSTRACT });
    announcer.update(corpusOf([old1, corrected, part2]));
    await announcer.idle();
    expect(recorder.titles()).toEqual([part2.title]);
    const retitles = lines.filter((line) => line.msg === 'announce: a corrected version of an announced paper (not announced again)');
    expect(retitles.map(({ guildId, id, title, previousTitle, matchedBy }) => ({ guildId, id, title, previousTitle, matchedBy }))).toEqual([
      { guildId: GUILD, id: corrected.id, title: corrected.title, previousTitle: part1.title, matchedBy: 'abstract' },
    ]);

    // The retitle's keys are stored: after a restart it is still not news.
    await stop(announcer);
    const again = await start({ post: recorder.post });
    again.update(corpusOf([old1, corrected, part2]));
    await again.idle();
    expect(recorder.titles()).toEqual([part2.title]);
  });

  it('retries a failed message with the same nonce, derived from its server, channel and papers', async () => {
    const nonces: string[] = [];
    const timers = manualScheduler();
    let fail = true;
    const announcer = await start({
      post: async (_channel, body) => {
        nonces.push(body.nonce);
        expect(body.enforce_nonce).toBe(true);
        if (fail) throw new HTTPError(503, 'Service Unavailable', 'POST', '/channels/x/messages', {});
      },
      schedule: timers.schedule,
    });
    announcer.update(corpusOf([old1]));
    announcer.update(corpusOf([old1, new1, new2]));
    await announcer.idle();
    fail = false;
    timers.fireAll();
    await announcer.idle();
    const expected = messageNonce('papers', [new1, new2], `${GUILD}:${CHANNEL}`);
    expect(nonces).toEqual([expected, expected]);
    expect(expected).not.toBe(messageNonce('papers', [new1, new2]));
  });

  it('posts one summary for more new papers than maxPapers, records them all, and logs it', async () => {
    const recorder = recordingPost();
    const { log, lines } = arrayLogger();
    const first = await start({ post: recorder.post, log, maxPapers: 3 });
    first.update(corpusOf([old1]));
    const drop = [new1, new2, old2, paper('A Fourth New Paper', '2025-06-01')];
    first.update(corpusOf([old1, ...drop]));
    await first.idle();
    expect(recorder.messages.map((m) => m.body.embeds.map((e) => e.title))).toEqual([['4 new papers from Ada Lovelace']]);
    expect(recorder.messages[0]?.body.nonce).toBe(messageNonce('summary', drop, `${GUILD}:${CHANNEL}`));
    expect(first.preview(GUILD).pending).toEqual([]);
    const logged = lines.find((line) => line.msg === 'announce: too many new papers at once; posted one summary and recorded them all');
    expect(logged).toMatchObject({ guildId: GUILD, papers: 4, perOwner: { 'Ada Lovelace': 4 }, maxPapers: 3 });
    await stop(first);

    const second = await start({ post: recorder.post, maxPapers: 3 });
    second.update(corpusOf([old1, ...drop]));
    await second.idle();
    expect(recorder.messages).toHaveLength(1);
  });

  it('posts one summary for a drop of thousands of papers, and records them all', async () => {
    const recorder = recordingPost();
    const first = await start({ post: recorder.post });
    first.update(corpusOf([old1]));
    const drop = Array.from({ length: 6_000 }, (_, i) => paper(`Bulk Imported Study ${i + 1}`, '2025-01-01'));
    first.update(corpusOf([old1, ...drop]));
    await first.idle();
    expect(recorder.messages.map((m) => m.body.embeds.map((e) => e.title))).toEqual([['6,000 new papers from Ada Lovelace']]);
    const posted = await database.handle.db.selectFrom('announcements').select((eb) => eb.fn.countAll<number>().as('n')).where('posted_at', 'is not', null).executeTakeFirst();
    expect(Number(posted?.n)).toBe(6_000);
    await stop(first);
    const second = await start({ post: recorder.post });
    second.update(corpusOf([old1, ...drop]));
    await second.idle();
    expect(recorder.messages).toHaveLength(1);
  });

  it('posts nothing once another process has taken the lease over, and keeps the papers pending', async () => {
    const recorder = recordingPost();
    const { log, lines } = arrayLogger();
    const timers = manualScheduler();
    const db = database.handle.db;
    const lease = await holdLease(db, { name: ANNOUNCER_LEASE, lengthMs: 300, log });
    leases.push(lease);
    const announcer = await start({ post: recorder.post, log, lease, schedule: timers.schedule });
    announcer.update(corpusOf([old1]));
    await announcer.idle();
    await db.updateTable('leases').set({ holder: 'another process', expires_at: Date.now() + 60_000 }).where('name', '=', ANNOUNCER_LEASE).execute();
    const lost = 'lease: lost; another process took it over after this one stopped renewing in time';
    for (let waited = 0; waited < 5_000 && !lines.some((line) => line.msg === lost); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    announcer.update(corpusOf([old1, new1]));
    await announcer.idle();
    timers.fireAll();
    await announcer.idle();
    expect(await announcer.postNow(GUILD)).toEqual({ posted: 0, pending: 1, error: null });
    expect(recorder.attempts).toBe(0);
    expect(announcer.preview(GUILD).pending.map((p) => p.title)).toEqual([new1.title]);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining([lost, 'announce: not posting: this process does not hold the announcer lease right now']));
    expect(await db.selectFrom('announcements').selectAll().execute()).toEqual([]);
  });

  it('keeps trying a failed post that /announce now found without the lease, and posts it once the lease is back', async () => {
    const recorder = recordingPost();
    const timers = manualScheduler();
    let held = true;
    const announcer = await start({ post: recorder.post, lease: { held: () => held }, schedule: timers.schedule });
    announcer.update(corpusOf([old1]));
    recorder.failWith = new HTTPError(503, 'Service Unavailable', 'POST', '/x', {});
    announcer.update(corpusOf([old1, new1]));
    await announcer.idle();
    held = false;
    expect(await announcer.postNow(GUILD)).toEqual({ posted: 0, pending: 1, error: 'Discord had a server error (503): Service Unavailable' });
    expect(timers.timers.filter((timer) => !timer.cancelled)).toHaveLength(1);
    held = true;
    recorder.failWith = undefined;
    timers.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual([new1.title]);
  });

  it('posts the N newest papers once on the first start when a backfill is asked for', async () => {
    const recorder = recordingPost();
    const first = await start({ post: recorder.post, backfill: 2 });
    first.update(corpusOf([old1, old2, new1, new2]));
    await first.idle();
    expect(recorder.titles()).toEqual([new2.title, new1.title]);
    await stop(first);

    const second = await start({ post: recorder.post, backfill: 2 });
    second.update(corpusOf([old1, old2, new1, new2]));
    await second.idle();
    expect(recorder.titles()).toHaveLength(2);
  });

  it('keeps papers pending through failed posts, logs the failure once, and announces them once when a retry succeeds', async () => {
    const recorder = recordingPost();
    const timers = manualScheduler();
    const { log, lines } = arrayLogger('debug');
    const announcer = await start({ post: recorder.post, schedule: timers.schedule, log, random: () => 1 });
    announcer.update(corpusOf([old1]));
    await announcer.idle();

    recorder.failWith = new DiscordAPIError({ code: 50001, message: 'Missing Access' }, 50001, 403, 'POST', '/channels/x/messages', {});
    announcer.update(corpusOf([old1, new1, new2]));
    await announcer.idle();
    for (let retry = 0; retry < 3; retry += 1) {
      timers.fireAll();
      await announcer.idle();
    }
    expect(recorder.attempts).toBe(4);
    expect(recorder.messages).toEqual([]);
    expect(announcer.preview(GUILD).pending.map((p) => p.title)).toEqual([new2.title, new1.title]);
    expect(announcer.preview(GUILD).lastError).toMatchInlineSnapshot(`"the bot cannot see the channel (Missing Access); give it View Channel there (403, code 50001)"`);
    expect(timers.timers.map((t) => t.delayMs)).toEqual([BACKOFF_BASE_MS * 8]);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatchInlineSnapshot(`"announce: posting failed; the papers stay pending and are retried with backoff"`);

    recorder.failWith = undefined;
    timers.fireAll();
    await announcer.idle();
    timers.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual([new2.title, new1.title]);
    expect(announcer.preview(GUILD)).toMatchObject({ pending: [], lastError: null, retryAt: null });
    expect(lines.filter((line) => line.msg === 'announce: posting works again')).toHaveLength(1);
    // A success starts the backoff over: the next failure waits the first step again.
    recorder.failWith = new HTTPError(503, 'Service Unavailable', 'POST', '/x', {});
    announcer.update(corpusOf([old1, old2, new1, new2]));
    await announcer.idle();
    expect(timers.timers.filter((t) => !t.cancelled).map((t) => t.delayMs)).toEqual([BACKOFF_BASE_MS]);
  });

  it('waits at least as long as a rate limit asks before retrying', async () => {
    const recorder = recordingPost();
    const timers = manualScheduler();
    const announcer = await start({ post: recorder.post, schedule: timers.schedule, random: () => 0 });
    announcer.update(corpusOf([]));
    recorder.failWith = new RateLimitError({
      timeToReset: 120_000, limit: 5, method: 'POST', hash: 'h', url: '/x', route: '/channels/:id/messages',
      majorParameter: CHANNEL, global: false, retryAfter: 120_000, sublimitTimeout: 0, scope: 'user',
    });
    announcer.update(corpusOf([new1]));
    await announcer.idle();
    expect(timers.timers[0]?.delayMs).toBe(120_000);
  });

  it('posts pending papers at once on postNow, cancelling the wait, and reports a failure', async () => {
    const recorder = recordingPost();
    const timers = manualScheduler();
    const announcer = await start({ post: recorder.post, schedule: timers.schedule });
    announcer.update(corpusOf([]));
    recorder.failWith = new HTTPError(503, 'Service Unavailable', 'POST', '/x', {});
    announcer.update(corpusOf([new1]));
    await announcer.idle();
    expect(await announcer.postNow(GUILD)).toMatchInlineSnapshot(`
      {
        "error": "Discord had a server error (503): Service Unavailable",
        "pending": 1,
        "posted": 0,
      }
    `);
    recorder.failWith = undefined;
    expect(await announcer.postNow(GUILD)).toEqual({ posted: 1, pending: 0, error: null });
    expect(timers.timers.filter((t) => !t.cancelled)).toEqual([]);
    expect(recorder.titles()).toEqual([new1.title]);
  });

  it('takes the keys of announced.json as the starting baseline once, so nothing in it is announced again', async () => {
    const recorder = recordingPost();
    const { log, lines } = arrayLogger();
    const imported = { keys: [old1.id, new1.id].map((value) => ({ kind: 'id' as const, value })), papers: 2 };
    const first = await start({ post: recorder.post, imported, log });
    first.update(corpusOf([old1, new1, new2]));
    await first.idle();
    expect(recorder.titles()).toEqual([new2.title]);
    expect(lines.filter((line) => String(line.msg).startsWith('announce: imported announced.json'))).toHaveLength(1);
    await stop(first);

    const again = await start({ post: recorder.post, imported, log });
    again.update(corpusOf([old1, new1, new2]));
    await again.idle();
    expect(recorder.titles()).toEqual([new2.title]);
    expect(lines.filter((line) => String(line.msg).startsWith('announce: imported announced.json'))).toHaveLength(1);
  });

  it('posts an open claim in its own message with its nonce, apart from papers that came in since (a takeover)', async () => {
    const recorder = recordingPost();
    const first = await start({ post: recorder.post });
    first.update(corpusOf([old1]));
    await first.idle();
    const dying = async (channelId: string, body: Parameters<typeof recorder.post>[1]): Promise<void> => {
      await recorder.post(channelId, body);
      throw new Error('killed before the record');
    };
    const second = await start({ post: dying });
    await stop(first);
    second.update(corpusOf([old1, new1]));
    await second.idle();
    await stop(second);
    // The next announcer finds new2 as well: batched with new1, the message would have a new nonce and be posted twice.
    const third = await start({ post: recorder.post });
    third.update(corpusOf([old1, new1, new2]));
    await third.idle();
    expect(recorder.messages.map((message) => message.body.embeds.map((embed) => embed.title))).toEqual([[new1.title], [new1.title], [new2.title]]);
    expect(recorder.messages[1]?.body.nonce).toBe(recorder.messages[0]?.body.nonce);
    expect(recorder.messages[2]?.body.nonce).not.toBe(recorder.messages[0]?.body.nonce);
  });

  it('posts a claim left open by a crash again, with the same nonce, and nothing else twice', async () => {
    const recorder = recordingPost();
    const first = await start({ post: recorder.post });
    first.update(corpusOf([old1]));
    await first.idle();
    // The process "dies" after claiming and posting, before recording: the claim stays open.
    let crash = true;
    const dying = async (channelId: string, body: Parameters<typeof recorder.post>[1]): Promise<void> => {
      await recorder.post(channelId, body);
      if (crash) throw new Error('killed before the record');
    };
    const second = await start({ post: dying });
    await stop(first);
    second.update(corpusOf([old1, new1]));
    await second.idle();
    await stop(second);
    crash = false;
    const third = await start({ post: recorder.post });
    third.update(corpusOf([old1, new1]));
    await third.idle();
    expect(recorder.titles()).toEqual([new1.title, new1.title]);
    expect(recorder.messages[0]?.body.nonce).toBeTruthy();
    expect(recorder.messages[1]?.body.nonce).toBe(recorder.messages[0]?.body.nonce);
    expect(recorder.messages[1]?.body.enforce_nonce).toBe(true);
    third.update(corpusOf([old1, new1]));
    await third.idle();
    expect(recorder.messages).toHaveLength(2);
  });

  it('shows nothing pending before the first corpus has been taken in', async () => {
    const announcer = await start({ post: recordingPost().post });
    expect(announcer.preview(GUILD)).toMatchObject({ channelId: CHANNEL, pending: [] });
  });
});

describe('stopping the announcer', () => {
  it('does not wait forever for a post that never settles, and frees the state directory', async () => {
    const { log, lines } = arrayLogger();
    let posting: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      posting = resolve;
    });
    const never = (): Promise<void> => {
      posting();
      return new Promise(() => {});
    };
    const announcer = await createAnnouncer({ db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, post: never, log, schedule: manualScheduler().schedule });
    announcer.update(corpusOf([]));
    announcer.update(corpusOf([new1]));
    await inFlight;
    await announcer.stop(10);
    expect(lines.map((line) => line.msg)).toContain('announce: stopped with a post still in flight; its claim stays open and the next start posts it again with the same nonce');
    const next = await start({ post: recordingPost().post });
    expect(next.preview(GUILD).channelId).toBe(CHANNEL);
  });
});

describe('announcing per server', () => {
  const OTHER_GUILD = '323456789012345678';
  const OTHER_CHANNEL = '423456789012345678';

  it('posts each new paper once in each server, in its own channel, and a server added later starts from its own baseline', async () => {
    const recorder = recordingPost();
    const db = database.handle.db;
    const first = await start({ post: recorder.post });
    await ensureGuild(db, OTHER_GUILD, { announceChannelId: OTHER_CHANNEL }, Date.now());
    first.update(corpusOf([old1]));
    await first.idle();
    first.update(corpusOf([old1, new1]));
    await first.idle();
    const perChannel = (channelId: string): string[] => recorder.messages.filter((m) => m.channelId === channelId).flatMap((m) => m.body.embeds.map((e) => e.title ?? ''));
    expect(perChannel(CHANNEL)).toEqual([new1.title]);
    expect(perChannel(OTHER_CHANNEL)).toEqual([new1.title]);
    expect(recorder.messages[0]?.body.nonce).not.toBe(recorder.messages[1]?.body.nonce);

    // A third server met now: the present corpus (with new1) is its baseline; only new2 is news there.
    const LATE_GUILD = '523456789012345678';
    const LATE_CHANNEL = '623456789012345678';
    await ensureGuild(db, LATE_GUILD, { announceChannelId: LATE_CHANNEL }, Date.now());
    await first.refreshServers(LATE_GUILD);
    expect(perChannel(LATE_CHANNEL)).toEqual([]);
    first.update(corpusOf([old1, new1, new2]));
    await first.idle();
    expect(perChannel(LATE_CHANNEL)).toEqual([new2.title]);
    expect(perChannel(CHANNEL)).toEqual([new1.title, new2.title]);
    expect(perChannel(OTHER_CHANNEL)).toEqual([new1.title, new2.title]);

    await stop(first);
    const again = await start({ post: recorder.post });
    again.update(corpusOf([old1, new1, new2]));
    await again.idle();
    expect(recorder.messages).toHaveLength(5);
  });

  it('counts papers added while a server has announcements off as seen, so switching them on does not flood the channel', async () => {
    const recorder = recordingPost();
    const db = database.handle.db;
    const announcer = await start({ post: recorder.post });
    announcer.update(corpusOf([old1]));
    await announcer.idle();
    await setAnnounceChannel(db, GUILD, null, Date.now());
    await announcer.refreshServers(GUILD);
    announcer.update(corpusOf([old1, new1]));
    await announcer.idle();
    expect(announcer.preview(GUILD)).toMatchObject({ channelId: null, pending: [] });
    await setAnnounceChannel(db, GUILD, CHANNEL, Date.now());
    await announcer.refreshServers(GUILD);
    announcer.update(corpusOf([old1, new1, new2]));
    await announcer.idle();
    expect(recorder.titles()).toEqual([new2.title]);
  });
});

