/**
 * Follow deliveries over a real SQLite file: the announcer hands the papers found new to the deliverer, which
 * sends one DM per member and paper through a recording messenger (what the bot's discord.js REST calls do).
 */
import { DiscordAPIError, HTTPError } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import follow from '../../commands/follow.js';
import { createAnnouncer, type Announcer, type LeaseCheck } from '../../src/announce/announcer.js';
import { createFollowDeliverer } from '../../src/announce/deliveries.js';
import type { AnnouncementBody } from '../../src/announce/messages.js';
import { addFollow, followsOf, lastDelivery, type NewFollow } from '../../src/db/follows.js';
import type { CommandContext } from '../../src/discord/command.js';
import { SUBCOMMAND_OPTION } from '../../src/discord/options.js';
import { silentLogger } from '../../src/log.js';
import { PaperIndex } from '../../src/search/index.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { arrayLogger, corpusOf, manualScheduler, paper, recordingPost } from './helpers.js';

const GUILD = '700000000000000001';
const ADA = 'ada';
const old = paper('Slot Attention Before', '2024-01-01', { authors: ['Ada Lovelace'], owners: ['Ada Lovelace'] });
const both = paper('Slot Attention in the Wild', '2025-03-01', { authors: ['Ada Lovelace', 'Alan Turing'], owners: ['Ada Lovelace'] });
const topicOnly = paper('Slot Attention for Robots', '2025-03-02', { authors: ['Grace Hopper'], owners: ['Grace Hopper'] });
const neither = paper('Compilers Before Compilers', '2025-03-03', { authors: ['Grace Hopper'], owners: ['Grace Hopper'] });
const later = paper('Slot Attention Again', '2025-04-01', { authors: ['Grace Hopper'], owners: ['Grace Hopper'] });

/** A messenger recording DMs; a member in `closed` has DMs closed, one in `gone` left every server, `failNext` fails one send. */
function messenger() {
  const sent: Array<{ userId: string; body: AnnouncementBody }> = [];
  const state = { closed: new Set<string>(), gone: new Set<string>(), failNext: null as unknown, attempts: 0 };
  return {
    sent,
    state,
    titles: (userId: string) => sent.filter((dm) => dm.userId === userId).map((dm) => dm.body.embeds[0]?.title ?? ''),
    dm: {
      send: async (userId: string, body: AnnouncementBody): Promise<void> => {
        state.attempts += 1;
        if (state.failNext !== null) {
          const error = state.failNext;
          state.failNext = null;
          throw error;
        }
        if (state.closed.has(userId)) throw new DiscordAPIError({ code: 50007, message: 'Cannot send messages to this user' }, 50007, 403, 'POST', '/channels/x/messages', {});
        sent.push({ userId, body });
      },
      isMember: async (_guildId: string, userId: string): Promise<boolean> => !state.gone.has(userId),
    },
  };
}

let database: TempDatabase;
let running: Announcer[];
let inbox: ReturnType<typeof messenger>;
let timers: ReturnType<typeof manualScheduler>;

beforeEach(async () => {
  database = await tempDatabase('follows');
  running = [];
  inbox = messenger();
  timers = manualScheduler();
});

afterEach(async () => {
  for (const announcer of running) await announcer.stop();
  await database.remove();
});

async function start(lease: { announcer?: LeaseCheck; deliverer?: LeaseCheck } = {}): Promise<Announcer> {
  const db = database.handle.db;
  const announcer = await createAnnouncer({
    db,
    start: { guildId: GUILD, channelId: null },
    post: recordingPost().post,
    log: arrayLogger().log,
    schedule: timers.schedule,
    random: () => 1,
    onNewPapers: createFollowDeliverer({ db, dm: inbox.dm, log: silentLogger, ...(lease.deliverer ? { lease: lease.deliverer } : {}) }),
    ...(lease.announcer ? { lease: lease.announcer } : {}),
  });
  running.push(announcer);
  return announcer;
}

async function restart(announcer: Announcer): Promise<Announcer> {
  running = running.filter((a) => a !== announcer);
  await announcer.stop();
  return start();
}

async function followAs(userId: string, kind: NewFollow['kind'], value: string, label: string): Promise<void> {
  const result = await addFollow(database.handle.db, { userId, guildId: GUILD, kind, value, category: null, hasCode: null, label }, Date.now());
  expect('added' in result).toBe(true);
}

function adaKey(): string {
  return PaperIndex.build(corpusOf([old])).people.resolve('Ada Lovelace')?.key ?? '';
}

async function feed(announcer: Announcer, ...papers: ReturnType<typeof paper>[]): Promise<void> {
  announcer.update(corpusOf(papers));
  await announcer.idle();
}

