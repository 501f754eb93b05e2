/**
 * Reloads against the real bot process and the stand-in: a page near the 20 MB limit dropped in while members
 * keep using commands (every one answered, deferred or not, within Discord's 3 s: the stand-in records a late
 * callback as a violation), and a page written in two chunks 600 ms apart, announced only once whole.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticPages } from '../../bench/synthetic.js';
import { parseProfilePage } from '../../src/corpus/parse.js';
import { printPaperBlock, printProfilePage } from '../../src/corpus/print.js';
import { pageText } from '../announce/helpers.js';
import { BotProcess, SEED_PAGE, botEnvironment, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { isApology, textOf } from './messages.js';
import { DiscordStandIn, type Answer, type InteractionRecord } from './standin/server.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
/** Just under the loader's 20 MB limit. */
const BIG_PAGE_BYTES = 19_500_000;
const announceChannelId = '1300000000000000003';

let discord: DiscordStandIn;
const workspaces: Workspace[] = [];
const bots: BotProcess[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
}, 30_000);

afterAll(async () => {
  for (const bot of bots) bot.kill();
  await discord?.close();
  for (const workspace of workspaces) await workspace.remove();
});

let violationsBefore = 0;
beforeEach(() => {
  violationsBefore = discord.violations.length;
});

// Whatever a test did, the bot must not have sent Discord anything it rejects, nor answered late.
afterEach(() => {
  if (discord.violations.length > violationsBefore || discord.unexpectedRoutes.length > 0) throw new Error(`stand-in recorded problems:\n${discord.report()}\n${bots.at(-1)?.tail() ?? ''}`);
});

async function startBot(extra: Record<string, string>): Promise<{ bot: BotProcess; workspace: Workspace }> {
  const workspace = await makeWorkspace();
  workspaces.push(workspace);
  const env = botEnvironment(discord, workspace, { CORPUS_AS_OF: '2025-11-01', ...extra });
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`npm run register exited ${registered.code}:\n${registered.output}\n${discord.report()}`);
  const bot = BotProcess.start(env);
  bots.push(bot);
  await bot.ready();
  await bot.waitForLog('live updates', (line) => line.msg === 'live updates running');
  return { bot, workspace };
}

/** One profile page of generated papers in the seed's format, as close to `bytes` as whole blocks allow. */
async function bigPage(bytes: number): Promise<{ text: string; papers: number }> {
  const seed = { file: SEED_PAGE, text: await readFile(SEED_PAGE, 'utf8') };
  const generated = syntheticPages(seed, Math.ceil(bytes / 1_200), { asOf: AS_OF }).slice(1);
  const papers = generated.flatMap((page) => parseProfilePage(page.text, page.file, { asOf: AS_OF }).papers);
  const kept = [];
  let size = 1_000;
  for (const paper of papers) {
    size += Buffer.byteLength(printPaperBlock(paper)) + 2;
    if (size > bytes) break;
    kept.push(paper);
  }
  const text = printProfilePage({ owner: 'Ada Quill', primaryCategory: 'LG', papersListed: kept.length }, kept);
  return { text, papers: kept.length };
}

describe('a page near the 20 MB limit dropped in while commands come in', () => {
  it('answers every command in time while the page is read and the index rebuilt, then serves the page', async () => {
    const page = await bigPage(BIG_PAGE_BYTES);
    const pageBytes = Buffer.byteLength(page.text);
    expect(pageBytes).toBeGreaterThan(19_000_000);
    expect(pageBytes).toBeLessThan(20_000_000);
    const { bot, workspace } = await startBot({});
    const staged = path.join(workspace.root, 'ada-quill.txt');
    await writeFile(staged, page.text);

    const reloaded = (line: Record<string, unknown>): boolean => line.msg === 'corpus: reloaded' && Array.isArray(line.changed) && line.changed.some((file) => String(file).endsWith('ada-quill.txt'));
    const sent: Array<{ what: string; at: number; answer: Promise<Answer> }> = [];
    const commands: Array<[string, () => InteractionRecord]> = [
      ['/search slot attention', () => discord.command('search', { query: 'slot attention' })],
      ['/paper DINOSAUR', () => discord.command('paper', { query: 'DINOSAUR' })],
      ['/paper autocomplete', () => discord.autocomplete('paper', 'query', 'object cen')],
      ['/latest', () => discord.command('latest', { count: 3 })],
      ['/stats', () => discord.command('stats')],
      ['/coauthor', () => discord.command('coauthor', { name: 'Francesco Locatello' })],
    ];
    const droppedAt = Date.now();
    await rename(staged, path.join(workspace.profilesDir, 'ada-quill.txt'));
    let reloadSeenAt: number | null = null;
    for (let i = 0; reloadSeenAt === null || Date.now() < reloadSeenAt + 1_000; i++) {
      const [what, make] = commands[i % commands.length] ?? commands[0]!;
      sent.push({ what, at: Date.now(), answer: discord.answer(make(), 15_000) });
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (reloadSeenAt === null && bot.logs.some(reloaded)) reloadSeenAt = Date.now();
      if (Date.now() - droppedAt > 90_000) throw new Error(`the big page was not reloaded within 90 s\n${bot.tail()}`);
    }
    const during = sent.filter((command) => reloadSeenAt !== null && command.at < reloadSeenAt);
    expect(during.length, 'commands sent while the page was being read and indexed').toBeGreaterThanOrEqual(5);
    for (const { what, answer } of sent) {
      const settled = await answer;
      if (settled.kind === 'choices') expect(settled.choices.length, what).toBeGreaterThan(0);
      else expect(isApology(settled.message), `${what}: ${settled.message.content}`).toBe(false);
    }
    expect(discord.violations.slice(violationsBefore), discord.report()).toEqual([]);

    const line = bot.logs.find(reloaded);
    expect(line?.papers).toBeGreaterThanOrEqual(page.papers);
    const stats = await discord.answer(discord.command('stats'));
    if (stats.kind === 'choices') throw new Error('expected a reply to /stats');
    expect(textOf(stats.message)).toContain('Ada Quill');
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
  }, 180_000);
});

describe('a page written in two chunks 600 ms apart', () => {
  it('is announced once, and only whole', async () => {
    const { bot, workspace } = await startBot({ ANNOUNCE_CHANNEL_ID: announceChannelId, ANNOUNCE_SETTLE_MS: '2000' });
    await bot.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'));
    const whole = pageText('Grace Hopper', [
      { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025', abstract: 'We hand out lengths of wire to show how far light travels in a nanosecond.' },
      { title: 'Compilers Before Compilers', date: 'Apr 4, 2025', abstract: 'We describe translating mathematical notation into machine code automatically, long before anyone called it compiling.' },
    ]);
    const cut = whole.indexOf('machine code') + 'mach'.length;
    const file = path.join(workspace.profilesDir, 'grace-hopper.txt');
    // 600 ms apart whatever the bot does meanwhile (it may read the first chunk alone: search may serve it).
    await writeFile(file, whole.slice(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 600));
    await appendFile(file, whole.slice(cut));

    const messages = () => discord.channelMessages(announceChannelId).map(textOf).join('\n');
    await discord.waitFor('the page to be announced', () => (messages().includes('Compilers Before Compilers') ? true : undefined), 20_000);
    // Nothing more is on its way once the settle time has passed again.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const text = messages();
    expect(text.split('Compilers Before Compilers').length - 1).toBe(1);
    expect(text.split('Nanoseconds You Can Hold').length - 1).toBe(1);
    expect(text).toContain('long before anyone called it compiling');
    expect(text).not.toMatch(/into mach(?!ine)/);
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
