/**
 * Announcements a lab can trust, end to end: the real bot process (`npm start`) against the local Discord stand-in.
 * Two near-titled papers arriving together are both announced; a post Discord accepts but answers after the REST
 * timeout is retried by discord.js with the same nonce and Discord keeps one message; a big drop is one summary;
 * a gateway reconnect and a rate limit are logged once each, with how long; and a second bot on the same state store
 * is refused by the announcer lease while the first keeps renewing it, and starts at once after the first stops.
 * One bot process serves the file (a second one for the lease).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, type PageBlock } from '../announce/helpers.js';
import { botEnvironment, BotProcess, failOnStandInProblems, type LogLine, makeWorkspace, type Workspace } from './bot-process.js';
import { nothingPending, registerCommands, startLiveBot } from './live-bot.js';
import { textOf } from './messages.js';
import { DiscordStandIn, type StoredMessage } from './standin/server.js';

const announceChannelId = '1300000000000000003';
const REST_TIMEOUT_MS = 1_000;
const MAX_PAPERS = 10;

let discord: DiscordStandIn;
let workspace: Workspace;
let env: NodeJS.ProcessEnv;
let bot: BotProcess;
const bots: BotProcess[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
  workspace = await makeWorkspace();
  env = botEnvironment(discord, workspace, {
    ANNOUNCE_CHANNEL_ID: announceChannelId,
    DISCORD_REST_TIMEOUT_MS: String(REST_TIMEOUT_MS),
    ANNOUNCE_MAX_PAPERS: String(MAX_PAPERS),
    ANNOUNCE_LEASE_MS: '3000',
  });
  await registerCommands(discord, env);
  bot = await startBot();
  await bot.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'));
}, 60_000);

afterAll(async () => {
  for (const one of bots) one.kill();
  await discord?.close();
  await workspace?.remove();
});

failOnStandInProblems(() => discord, () => bot.tail());

const startBot = (): Promise<BotProcess> => startLiveBot(env, bots);

function announced(): StoredMessage[] {
  return discord.channelMessages(announceChannelId);
}

/** How many announcement messages mention each title. */
function titleCounts(titles: string[]): number[] {
  const texts = announced().map(textOf);
  return titles.map((title) => texts.filter((text) => text.includes(title)).length);
}

async function dropPage(file: string, owner: string, blocks: PageBlock[]): Promise<void> {
  await writeFile(path.join(workspace.profilesDir, file), pageText(owner, blocks));
}

function logsLike(msg: string): LogLine[] {
  return bot.logs.filter((line) => line.msg === msg);
}

