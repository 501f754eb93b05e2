/**
 * `register` and `start` against the stand-in when Discord says no: each answer explained in words an admin can act
 * on, and a 5xx at login retried instead of ending the bot.
 */
import { rm, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, SEED_PAGE, type Workspace } from './bot-process.js';
import { DiscordStandIn } from './standin/server.js';

let discord: DiscordStandIn;
let workspace: Workspace;

beforeAll(async () => {
  discord = await DiscordStandIn.start();
  workspace = await makeWorkspace();
});

afterAll(async () => {
  await discord.close();
  await workspace.remove();
});

// The output with the run's own ids and URL replaced by names, for a stable snapshot.
function plain(output: string): string {
  return output.replaceAll(discord.applicationId, '<application>').replaceAll(discord.guildId, '<server>').replaceAll(discord.apiUrl, '<api>').trim();
}

describe('npm run register explains what Discord answered', () => {
  it('a rejected token', async () => {
    const { code, output } = await runRegister(botEnvironment(discord, workspace, { DISCORD_TOKEN: 'not.the.token' }));
    expect(code).toBe(1);
    expect(plain(output)).toMatchInlineSnapshot(`"register: failed: the token was rejected: copy it again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN"`);
  });

  it('403 Missing Access: the bot is not in the server', async () => {
    discord.fault({ method: 'PUT', path: /\/applications\/\d+\/guilds\/\d+\/commands$/, status: 403 });
    const { code, output } = await runRegister(botEnvironment(discord, workspace));
    expect(code).toBe(1);
    expect(plain(output)).toMatchInlineSnapshot(`"register: failed: the bot is not in server <server> (DISCORD_GUILD_ID), or lacks the applications.commands scope: invite it with https://discord.com/oauth2/authorize?client_id=<application>&scope=bot+applications.commands"`);
  });

  it('a token that cannot be one, at once, with the words of a 401, even offline', async () => {
    const { code, output } = await runRegister(botEnvironment(discord, workspace, { DISCORD_TOKEN: 'paste-the-token-here', DISCORD_API_URL: 'http://127.0.0.1:9/api' }));
    expect(code).toBe(1);
    expect(plain(output)).toBe('register: failed: the token was rejected: copy it again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN');
  });

  it('an address where nothing answers', async () => {
    const { code, output } = await runRegister(botEnvironment(discord, workspace, { DISCORD_API_URL: 'http://127.0.0.1:9/api' }));
    expect(code).toBe(1);
    expect(plain(output)).toMatchInlineSnapshot(`"register: failed: Discord could not be reached at DISCORD_API_URL (http://127.0.0.1:9/api): ECONNREFUSED. Check the network and DISCORD_API_URL in .env"`);
  });
});

describe('npm start at login', () => {
  it('retries a 5xx with backoff and then comes up', async () => {
    // More 500s than discord.js's own REST retries, so the login itself fails once and is retried by the bot.
    discord.fault({ method: 'GET', path: /^\/gateway\/bot$/, status: 500, times: 5 });
    const bot = BotProcess.start(botEnvironment(discord, workspace));
    try {
      const retry = await bot.waitForLog('a retried login', (line) => line.msg === 'login failed, retrying');
      expect(retry).toMatchObject({ level: 'warn', attempt: 1, retryInMs: 1000, reason: "Discord answered 500 (a problem on Discord's side, usually brief)" });
      await bot.ready();
    } finally {
      await bot.stop();
    }
  });

  it('stops at once on a rejected token, saying what to do', async () => {
    const bot = BotProcess.start(botEnvironment(discord, workspace, { DISCORD_TOKEN: 'not.the.token' }));
    const { code } = await bot.exited();
    expect(code).toBe(1);
    const failed = bot.logs.find((line) => line.msg === 'start failed');
    expect(failed?.error).toBe('login failed: the token was rejected: copy it again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN');
  });

  it('stops at once on a token that cannot be one, offline, with the same words, instead of retrying', async () => {
    const bot = BotProcess.start(botEnvironment(discord, workspace, { DISCORD_TOKEN: 'paste-the-token-here', DISCORD_API_URL: 'http://127.0.0.1:9/api' }));
    const { code } = await bot.exited();
    expect(code).toBe(1);
    expect(bot.logs.filter((line) => line.msg === 'login failed, retrying')).toEqual([]);
    const failed = bot.logs.find((line) => line.msg === 'start failed');
    expect(failed?.error).toBe('login failed: the token was rejected: copy it again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN');
  }, 60_000);

  it('starts with an empty profiles folder, saying how to add papers, and picks the first page up live', async () => {
    await rm(path.join(workspace.profilesDir, path.basename(SEED_PAGE)));
    const bot = BotProcess.start(botEnvironment(discord, workspace));
    try {
      await bot.ready(50_000);
      const empty = bot.logs.find((line) => line.level === 'warn' && typeof line.msg === 'string' && line.msg.startsWith('0 papers'));
      expect(empty?.msg).toBe(`0 papers; add pages or .bib files to DATA_DIR/profiles and they are picked up live (${workspace.profilesDir})`);
      await copyFile(SEED_PAGE, path.join(workspace.profilesDir, path.basename(SEED_PAGE)));
      const reloaded = await bot.waitForLog('a reload', (line) => line.msg === 'corpus: reloaded', 30_000);
      expect(reloaded).toMatchObject({ papers: 50, previousPapers: 0 });
    } finally {
      await bot.stop();
      await copyFile(SEED_PAGE, path.join(workspace.profilesDir, path.basename(SEED_PAGE)));
    }
  }, 90_000);
});
