/**
 * State that survives damage, with the real bot process: a damaged database is set aside and the last good
 * generation used (so papers added meanwhile are announced); a state path that is a directory, or on a full or
 * read-only disk, is reported with the path and what to do; SIGTERM on a read-only disk still exits cleanly.
 * The full and read-only disks are real: small tmpfs mounts (the test runs as root, as the CI container does).
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnvironment, makeWorkspace, type Workspace } from './bot-process.js';
import { textOf } from './messages.js';
import { DiscordStandIn } from './standin/server.js';

const NEW_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ada-lovelace-example.txt');
const NEW_TITLES = ['Counterfactual Slot Attention for Sparse Physical Scenes', 'Identifiable Latent Tracking in Long Video without Labels'];
const announceChannelId = '1320000000000000001';

let discord: DiscordStandIn;
const workspaces: Workspace[] = [];
const bots: BotProcess[] = [];
const mounts: string[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
});

afterEach(() => {
  for (const bot of bots.splice(0)) bot.kill();
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
});

afterAll(async () => {
  await discord?.close();
  for (const workspace of workspaces) await workspace.remove();
});

async function workspace(): Promise<Workspace> {
  const made = await makeWorkspace();
  workspaces.push(made);
  return made;
}

// A real tmpfs at `dir`, `size` bytes.
function mountTmpfs(dir: string, size: number): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test mounts a tmpfs to get a real full or read-only disk, which needs root (CAP_SYS_ADMIN): ${String(error)}`);
  }
  mounts.push(dir);
}

function start(env: NodeJS.ProcessEnv): BotProcess {
  const bot = BotProcess.start(env);
  bots.push(bot);
  return bot;
}

async function startFailure(env: NodeJS.ProcessEnv): Promise<string> {
  const bot = start(env);
  const line = await bot.waitForLog('start failed', (l) => l.msg === 'start failed');
  expect((await bot.exited()).code).toBe(1);
  return String(line.error);
}

describe('state that survives damage', () => {
  it('reports a directory where the database file should be, and a full disk, with the path and what to do', async () => {
    const blocked = await workspace();
    await mkdir(path.join(blocked.stateDir, 'paperbot.db'));
    expect(await startFailure(botEnvironment(discord, blocked))).toBe(
      `database: ${path.join(blocked.stateDir, 'paperbot.db')} is a directory, not a database file: remove it or set DATABASE_URL to another file`,
    );

    const full = await workspace();
    mountTmpfs(full.stateDir, 40 * 1024);
    expect(await startFailure(botEnvironment(discord, full))).toBe(
      `state: the disk holding ${path.join(full.stateDir, 'paperbot.db')} is full: free some space there, or set STATE_DIR (or DATABASE_URL) to another disk`,
    );
  }, 60_000);

  it('exits cleanly on SIGTERM when the state disk has turned read-only', async () => {
    const readOnly = await workspace();
    const bot = start(botEnvironment(discord, readOnly, { ANNOUNCE_CHANNEL_ID: announceChannelId }));
    await bot.ready();
    await bot.waitForLog('live updates', (line) => line.msg === 'live updates running');
    // A file system with files open for writing cannot be remounted read-only, so a read-only copy of the state
    // folder is mounted over it: from now on every path there (the database, the backups) is on a read-only disk.
    const copy = path.join(readOnly.root, 'read-only-copy');
    await mkdir(copy);
    mountTmpfs(copy, 16 * 1024 * 1024);
    execFileSync('cp', ['-a', `${readOnly.stateDir}/.`, copy]);
    execFileSync('mount', ['-o', 'remount,ro', copy]);
    execFileSync('mount', ['--bind', copy, readOnly.stateDir]);
    mounts.unshift(readOnly.stateDir);
    expect(() => execFileSync('touch', [path.join(readOnly.stateDir, 'probe')], { stdio: 'pipe' })).toThrow(/Read-only file system/);
    expect(await bot.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(bot.logs.some((line) => line.msg === 'stopped')).toBe(true);
  }, 60_000);

  it('sets a damaged database aside, uses the last good generation, and announces the papers added while the bot was down', async () => {
    const damaged = await workspace();
    const env = botEnvironment(discord, damaged, { ANNOUNCE_CHANNEL_ID: announceChannelId });
    const first = start(env);
    await first.ready();
    await first.waitForLog('the baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'));
    await first.waitForLog('live updates', (line) => line.msg === 'live updates running');
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const file = path.join(damaged.stateDir, 'paperbot.db');
    await writeFile(file, 'overwritten by a failing disk: not an SQLite database');
    await copyFile(NEW_PAGE, path.join(damaged.profilesDir, path.basename(NEW_PAGE)));
    const second = start(env);
    await second.waitForLog('live updates', (line) => line.msg === 'live updates running');
    const restored = await second.waitForLog('the restore', (line) => String(line.msg).startsWith('database: the state file is unreadable; it was set aside and the last good generation restored'));
    expect(restored.file).toBe(file);
    const text = (): string => discord.channelMessages(announceChannelId).map(textOf).join('\n');
    await discord.waitFor('the papers added while down', () => (NEW_TITLES.every((title) => text().includes(title)) ? true : undefined), 20_000);
    expect(NEW_TITLES.map((title) => text().split(title).length - 1)).toEqual([1, 1]);
    expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 60_000);
});
