/**
 * Follows, per-server settings and the digest end to end: the real bot process against the stand-in, with two
 * servers. Members follow an author and a topic; a page is dropped in with papers matching both, one, and
 * neither; each member gets one DM per matching paper (none for the rest, none for a member with closed DMs or
 * one who left); both servers' channels get every new paper once; a digest due during a restart is posted once.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText } from '../announce/helpers.js';
import { botEnvironment, makeWorkspace, type BotProcess, type Workspace } from './bot-process.js';
import { registerCommands, startLiveBot } from './live-bot.js';
import { isApology, textOf } from './messages.js';
import { DiscordStandIn, type StoredMessage } from './standin/server.js';

const announce1 = '1310000000000000001';
const announce2 = '1310000000000000002';
const denied = '1310000000000000003';
const SEND_MESSAGES = 1n << 11n;
/** A coauthor on the seed page, so the member can follow her before the new page arrives. */
const AUTHOR = 'Dingling Yao';
const BOTH = 'Slot Attention for Robot Arms';
const AUTHOR_ONLY = 'Counting Sheep with Compilers';
const TOPIC_ONLY = 'Slot Attention at Scale';
const NEITHER = 'Analytical Engines Revisited';
const NEW_TITLES = [BOTH, AUTHOR_ONLY, TOPIC_ONLY, NEITHER];
const PAGE = pageText('Ada Lovelace', [
  { title: BOTH, date: 'Mar 1, 2026', authors: `${AUTHOR}, Ada Lovelace` },
  { title: AUTHOR_ONLY, date: 'Mar 2, 2026', authors: `${AUTHOR}, Ada Lovelace` },
  { title: TOPIC_ONLY, date: 'Mar 3, 2026', authors: 'Ada Lovelace, Alan Turing' },
  { title: NEITHER, date: 'Mar 4, 2026', authors: 'Ada Lovelace, Alan Turing' },
]);

let discord: DiscordStandIn;
let workspace: Workspace;
let env: NodeJS.ProcessEnv;
let guild2: string;
let closed: APIUser;
let leaver: APIUser;
const bots: BotProcess[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announce1], extraGuilds: [{ channelIds: [announce2, denied] }] });
  guild2 = [...discord.guilds.keys()][1] ?? '';
  discord.overwrites.set(denied, [{ id: discord.applicationId, type: 1, allow: '0', deny: String(SEND_MESSAGES) }]);
  closed = discord.addMember('Closed Dms');
  discord.closedDms.add(closed.id);
  leaver = discord.addMember('Leaves Soon');
  workspace = await makeWorkspace();
  env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: announce1, HEALTH_PORT: '0', HOST: '127.0.0.1' });
  for (const guildId of [discord.guildId, guild2]) await registerCommands(discord, { ...env, DISCORD_GUILD_ID: guildId });
}, 60_000);

afterAll(async () => {
  for (const bot of bots) bot.kill();
  await discord?.close();
  await workspace?.remove();
});

async function run(line: string, options: Record<string, string | number | boolean>, as: { admin?: boolean; user?: APIUser; guildId?: string } = {}): Promise<string> {
  const answer = await discord.answer(discord.command(line, options, as));
  if (answer.kind === 'choices') throw new Error('expected a reply');
  if (isApology(answer.message)) throw new Error(`the bot apologised:\n${answer.message.content}\n${bots.at(-1)?.tail()}`);
  return answer.message.content;
}

/** How often each title was announced in the channel (announcements only, not digests). */
function announcedCounts(channelId: string): number[] {
  const text = discord.channelMessages(channelId).filter((m) => !isDigest(m)).map(textOf).join('\n');
  return NEW_TITLES.map((title) => text.split(title).length - 1);
}

function isDigest(message: StoredMessage): boolean {
  return /^New papers (today|this week)$/.test(message.embeds[0]?.title ?? '');
}

function dmTitles(user: APIUser): string[] {
  return discord.directMessages(user.id).map((m) => m.embeds[0]?.title ?? '');
}

