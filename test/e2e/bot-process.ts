/**
 * The bot as a user runs it: the `npm start` command (and `npm run register`) as child processes in their own process group,
 * with DISCORD_API_URL pointing at the stand-in and a temporary DATA_DIR and STATE_DIR. `stop` and `kill` end the
 * whole group, so no tsx or node process outlives a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import type { DiscordStandIn } from './standin/server.js';

/** The repository root (where package.json is). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The seed page every e2e corpus starts from. */
export const SEED_PAGE = path.join(REPO_ROOT, 'data/profiles/francesco-locatello.txt');

const SCRIPTS = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** A package.json script, split into a command line. */
function scriptCommand(name: 'start' | 'serve'): [string, ...string[]] {
  const script = SCRIPTS[name];
  if (!script) throw new Error(`package.json has no "${name}" script`);
  return script.split(/\s+/) as [string, ...string[]];
}

/**
 * Fails each test of the calling file after it when the stand-in recorded a violation during it, or any unexpected
 * route: whatever a test did, the bot must not have sent Discord anything it rejects. The error holds the
 * stand-in's report and `tail()` (the bot's last lines).
 */
export function failOnStandInProblems(discord: () => DiscordStandIn, tail: () => string): void {
  let before = 0;
  beforeEach(({ onTestFailed }) => {
    before = discord().violations.length;
    // Whatever failed (a wait timed out, an expectation), the bot's own account of it goes with the failure.
    onTestFailed(() => void process.stderr.write(`the bot's last log lines:\n${tail()}\n`));
  });
  afterEach(() => {
    const standIn = discord();
    if (standIn.violations.length > before || standIn.unexpectedRoutes.length > 0) throw new Error(`stand-in recorded problems:\n${standIn.report()}\n${tail()}`);
  });
}

/** A temporary DATA_DIR (with profiles/ holding the seed page) and STATE_DIR. */
export interface Workspace {
  root: string;
  dataDir: string;
  profilesDir: string;
  stateDir: string;
  remove(): Promise<void>;
}

/** Makes a workspace with the seed page copied into DATA_DIR/profiles. */
export async function makeWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-e2e-'));
  const dataDir = path.join(root, 'data');
  const profilesDir = path.join(dataDir, 'profiles');
  const stateDir = path.join(root, 'state');
  await mkdir(profilesDir, { recursive: true });
  await mkdir(stateDir, { recursive: true });
  await copyFile(SEED_PAGE, path.join(profilesDir, path.basename(SEED_PAGE)));
  return { root, dataDir, profilesDir, stateDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/** The environment the bot gets: every variable it reads is set, so a developer's .env cannot leak in. */
export function botEnvironment(discord: DiscordStandIn, workspace: Workspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    TMPDIR: os.tmpdir(),
    NODE_ENV: 'test',
    DISCORD_TOKEN: discord.token,
    DISCORD_CLIENT_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: workspace.dataDir,
    STATE_DIR: workspace.stateDir,
    DATABASE_URL: '',
    ANNOUNCE_CHANNEL_ID: '',
    ANNOUNCE_BACKFILL: '0',
    // Short, so announcements in tests need not wait the default 5 s for the pages to settle.
    ANNOUNCE_SETTLE_MS: '1000',
    LOG_LEVEL: 'info',
    SITE_URL: '',
    SITE_TITLE: '',
    WEB_PORT: '',
    ...extra,
  };
}

/** One JSON log line from the bot's stderr (other lines are kept as `{ msg: line }`). */
export type LogLine = Record<string, unknown> & { msg?: unknown; level?: unknown };

/** A running bot: its logs, and ways to wait for a line and to end it. */
export class BotProcess {
  readonly logs: LogLine[] = [];
  readonly output: string[] = [];
  #exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    this.#exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    const collect = (stream: NodeJS.ReadableStream | null, name: string): void => {
      let pending = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          this.output.push(`${name}: ${line}`);
          this.logs.push(parseLogLine(line));
        }
      });
    };
    collect(child.stdout, 'out');
    collect(child.stderr, 'err');
  }

  /**
   * Starts what `npm start` (or `npm run serve`) runs (`node --import tsx src/index.ts`, with node_modules/.bin on PATH as npm puts it) in its own
   * process group. Not through npm itself: npm dies of SIGTERM instead of passing it on and reporting the bot's exit.
   */
  static start(env: NodeJS.ProcessEnv, script: 'start' | 'serve' = 'start'): BotProcess {
    const [command, ...args] = scriptCommand(script);
    const child = spawn(command, args, { cwd: REPO_ROOT, env: withLocalBin(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new BotProcess(child);
  }

  /** Resolves with the first log line (from now or earlier) that `matches`; rejects if the bot exits first. */
  async waitForLog(what: string, matches: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.#exit.then(() => (exited = true));
    for (;;) {
      const found = this.logs.find(matches);
      if (found) return found;
      if (exited) throw new Error(`bot exited before logging ${what}\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`bot did not log ${what} within ${timeoutMs} ms\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits for the `"msg":"ready"` line the bot logs once the gateway is ready. */
  async ready(timeoutMs = 25_000): Promise<void> {
    await this.waitForLog('"ready"', (line) => line.msg === 'ready', timeoutMs);
  }

  /** Sends `signal` to the bot's main process (as a container runtime or service manager does) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.#exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.#exit;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the whole process group at once (tsx and node); safe to call twice. */
  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }

  /** Waits until the main process has exited, then kills what may remain of its group. */
  async exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const result = await this.#exit;
    this.kill();
    return result;
  }

  /** The last lines the bot wrote, for failure messages. */
  tail(lines = 40): string {
    return `bot output (last ${lines} lines):\n${this.output.slice(-lines).join('\n')}`;
  }
}

// npm runs scripts with node_modules/.bin first on PATH.
function withLocalBin(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${path.join(REPO_ROOT, 'node_modules/.bin')}${path.delimiter}${env['PATH'] ?? ''}` };
}

/** Runs `npm run register` with `env` to completion; returns its exit code and output. */
export async function runRegister(env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', 'register'], { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  killGroup(child);
  return { code, output };
}

/** Processes of the group led by `pid` still alive after up to `graceMs` (for the "nothing left behind" check). */
export async function processesLeft(pid: number, graceMs = 5_000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const alive = await processesInGroup(pid);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function processesInGroup(pid: number): Promise<string[]> {
  const child = spawn('ps', ['-eo', 'pid=,pgid=,args='], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(child, 'exit');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.split(/\s+/)[1] === String(pid));
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function parseLogLine(line: string): LogLine {
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as LogLine;
  } catch {
    // Not JSON: keep the text.
  }
  return { msg: line };
}
