/**
 * A database outage against the real bot process (`npm start` on a real Postgres server of this test's own,
 * stopped with a fast shutdown and started again on the same port): a page dropped in during the outage gets its
 * new papers announced within a minute of the database's return, each once; a member who asks during the outage
 * is told the database is unreachable, not given a generic apology.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../db/postgres.js';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { textOf } from './messages.js';
import { DiscordStandIn } from './standin/server.js';

const NEW_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ada-lovelace-example.txt');
/** The papers only the new page has (announce.test.ts checks the same page without an outage). */
const NEW_TITLES = ['Counterfactual Slot Attention for Sparse Physical Scenes', 'Identifiable Latent Tracking in Long Video without Labels'];
const ANNOUNCE_CHANNEL_ID = '1300000000000000002';
/** What a member reads while the database does not answer (the words; the router's constant is not imported). */
const UNREACHABLE = "The bot's database is unreachable; try again shortly.";

let discord: DiscordStandIn;
let workspace: Workspace;
let postgres: PostgresServer;
let bot: BotProcess;

beforeAll(async () => {
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase('outage');
  discord = await DiscordStandIn.start({ extraChannelIds: [ANNOUNCE_CHANNEL_ID] });
  workspace = await makeWorkspace();
  const env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID, ANNOUNCE_BACKFILL: '0', DATABASE_URL: databaseUrl });
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`npm run register exited ${registered.code}:\n${registered.output}\n${discord.report()}`);
  bot = BotProcess.start(env);
  await bot.ready(60_000);
  await bot.waitForLog('live updates', (line) => line.msg === 'live updates running', 60_000);
  await bot.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'), 60_000);
}, 180_000);

afterAll(async () => {
  bot?.kill();
  await postgres?.stop();
  await discord?.close();
  await workspace?.remove();
});

/** How often each title appears over all announcement messages. */
function titleCounts(titles: readonly string[]): number[] {
  const text = discord.channelMessages(ANNOUNCE_CHANNEL_ID).map(textOf).join('\n');
  return titles.map((title) => text.split(title).length - 1);
}

async function replyTo(record: ReturnType<DiscordStandIn['command']>): Promise<string> {
  const answer = await discord.answer(record, 60_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${bot.tail()}`)));
  if (answer.kind === 'choices') throw new Error('expected a reply, got choices');
  return answer.message.content;
}

describe('Postgres stopped and started during a page drop (npm start)', () => {
  it('answers "unreachable" during the outage, and announces the papers dropped meanwhile within a minute of its return, each once', async () => {
    expect(discord.channelMessages(ANNOUNCE_CHANNEL_ID), 'the seed corpus is the baseline, not news').toEqual([]);
    await postgres.pause();
    expect(await replyTo(discord.command('follow list', {}))).toBe(UNREACHABLE);

    await copyFile(NEW_PAGE, path.join(workspace.profilesDir, path.basename(NEW_PAGE)));
    // The page is read and the announcer fails to take it in (the database is down): nothing can be posted yet.
    await bot.waitForLog('the failed take-in', (line) => String(line.msg).startsWith('announce: could not take the corpus in'), 30_000);
    expect(titleCounts(NEW_TITLES)).toEqual([0, 0]);

    await postgres.resume();
    // Within a minute of the database's return (the wait's own limit).
    await discord
      .waitFor('both new papers to be announced', () => (titleCounts(NEW_TITLES).every((n) => n >= 1) ? true : undefined), 60_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${bot.tail()}`)));
    // Once nothing is pending, nothing more can be on its way.
    let said = '';
    for (let i = 0; i < 40 && !/Nothing is waiting/.test(said); i++) {
      said = await replyTo(discord.command('announce preview', {}, { admin: true }));
      if (!/Nothing is waiting/.test(said)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(said).toMatch(/Nothing is waiting/);
    expect(titleCounts(NEW_TITLES)).toEqual([1, 1]);
    discord.assertClean();
  }, 150_000);
});
