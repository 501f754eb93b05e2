/**
 * SHARD_COUNT: the gateway bot split into shards (discord.js's internal sharding) against the stand-in, which
 * sends each guild's events on the shard Discord would ((guild_id >> 22) % shards). Every shard identifies,
 * commands are answered on the guild's shard, announcements are posted once, and HEALTH_PORT serves readiness.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { textOf } from './messages.js';
import { DiscordStandIn } from './standin/server.js';

const announceChannelId = '1300000000000000009';
let discord: DiscordStandIn | undefined;
let workspace: Workspace | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  bot?.kill();
  await discord?.close();
  await workspace?.remove();
});

async function start(shardCount: string, recommendedShards: number): Promise<{ discord: DiscordStandIn; bot: BotProcess; healthUrl: string }> {
  discord = await DiscordStandIn.start({ heartbeatIntervalMs: 1_500, recommendedShards, extraChannelIds: [announceChannelId] });
  workspace = await makeWorkspace();
  const env = botEnvironment(discord, workspace, { SHARD_COUNT: shardCount, HEALTH_PORT: '0', HOST: '127.0.0.1', ANNOUNCE_CHANNEL_ID: announceChannelId, ANNOUNCE_BACKFILL: '1' });
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
  bot = BotProcess.start(env);
  const health = await bot.waitForLog('"health endpoints listening"', (line) => line.msg === 'health endpoints listening', 30_000);
  await bot.ready(30_000);
  // The SIGTERM handler is installed once start-up is done, after the live updates start.
  await bot.waitForLog('live updates', (line) => line.msg === 'live updates running', 30_000);
  return { discord, bot, healthUrl: `http://127.0.0.1:${String(health['port'])}` };
}

describe('SHARD_COUNT', () => {
  it('auto: runs as many shards as Discord recommends, answers on the guild\'s shard, announces once, and is ready', async () => {
    const { discord, bot, healthUrl } = await start('auto', 2);
    expect([...discord.identifiedShards].sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const answer = await discord.answer(discord.command('latest', { count: 1 }));
    expect(answer.kind === 'reply' && /The latest paper/.test(textOf(answer.message))).toBe(true);
    await discord.waitFor('the backfilled announcement', () => (discord.channelMessages(announceChannelId).length > 0 ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(discord.channelMessages(announceChannelId)).toHaveLength(1);
    const ready = await fetch(`${healthUrl}/readyz`);
    expect(await ready.json()).toEqual({ ready: true, checks: { corpus: true, database: true, gateway: true } });
    expect(await (await fetch(`${healthUrl}/metrics`)).text()).toMatch(/^paperbot_interactions_total\{kind="command",command="latest",outcome="ok"\} 1$/m);
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
    discord.assertClean();
  }, 90_000);

  it('a number: runs exactly that many shards', async () => {
    const { discord, bot } = await start('3', 1);
    expect([...discord.identifiedShards].sort()).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    const answer = await discord.answer(discord.command('latest', { count: 1 }));
    expect(answer.kind).toBe('reply');
    expect(await bot.stop()).toEqual({ code: 0, signal: null });
    discord.assertClean();
  }, 90_000);
});
