/**
 * A database outage against the real bot process (`npm start`, and `npm run serve` over HTTP, each on a real Postgres server of this test's own,
 * stopped with a fast shutdown and started again on the same port): a page dropped in during the outage gets its
 * new papers announced within a minute of the database's return, each once; a member who asks during the outage
 * is told the database is unreachable, not given a generic apology. The same for the SQLite file on a disk that
 * fills up: a real full disk, a small tmpfs mount (the tests run as root, as the CI container does; state.test.ts
 * mounts one too), filled to the last byte while the bot runs, then freed.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../db/postgres.js';
import { BotProcess, botEnvironment, makeWorkspace, type Workspace } from './bot-process.js';
import { nothingPending, registerCommands, startLiveBot } from './live-bot.js';
import { textOf } from './messages.js';
import { listeningUrl, publicKeyHex } from './serve-process.js';
import { DiscordStandIn } from './standin/server.js';

const NEW_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ada-lovelace-example.txt');
/** The papers only the new page has (announce.test.ts checks the same page without an outage). */
const NEW_TITLES = ['Counterfactual Slot Attention for Sparse Physical Scenes', 'Identifiable Latent Tracking in Long Video without Labels'];
const ANNOUNCE_CHANNEL_ID = '1300000000000000002';
/** What a member reads while the database does not answer (the words; the router's constant is not imported). */
const UNREACHABLE = "The bot's database is unreachable; try again shortly.";

let postgres: PostgresServer;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

/** How often each title appears over all announcement messages in `discord`'s channel. */
function titleCounts(discord: DiscordStandIn, titles: readonly string[]): number[] {
  const text = discord.channelMessages(ANNOUNCE_CHANNEL_ID).map(textOf).join('\n');
  return titles.map((title) => text.split(title).length - 1);
}

// The same outage for each entry point: the gateway bot (`npm start`) and the HTTP interactions endpoint
// (`npm run serve`, interactions POSTed by the stand-in, signed with a key made here), each on a database of its own.
describe.each(['start', 'serve'] as const)('Postgres stopped and started during a page drop (npm %s)', (script) => {
  let discord: DiscordStandIn;
  let workspace: Workspace;
  let bot: BotProcess;
  /** Every process started, so a start that fails half-way still leaves none behind. */
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    const databaseUrl = await postgres.createDatabase(`outage_${script}`);
    discord = await DiscordStandIn.start({ extraChannelIds: [ANNOUNCE_CHANNEL_ID] });
    workspace = await makeWorkspace();
    const env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID, ANNOUNCE_BACKFILL: '0', DATABASE_URL: databaseUrl });
    await registerCommands(discord, env);
    if (script === 'serve') {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      bot = BotProcess.start({ ...env, DISCORD_PUBLIC_KEY: publicKeyHex(publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
      bots.push(bot);
      discord.delivery = { url: `${await listeningUrl(bot, 60_000)}/interactions`, privateKey };
    } else {
      bot = await startLiveBot(env, bots, { readyMs: 60_000, liveMs: 60_000 });
    }
    await bot.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'), 60_000);
  }, 180_000);

  afterAll(async () => {
    for (const started of bots) started.kill();
    // A test that failed mid-outage leaves the server paused; the next entry point's test needs it running.
    await postgres.resume().catch((error: Error) => (error.message.includes('while the server runs') ? undefined : Promise.reject(error)));
    await discord?.close();
    await workspace?.remove();
  });

  async function replyTo(record: ReturnType<DiscordStandIn['command']>): Promise<string> {
    const answer = await discord.answer(record, 60_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${bot.tail()}`)));
    if (answer.kind === 'choices') throw new Error('expected a reply, got choices');
    return answer.message.content;
  }

  it('answers "unreachable" during the outage, and announces the papers dropped meanwhile within a minute of its return, each once', async () => {
    expect(discord.channelMessages(ANNOUNCE_CHANNEL_ID), 'the seed corpus is the baseline, not news').toEqual([]);
    await postgres.pause();
    expect(await replyTo(discord.command('follow list', {}))).toBe(UNREACHABLE);

    await copyFile(NEW_PAGE, path.join(workspace.profilesDir, path.basename(NEW_PAGE)));
    // The page is read and the announcer fails to take it in (the database is down): nothing can be posted yet.
    await bot.waitForLog('the failed take-in', (line) => String(line.msg).startsWith('announce: could not take the corpus in'), 30_000);
    // The outage lasts on well past the pages' settling (ANNOUNCE_SETTLE_MS, 1 s here), so any later hand-over of the
    // same pages fails too: only a retry of the failed work can bring the papers out.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(titleCounts(discord, NEW_TITLES)).toEqual([0, 0]);

    await postgres.resume();
    // Within a minute of the database's return (the wait's own limit).
    await discord
      .waitFor('both new papers to be announced', () => (titleCounts(discord, NEW_TITLES).every((n) => n >= 1) ? true : undefined), 60_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${bot.tail()}`)));
    await nothingPending(discord, { answerMs: 60_000, tail: () => bot.tail() });
    expect(titleCounts(discord, NEW_TITLES)).toEqual([1, 1]);
    discord.assertClean();
  }, 150_000);
});