describe('announcements a lab can trust', () => {
  it('announces Part I and Part II of one first author and day, arriving together, as two papers', async () => {
    const titles = ['Learning Causal Structure from Time Series, Part I', 'Learning Causal Structure from Time Series, Part II'];
    await dropPage('ada-quill.txt', 'Ada Quill', titles.map((title) => ({ title, date: 'Mar 3, 2025' })));
    await discord.waitFor('both parts announced', () => (titleCounts(titles).every((n) => n === 1) ? true : undefined), 20_000);
    await nothingPending(discord, { tail: () => bot.tail() });
    expect(titleCounts(titles)).toEqual([1, 1]);
  }, 40_000);

  it('keeps one message when Discord answers a post only after the REST timeout and discord.js sends it again', async () => {
    const before = announced().length;
    discord.slow({ method: 'POST', path: new RegExp(`^/channels/${announceChannelId}/messages$`), delayMs: REST_TIMEOUT_MS * 2.5 });
    const titles = ['Nanoseconds You Can Hold', 'Compilers Before Compilers'];
    await dropPage('grace-quill.txt', 'Grace Quill', titles.map((title, i) => ({ title, date: `May ${5 + i}, 2025` })));
    await discord.waitFor('a repeated nonce', () => (discord.nonceRepeats.length > 0 ? true : undefined), 20_000);
    await nothingPending(discord, { tail: () => bot.tail() });
    const posts = discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${announceChannelId}/messages`).slice(-2);
    const nonces = posts.map((r) => (r.body as { nonce?: unknown; enforce_nonce?: unknown }).nonce);
    expect(posts.map((r) => (r.body as { enforce_nonce?: unknown }).enforce_nonce)).toEqual([true, true]);
    expect(nonces[0]).toBe(nonces[1]);
    expect(announced().length - before).toBe(1);
    expect(titleCounts(titles)).toEqual([1, 1]);
  }, 40_000);

  it('posts one summary for a page that brings more than ANNOUNCE_MAX_PAPERS new papers, and records them all', async () => {
    const before = announced().length;
    const blocks = Array.from({ length: MAX_PAPERS + 2 }, (_, i) => ({ title: `Hedy's Frequency Hopping Study Number ${i + 1}`, date: `Jan ${i + 1}, 2025` }));
    await dropPage('hedy-quill.txt', 'Hedy Quill', blocks);
    await bot.waitForLog('the summary', (line) => line.msg === 'announce: too many new papers at once; posted one summary and recorded them all');
    await nothingPending(discord, { tail: () => bot.tail() });
    const fresh = announced().slice(before);
    expect(fresh.map((m) => m.embeds.map((e) => e.title))).toEqual([['12 new papers from Hedy Quill']]);
    expect(textOf(fresh[0]!)).toContain("**Hedy Quill**'s page added **12** papers. The 5 newest:");
    expect(textOf(fresh[0]!)).toContain("Hedy's Frequency Hopping Study Number 12");
    expect(logsLike('announce: too many new papers at once; posted one summary and recorded them all')[0]).toMatchObject({ papers: 12, perOwner: { 'Hedy Quill': 12 }, maxPapers: MAX_PAPERS });
  }, 40_000);

  it('logs a gateway resume and a rate limit once each, with how long', async () => {
    discord.sendReconnect();
    const resumed = await bot.waitForLog('the resume', (line) => line.msg === 'gateway: reconnected and resumed the session');
    expect(resumed).toMatchObject({ level: 'info', shardId: 0, attempts: 1 });
    expect(resumed['downMs']).toEqual(expect.any(Number));

    discord.fault({ method: 'POST', path: new RegExp(`^/channels/${announceChannelId}/messages$`), status: 429, retryAfter: 1.5 });
    const title = 'A Paper Posted After a Rate Limit';
    await dropPage('ida-quill.txt', 'Ida Quill', [{ title, date: 'Jun 1, 2025' }]);
    await discord.waitFor('the paper announced after the wait', () => (titleCounts([title])[0] === 1 ? true : undefined), 20_000);
    const limited = await bot.waitForLog('the rate limit', (line) => line.msg === 'discord: rate limited; requests wait');
    expect(limited).toMatchObject({ level: 'info', method: 'POST', global: false });
    expect(limited['waitMs']).toBeGreaterThan(0);
    expect(discord.faultsFired).toHaveLength(1);
    expect(logsLike('gateway: reconnected and resumed the session')).toHaveLength(1);
    expect(logsLike('discord: rate limited; requests wait')).toHaveLength(1);
  }, 40_000);

  it('refuses a second bot on the same state store while the first renews its lease, and lets the next start at once after a clean stop', async () => {
    const second = BotProcess.start(env);
    bots.push(second);
    expect(await second.exited()).toEqual({ code: 1, signal: null });
    const failed = second.logs.find((line) => line.msg === 'start failed');
    expect(String(failed?.['error'])).toMatch(/^lease: the announcer lease of this state store is held by another paperbot process that keeps renewing it/);

    expect(await bot.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    bot = await startBot();
    expect(bot.logs.some((line) => String(line.msg).startsWith('lease:'))).toBe(false);
    await nothingPending(discord, { tail: () => bot.tail() });
  }, 60_000);
});
