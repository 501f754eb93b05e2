/**
 * The set-up the announcing e2e files share (announce, sources, follows, trust, outage): the commands registered,
 * `npm start` up to its live updates, and /announce preview asked until nothing is waiting.
 */
import { BotProcess, runRegister } from './bot-process.js';
import type { DiscordStandIn } from './standin/server.js';

/** Runs `npm run register` with `env`; throws with its output and the stand-in's report when it fails. */
export async function registerCommands(discord: DiscordStandIn, env: NodeJS.ProcessEnv): Promise<void> {
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`npm run register exited ${registered.code}:\n${registered.output}\n${discord.report()}`);
}

/** How long `startLiveBot` waits for each line (the defaults of `ready` and `waitForLog`). */
export interface StartTimeouts {
  readyMs?: number;
  liveMs?: number;
}

/**
 * Starts `npm start` with `env`, adds it to `bots` (for the file's afterAll to kill), and waits for the gateway and
 * then for the watcher and the announcer, which start after login.
 */
export async function startLiveBot(env: NodeJS.ProcessEnv, bots: BotProcess[], { readyMs = 25_000, liveMs = 20_000 }: StartTimeouts = {}): Promise<BotProcess> {
  const bot = BotProcess.start(env);
  bots.push(bot);
  await bot.ready(readyMs);
  await bot.waitForLog('live updates', (line) => line.msg === 'live updates running', liveMs);
  return bot;
}

/**
 * Asks /announce preview (as an admin) until it says nothing is waiting: the last post may still be being recorded.
 * Once nothing is pending, nothing more can be on its way. Throws with the last answer (and `tail()`) otherwise.
 */
export async function nothingPending(discord: DiscordStandIn, { attempts = 40, answerMs = 10_000, tail = () => '' }: { attempts?: number; answerMs?: number; tail?: () => string } = {}): Promise<void> {
  let said = '';
  for (let i = 0; i < attempts; i++) {
    const answer = await discord.answer(discord.command('announce preview', {}, { admin: true }), answerMs);
    said = answer.kind === 'reply' ? answer.message.content : '';
    if (/Nothing is waiting/.test(said)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/announce preview still lists pending papers:\n${said}\n${tail()}`);
}