describe('follow deliveries', () => {
  it('sends one DM per matching paper and member naming every follow that matched, none for the rest or the baseline, and none again after a restart', async () => {
    await followAs(ADA, 'author', adaKey(), 'author Ada Lovelace');
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    const first = await start();
    await feed(first, old);
    expect(inbox.sent).toEqual([]);

    await feed(first, old, both, topicOnly, neither);
    expect(inbox.titles(ADA)).toEqual([both.title, topicOnly.title]);
    expect(inbox.sent[0]?.body.content).toMatchInlineSnapshot(`
      "A new paper matches your follows **author Ada Lovelace**, **topic “slot attention”**.
      -# /follow list shows your follows; /unfollow stops one."
    `);
    expect(inbox.sent[1]?.body.content).toContain('your follow **topic “slot attention”**.');
    expect(inbox.sent[0]?.body.components).toHaveLength(1);
    expect(inbox.sent[0]?.body.allowed_mentions).toEqual({ parse: [] });

    await feed(first, old, both, topicOnly, neither);
    const again = await restart(first);
    await feed(again, old, both, topicOnly, neither);
    expect(inbox.sent).toHaveLength(2);
    const follows = await followsOf(database.handle.db, ADA);
    expect(follows.map((f) => f.lastPaperId)).toEqual([both.id, topicOnly.id]);
  });

  it('marks a delivery failed when DMs are closed, says so in /follow list, and tries the next paper again', async () => {
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    const announcer = await start();
    await feed(announcer, old);
    inbox.state.closed.add(ADA);
    await feed(announcer, old, both);
    expect(inbox.sent).toEqual([]);
    expect(await lastDelivery(database.handle.db, ADA)).toMatchObject({ paperId: both.id, status: 'failed' });

    const ctx: CommandContext = { library: () => ({ corpus: corpusOf([old, both]), index: PaperIndex.build(corpusOf([old, both])), loadedAt: new Date() }), log: silentLogger, now: () => new Date(), db: database.handle.db };
    const list = await follow.execute({ command: 'follow', options: { [SUBCOMMAND_OPTION]: 'list' }, invoker: { userId: ADA, guildId: GUILD, channelId: '1', permissions: 0n } }, ctx);
    expect(list.content).toMatchInlineSnapshot(`
      "You follow 1 thing (of 25):
      • topic “slot attention”: nothing delivered yet

      ⚠️ I could not send you the last paper: your direct messages are closed. To get follow alerts, open the server menu → Privacy Settings and turn on Direct Messages (from server members); the next paper is tried again.

      /unfollow removes one; /follow clear removes all."
    `);

    inbox.state.closed.delete(ADA);
    await feed(announcer, old, both, later);
    expect(inbox.titles(ADA)).toEqual([later.title]);
    expect(await lastDelivery(database.handle.db, ADA)).toMatchObject({ paperId: later.id, status: 'sent' });
  });

  it('sends nothing to a member who left every server their follows were made in', async () => {
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    const announcer = await start();
    await feed(announcer, old);
    inbox.state.gone.add(ADA);
    await feed(announcer, old, both);
    expect(inbox.state.attempts).toBe(0);
  });

  it('retries a DM that failed for a passing reason, once it goes through, and only that one', async () => {
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    await followAs('alan', 'topic', 'slot attention', 'topic “slot attention”');
    const announcer = await start();
    await feed(announcer, old);
    inbox.state.failNext = new HTTPError(503, 'Service Unavailable', 'POST', '/x', {});
    await feed(announcer, old, both);
    expect(inbox.sent.map((dm) => dm.userId)).toEqual(['alan']);
    timers.fireAll();
    await announcer.idle();
    expect(inbox.sent.map((dm) => dm.userId).sort()).toEqual([ADA, 'alan']);
    timers.fireAll();
    await announcer.idle();
    expect(inbox.sent).toHaveLength(2);
  });

  it.each(['announcer', 'deliverer'] as const)('sends no DM while the %s sees the announcer lease not held, and each one once when it is held again', async (where) => {
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    let held = true;
    const announcer = await start({ [where]: { held: () => held } });
    await feed(announcer, old);
    held = false;
    await feed(announcer, old, both);
    timers.fireAll();
    await announcer.idle();
    expect(inbox.state.attempts).toBe(0);
    held = true;
    timers.fireAll();
    await announcer.idle();
    expect(inbox.titles(ADA)).toEqual([both.title]);
    timers.fireAll();
    await announcer.idle();
    await feed(announcer, old, both);
    expect(inbox.sent).toHaveLength(1);
  });

  it('forgets a member on /follow clear: their follows and deliveries go, and nothing more is sent', async () => {
    await followAs(ADA, 'topic', 'slot attention', 'topic “slot attention”');
    const announcer = await start();
    await feed(announcer, old);
    await feed(announcer, old, both);
    const ctx: CommandContext = { library: () => ({ corpus: corpusOf([old]), index: PaperIndex.build(corpusOf([old])), loadedAt: new Date() }), log: silentLogger, now: () => new Date(), db: database.handle.db };
    const reply = await follow.execute({ command: 'follow', options: { [SUBCOMMAND_OPTION]: 'clear' }, invoker: { userId: ADA, guildId: GUILD, channelId: '1', permissions: 0n } }, ctx);
    expect(reply.content).toMatchInlineSnapshot(`"Removed your 1 follow and every delivery record about you."`);
    const db = database.handle.db;
    expect(await db.selectFrom('follows').select('id').where('user_id', '=', ADA).execute()).toEqual([]);
    expect(await db.selectFrom('deliveries').select('paper_id').where('user_id', '=', ADA).execute()).toEqual([]);
    await feed(announcer, old, both, later);
    expect(inbox.sent).toHaveLength(1);
  });
});
