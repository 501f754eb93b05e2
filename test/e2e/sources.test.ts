/**
 * The sources in the running bot (docs/sources.md), end to end: the bot process against the Discord stand-in and
 * the OpenAlex, arXiv and Crossref stand-ins. The first read is the baseline (nothing announced); a work that
 * appears in a later read is announced once; a restart announces nothing again, and with every stand-in down it
 * serves the works cached before. /cite looks a DOI and an arXiv id outside the corpus up through the bot.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScholarlyStandIn } from '../sources/standins/server.js';
import type { WorkSpec } from '../sources/standins/fixtures.js';
import { botEnvironment, makeWorkspace, type BotProcess, type LogLine, type Workspace } from './bot-process.js';
import { nothingPending, registerCommands, startLiveBot } from './live-bot.js';
import { textOf } from './messages.js';
import { DiscordStandIn, type StoredMessage } from './standin/server.js';

const announceChannelId = '1300000000000000002';
const AUTHOR = 'A5000000007';
const FIRST_WORKS: WorkSpec[] = [
  { id: 'W7000001', title: 'Quasar Lattices for Sparse Trees', authors: [{ name: 'Francesco Locatello', id: AUTHOR }, { name: 'Ada Quill' }], date: '2025-03-02', arxivId: '2503.00077', abstract: 'We study quasar lattices.' },
  { id: 'W7000002', title: 'Heliotrope Sampling without Replacement', authors: [{ name: 'Francesco Locatello', id: AUTHOR }], date: '2024-11-20', doi: '10.5555/helio.2024' },
];
const LATER_WORK: WorkSpec = { id: 'W7000003', title: 'Marmalade Gradients in Deep Orchards', authors: [{ name: 'Francesco Locatello', id: AUTHOR }, { name: 'Ivo Marek' }], date: '2026-06-01' };

let discord: DiscordStandIn;
let scholarly: ScholarlyStandIn;
let workspace: Workspace;
let env: NodeJS.ProcessEnv;
const bots: BotProcess[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
  scholarly = new ScholarlyStandIn();
  await scholarly.start();
  scholarly.authors.set(AUTHOR, { id: AUTHOR, name: 'Francesco Locatello', hIndex: 41, citations: 12345, works: [...FIRST_WORKS] });
  scholarly.arxiv.set('2503.00077', { id: '2503.00077', title: 'Quasar Lattices for Sparse Trees', authors: ['Francesco Locatello', 'Ada Quill'], published: '2025-03-02', primaryCategory: 'stat.ML', categories: ['stat.ML'] });
  scholarly.arxiv.set('2401.09999', { id: '2401.09999', title: 'An Outside Preprint', authors: ['Ivo Marek', 'Nia Ode'], published: '2024-01-20', primaryCategory: 'cs.CV', categories: ['cs.CV'] });
  scholarly.crossref.set('10.5555/12345678', { doi: '10.5555/12345678', title: 'A Study of Things', authors: [{ given: 'Ada', family: 'Lovelace' }], issued: [2024, 3, 15], container: 'Journal of Examples' });
  workspace = await makeWorkspace();
  await writeFile(path.join(workspace.dataDir, 'lab.yaml'), `contact: admin@lab.example\nmembers:\n  - name: Francesco Locatello\n    openalex: ${AUTHOR}\n`);
  env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: announceChannelId, SOURCES_REFRESH_MS: '1500', ARXIV_INTERVAL_MS: '50', ...scholarly.env() });
  await registerCommands(discord, env);
}, 30_000);

afterAll(async () => {
  for (const bot of bots) bot.kill();
  await discord?.close();
  await scholarly?.stop();
  await workspace?.remove();
});

// Generous: the machine running the e2e files may be busy.
const startBot = (): Promise<BotProcess> => startLiveBot(env, bots, { readyMs: 60_000, liveMs: 30_000 });

function announcedText(): string {
  return discord.channelMessages(announceChannelId).map(textOf).join('\n');
}

function count(text: string, title: string): number {
  return text.split(title).length - 1;
}

async function reply(name: string, options: Record<string, string>): Promise<StoredMessage> {
  const answer = await discord.answer(discord.command(name, options, { admin: true }), 15_000);
  if (answer.kind !== 'reply') throw new Error(`expected a reply to /${name}`);
  return answer.message;
}

const isBaselineLine = (line: LogLine): boolean => String(line.msg).startsWith('sources: first read of members taken as their baseline');
const isFailureLine = (line: LogLine): boolean => String(line.msg).startsWith('sources: cannot read');
const isReload = (papers: number) => (line: LogLine): boolean => line.msg === 'corpus: reloaded' && line['papers'] === papers;

describe('the sources in the running bot', () => {
  it('serves the works, announces only a work that appears after the first read, once, and after a restart with the sources down serves the cache and announces nothing', async () => {
    const first = await startBot();
    const pages = Number((await first.waitForLog('the library', (line) => line.msg === 'live: library ready'))['papers']);
    await first.waitForLog('the first read as the baseline', isBaselineLine);
    await first.waitForLog('the works served', isReload(pages + FIRST_WORKS.length));
    const found = textOf(await reply('search', { query: 'heliotrope sampling' }));
    expect(found).toContain('Heliotrope Sampling without Replacement');

    // Out of the corpus: looked up at Crossref and arXiv through the bot.
    expect((await reply('cite', { paper: '10.5555/12345678' })).content).toContain('title = {A Study of Things}');
    expect((await reply('cite', { paper: 'arXiv:2401.09999' })).content).toContain('title = {An Outside Preprint}');

    // A refresh or two after the baseline: still nothing announced.
    const reads = scholarly.requests.filter((r) => r.service === 'openalex' && r.path === '/works').length;
    await discord.waitFor('another read', () => (scholarly.requests.filter((r) => r.service === 'openalex' && r.path === '/works').length > reads ? true : undefined), 15_000);
    await nothingPending(discord, { answerMs: 15_000 });
    for (const work of FIRST_WORKS) expect(count(announcedText(), work.title), 'the first read is the baseline').toBe(0);

    scholarly.authors.get(AUTHOR)?.works.push(LATER_WORK);
    await discord.waitFor('the later work to be announced', () => (count(announcedText(), LATER_WORK.title) > 0 ? true : undefined), 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${first.tail()}`)));
    await nothingPending(discord, { answerMs: 15_000 });
    expect(count(announcedText(), LATER_WORK.title)).toBe(1);
    for (const work of FIRST_WORKS) expect(count(announcedText(), work.title)).toBe(0);
    const posted = discord.channelMessages(announceChannelId).length;
    const stats = textOf(await reply('stats', {}));
    expect(stats).toMatch(/OpenAlex A5000000007: h-index \*\*41\*\* · \*\*12,345\*\* citations/);
    expect(stats).toMatch(/OpenAlex read \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    await scholarly.stop();
    const second = await startBot();
    const ready = await second.waitForLog('the library', (line) => line.msg === 'live: library ready');
    expect(ready['works'], 'the cached works serve from the start').toBe(FIRST_WORKS.length + 1);
    expect(textOf(await reply('search', { query: 'marmalade gradients' }))).toContain(LATER_WORK.title);
    // Several refreshes fail; the failure is said once.
    await second.waitForLog('the failure', isFailureLine, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(second.logs.filter(isFailureLine).filter((line) => line['source'] === 'openalex')).toHaveLength(1);
    await nothingPending(discord, { answerMs: 15_000 });
    expect(discord.channelMessages(announceChannelId)).toHaveLength(posted);
    expect(textOf(await reply('search', { query: 'heliotrope sampling' }))).toContain('Heliotrope Sampling without Replacement');
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    discord.assertClean();
  }, 90_000);
});