describe('follows, per-server settings and the digest', () => {
  it('delivers one DM per matching paper, announces in each server once, and posts a digest due during a restart once', async () => {
    const first = await startLiveBot(env, bots);

    expect(await run('settings announce channel', { channel: denied }, { admin: true, guildId: guild2 })).toMatchInlineSnapshot(
      `"I can't announce in <#${denied}>: the bot is missing Send Messages in that channel: give it that permission there (channel settings → Permissions)."`,
    );
    expect(await run('settings announce channel', { channel: announce2 }, { admin: true, guildId: guild2 })).toContain(`New papers will be announced in <#${announce2}>`);
    expect(await run('settings digest', { schedule: 'daily', hour: new Date().getUTCHours() }, { admin: true })).toContain('The digest will be posted every day at');

    const names = await discord.answer(discord.autocomplete('follow author', 'name', 'dingling'));
    if (names.kind !== 'choices') throw new Error('expected choices');
    const author = String(names.choices[0]?.value);
    expect(names.choices[0]?.name).toContain(AUTHOR);
    expect(await run('follow author', { name: author })).toContain(`Following author ${AUTHOR}.`);
    expect(await run('follow topic', { query: 'slot attention' })).toContain('Following topic “slot attention”.');
    expect(await run('follow topic', { query: 'slot attention' }, { user: closed })).toContain('Following');
    expect(await run('follow topic', { query: 'slot attention' }, { user: leaver })).toContain('Following');
    discord.removeMember(discord.guildId, leaver.id);

    await writeFile(path.join(workspace.profilesDir, 'ada-lovelace.txt'), PAGE);
    await discord
      .waitFor('the DMs and both channels', () => (dmTitles(discord.member).length >= 3 && announcedCounts(announce1).every((n) => n >= 1) && announcedCounts(announce2).every((n) => n >= 1) ? true : undefined), 20_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${first.tail()}`)));
    await first.waitForLog('the closed DMs', (line) => String(line.msg).startsWith('follows: direct messages closed'));

    expect(dmTitles(discord.member).sort()).toEqual([BOTH, AUTHOR_ONLY, TOPIC_ONLY].sort());
    const both = discord.directMessages(discord.member.id).find((m) => m.embeds[0]?.title === BOTH);
    expect(both?.content).toContain(`**author ${AUTHOR}**, **topic “slot attention”**`);
    expect(discord.directMessages(closed.id)).toEqual([]);
    expect(discord.dmChannels.has(leaver.id)).toBe(false);
    expect(await run('follow list', {}, { user: closed })).toContain('your direct messages are closed');
    // /metrics counts the three DMs sent and the one Discord refused.
    const health = await first.waitForLog('the health endpoints', (line) => line.msg === 'health endpoints listening');
    const metrics = await (await fetch(`http://127.0.0.1:${String(health.port)}/metrics`)).text();
    expect(/^paperbot_deliveries_total\{outcome="posted"\} (\d+)$/m.exec(metrics)?.[1]).toBe('3');
    expect(/^paperbot_deliveries_total\{outcome="failed"\} (\d+)$/m.exec(metrics)?.[1]).toBe('1');

    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    // The digest hour is this hour; move the moment it was switched on back two hours, so today's run was due while the bot was down.
    const database = new SQLite(path.join(workspace.stateDir, 'paperbot.db'));
    database.prepare('update guild_settings set digest_since = digest_since - 7200000 where guild_id = ?').run(discord.guildId);
    database.close();

    const second = await startLiveBot(env, bots);
    await second.waitForLog('the digest', (line) => line.msg === 'digest: posted');
    const digests = (): StoredMessage[] => discord.channelMessages(announce1).filter(isDigest);
    expect(digests()).toHaveLength(1);
    const listed = textOf(digests()[0] as StoredMessage);
    for (const title of NEW_TITLES) expect(listed).toContain(title);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const third = await startLiveBot(env, bots);
    await run('follow list', {});
    expect(digests()).toHaveLength(1);
    expect(announcedCounts(announce1)).toEqual([1, 1, 1, 1]);
    expect(announcedCounts(announce2)).toEqual([1, 1, 1, 1]);
    expect(dmTitles(discord.member)).toHaveLength(3);
    expect(await third.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    discord.assertClean();
  }, 120_000);
});
