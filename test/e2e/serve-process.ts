/** Talking to `npm run serve` processes in tests: keys as the portal shows them, signed requests, where they listen, two replicas on one Postgres. */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startPostgres, type PostgresServer } from '../db/postgres.js';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { DiscordStandIn, type StandInOptions } from './standin/server.js';

/** The public key as the developer portal shows it: 64 hex digits. */
export function publicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
}

/** Signs `body` as Discord does: Ed25519 over timestamp + body. */
export function signedHeaders(key: KeyObject, body: string, at = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(at / 1000));
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), key).toString('hex'),
  };
}

/** The URL a `serve` process logged it listens on. */
export async function listeningUrl(process: BotProcess, timeoutMs = 30_000): Promise<string> {
  const line = await process.waitForLog('"listening"', (l) => l.msg === 'listening', timeoutMs);
  return String(line['url']).replace(/\/interactions$/, '');
}

/** Two `serve` replicas ("a", "b") on one Postgres of the test's own, against a stand-in, with the commands registered. */
export interface ReplicaSet {
  postgres: PostgresServer;
  discord: DiscordStandIn;
  workspace: Workspace;
  replicas: Array<{ name: 'a' | 'b'; process: BotProcess; base: string }>;
  /** The private half of DISCORD_PUBLIC_KEY, to sign interactions with. */
  privateKey: KeyObject;
  /** Kills the replicas and stops the stand-in and Postgres. */
  stop(): Promise<void>;
}

/** What differs between tests of replicas. */
export interface ReplicaOptions {
  /** The Postgres database's name. */
  database: string;
  standIn?: StandInOptions;
  /** Settings for both replicas. */
  env?: Record<string, string>;
  /** Each replica its own STATE_DIR (default: both share the workspace's, as on one shared volume). */
  ownStateDirs?: boolean;
}

/** Starts a ReplicaSet; whatever was started is stopped again if a step fails. */
export async function startReplicas(options: ReplicaOptions): Promise<ReplicaSet> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const started: Partial<ReplicaSet> & { replicas: ReplicaSet['replicas'] } = { replicas: [], privateKey };
  const stop = async (): Promise<void> => {
    for (const replica of started.replicas) replica.process.kill();
    await started.discord?.close();
    await started.workspace?.remove();
    await started.postgres?.stop();
  };
  try {
    started.postgres = await startPostgres();
    const databaseUrl = await started.postgres.createDatabase(options.database);
    started.discord = await DiscordStandIn.start(options.standIn);
    started.workspace = await makeWorkspace();
    const env = botEnvironment(started.discord, started.workspace, options.env);
    const registered = await runRegister(env);
    if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
    for (const name of ['a', 'b'] as const) {
      const own: Record<string, string> = {};
      if (options.ownStateDirs) {
        own['STATE_DIR'] = path.join(started.workspace.root, `state-${name}`);
        await mkdir(own['STATE_DIR'], { recursive: true });
      }
      const process = BotProcess.start({ ...env, ...own, DATABASE_URL: databaseUrl, DISCORD_PUBLIC_KEY: publicKeyHex(publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
      // Listed before it listens, so a replica that never does is still killed.
      const replica = { name, process, base: '' };
      started.replicas.push(replica);
      replica.base = await listeningUrl(process);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...(started as ReplicaSet), stop };
}