describe('SQLite on a disk that fills up during a page drop (npm start)', () => {
  let sqliteDiscord: DiscordStandIn;
  let sqliteWorkspace: Workspace;
  const sqliteBots: BotProcess[] = [];
  let mounted = false;

  afterAll(async () => {
    for (const started of sqliteBots) started.kill();
    if (mounted) execFileSync('umount', ['-l', sqliteWorkspace.stateDir]);
    await sqliteDiscord?.close();
    await sqliteWorkspace?.remove();
  });

  it('announces the papers dropped while the disk was full once space is freed, within a minute, each once', async () => {
    sqliteDiscord = await DiscordStandIn.start({ extraChannelIds: [ANNOUNCE_CHANNEL_ID] });
    sqliteWorkspace = await makeWorkspace();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${8 * 1024 * 1024}`, 'tmpfs', sqliteWorkspace.stateDir], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`this test mounts a tmpfs to get a real full disk, which needs root (CAP_SYS_ADMIN): ${String(error)}`);
    }
    mounted = true;
    const env = botEnvironment(sqliteDiscord, sqliteWorkspace, { ANNOUNCE_CHANNEL_ID, ANNOUNCE_BACKFILL: '0' });
    await registerCommands(sqliteDiscord, env);
    const running = await startLiveBot(env, sqliteBots, { readyMs: 60_000, liveMs: 60_000 });
    await running.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'), 60_000);
    const counts = (): number[] => {
      const text = sqliteDiscord.channelMessages(ANNOUNCE_CHANNEL_ID).map(textOf).join('\n');
      return NEW_TITLES.map((title) => text.split(title).length - 1);
    };

    const filler = path.join(sqliteWorkspace.stateDir, 'filler');
    await fillDisk(filler);
    await copyFile(NEW_PAGE, path.join(sqliteWorkspace.profilesDir, path.basename(NEW_PAGE)));
    await running.waitForLog('the failed take-in', (line) => String(line.msg).startsWith('announce: could not take the corpus in'), 30_000);
    // Full well past the pages' settling, so only a retry of the failed work can bring the papers out.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(counts()).toEqual([0, 0]);

    await rm(filler);
    await sqliteDiscord
      .waitFor('both new papers to be announced', () => (counts().every((n) => n >= 1) ? true : undefined), 60_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${running.tail()}`)));
    await nothingPending(sqliteDiscord, { answerMs: 60_000, tail: () => running.tail() });
    expect(counts()).toEqual([1, 1]);
    sqliteDiscord.assertClean();
  }, 240_000);
});

// Writes `file` until the disk holding it has no byte left (ENOSPC).
async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          await handle.write(chunk.subarray(0, size));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    await handle.close();
  }
}
