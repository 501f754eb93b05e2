/**
 * A real Postgres server of a test's own: `initdb` in a temporary folder, `postgres` on a free port of
 * 127.0.0.1, stopped and removed afterwards. Postgres refuses to run as root, so under root (as CI runs) it runs
 * as an unprivileged system user (`postgres` where the Debian package made it, else `paperbot-pg`, created
 * here) through `setpriv`, which execs it directly: the pid the test holds is the server's own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

/** Where Debian installs the server programs, one folder per major version. */
const POSTGRES_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'paperbot';
const FALLBACK_USER = 'paperbot-pg';

/** A running server. */
export interface PostgresServer {
  port: number;
  /** A new empty database on the server; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and keeps its data: an outage; `resume` starts it again on the same port. */
  pause(): Promise<void>;
  /** Starts a paused server again, with its data, on the same port; resolves once it accepts connections. */
  resume(): Promise<void>;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

/** The newest installed version's bin folder (with initdb), or null when Postgres is not installed. */
export function postgresBinDir(): string | null {
  if (!existsSync(POSTGRES_ROOT)) return null;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((entry) => existsSync(path.join(POSTGRES_ROOT, entry, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? path.join(POSTGRES_ROOT, versions[0], 'bin') : null;
}

/** Starts a fresh server; throws (saying what to install) when the programs are missing. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(`postgres: no initdb under ${POSTGRES_ROOT}/<version>/bin: install Debian's postgresql package (.ci/run does)`);
  const runAs = process.getuid?.() === 0 ? serverUser() : null;
  const root = mkdtempSync(path.join(os.tmpdir(), 'paperbot-pg-'));
  const dataDir = path.join(root, 'data');
  if (runAs) chownSync(root, runAs.uid, runAs.gid);
  const run = (program: string, args: string[]): [string, string[]] =>
    runAs ? ['setpriv', [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', path.join(bin, program), ...args]] : [path.join(bin, program), args];

  const [initdb, initArgs] = run('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  try {
    initialize(dataDir, bin, () => execFileSync(initdb, initArgs, { cwd: root, stdio: 'pipe' }));
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`postgres: initdb failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  const port = await freePort();
  // Durability settings off: a test's server is thrown away, and they make it several times faster.
  const [postgres, args] = run('postgres', ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', root, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  let running: Running;
  try {
    running = await launch(postgres, args, root, adminUrl);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,40}$/.test(name)) throw new Error(`postgres: bad database name ${name}`);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    },
    pause: () => shutDown(running),
    async resume() {
      if (running.child.exitCode === null && running.child.signalCode === null) throw new Error('postgres: resume while the server runs');
      running = await launch(postgres, args, root, adminUrl);
    },
    async stop() {
      await shutDown(running);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Fills `dataDir` as `initdb` would. In a vitest run the first server runs `initdb` and keeps a copy of the fresh
 * folder where test/db/postgres-template.ts says; later servers copy that instead (`cp -a` keeps the owner and the
 * modes Postgres checks), since initdb is most of a start. Each server still gets its own folder and port.
 */
function initialize(dataDir: string, bin: string, initdb: () => void): void {
  const templates = inject('postgresTemplates') as string | undefined;
  const template = templates ? path.join(templates, path.basename(path.dirname(bin))) : null;
  if (template && existsSync(template)) {
    execFileSync('cp', ['-a', template, dataDir], { stdio: 'pipe' });
    return;
  }
  initdb();
  if (!template) return;
  // Copied aside, then renamed into place: a server starting meanwhile never copies half a folder.
  const staging = `${template}.${process.pid}`;
  execFileSync('cp', ['-a', dataDir, staging], { stdio: 'pipe' });
  try {
    renameSync(staging, template);
  } catch {
    // Another file's server put its copy there first.
    rmSync(staging, { recursive: true, force: true });
  }
}

interface Running {
  child: ChildProcess;
  exited: Promise<unknown>;
}

// Starts the server program and waits until it accepts connections (killing it when it never does).
async function launch(program: string, args: string[], cwd: string, adminUrl: string): Promise<Running> {
  const child = spawn(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
  const exited = once(child, 'exit');
  try {
    await waitUntilAccepting(adminUrl, child, () => log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, exited };
}

async function shutDown({ child, exited }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // SIGINT is Postgres's fast shutdown: clients are disconnected, nothing is waited for.
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// The user the server runs as under root: the Debian package's `postgres`, else a system user made now.
function serverUser(): { uid: number; gid: number } {
  for (const name of ['postgres', FALLBACK_USER]) {
    const ids = userIds(name);
    if (ids) return ids;
  }
  try {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_USER], { stdio: 'pipe' });
  } catch (error) {
    // Another test file may have made it at the same moment; only a still-missing user is a problem.
    if (!userIds(FALLBACK_USER)) throw new Error(`postgres: cannot create the system user ${FALLBACK_USER}: ${String(error)}`);
  }
  const ids = userIds(FALLBACK_USER);
  if (!ids) throw new Error(`postgres: the system user ${FALLBACK_USER} is missing`);
  return ids;
}

function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { stdio: 'pipe' }).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name], { stdio: 'pipe' }).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilAccepting(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres: the server exited (${child.exitCode}):\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres: not accepting connections after 30 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
