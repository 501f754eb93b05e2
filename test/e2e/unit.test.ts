/**
 * deploy/paperbot.service as systemd runs it, as near as a machine without systemd as PID 1 gets (no `systemd-run
 * --user` here: see docs/deploy.md): the unit's ExecStart (which deploy.test.ts holds equal to `npm start`) in its
 * WorkingDirectory (the repository), with the environment systemd gives it: the variables of its EnvironmentFile
 * (.env.example copied and filled in as docs/deploy.md says), its Environment= lines, and STATE_DIRECTORY for
 * StateDirectory=. The bot must come up against the Discord stand-in and keep its state in STATE_DIRECTORY.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BotProcess, REPO_ROOT } from './bot-process.js';
import { DiscordStandIn } from './standin/server.js';

let discord: DiscordStandIn;
let root: string;

beforeAll(async () => {
  discord = await DiscordStandIn.start();
  root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-unit-'));
});

afterAll(async () => {
  await discord.close();
  await rm(root, { recursive: true, force: true });
});

it('starts with a copy of .env.example as its env file and keeps its state in StateDirectory=', async () => {
  const unit = readFileSync(path.join(REPO_ROOT, 'deploy/paperbot.service'), 'utf8');
  const settings = (key: string): string[] => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]!);
  // The admin's copy: .env.example with the token filled in (and, here only, the stand-in's address).
  const envFile = `${readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')}\nDISCORD_TOKEN=${discord.token}\nDISCORD_API_URL=${discord.apiUrl}\n`;
  const fromUnit = Object.fromEntries(settings('Environment').map((line) => line.split('=', 2) as [string, string]));
  const stateDirectory = path.join(root, 'var/lib', settings('StateDirectory')[0]!);
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], ...parseDotenv(envFile), ...fromUnit, STATE_DIRECTORY: stateDirectory };
  await mkdir(stateDirectory, { recursive: true });

  const bot = BotProcess.start(env);
  try {
    await bot.ready(50_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${bot.output.slice(-20).join('\n')}`);
    });
    const database = bot.logs.find((line) => line.msg === 'database ready');
    expect(database?.database).toBe(`sqlite:${path.join(stateDirectory, 'paperbot.db')}`);
    expect(existsSync(path.join(stateDirectory, 'paperbot.db'))).toBe(true);
  } finally {
    await bot.stop();
  }
}, 60_000);
