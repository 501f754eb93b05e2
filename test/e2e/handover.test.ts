/**
 * Announcing across replicas: two `serve` replicas share the pages, the state and a Postgres; one announces and
 * the other stands by. A page dropped in is announced once; the announcing replica is then killed with SIGKILL
 * just as another page arrives, the standby takes over, and every new paper is announced exactly once, while
 * interactions keep being answered. /metrics counts the posts where they happened.
 */
import { generateKeyPairSync } from 'node:crypto';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../db/postgres.js';
import { BotProcess, botEnvironment, makeWorkspace, runRegister, type Workspace } from './bot-process.js';
import { textOf } from './messages.js';
import { listeningUrl, publicKeyHex } from './serve-process.js';
import { DiscordStandIn } from './standin/server.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ada-lovelace-example.txt');
const FIRST_TITLES = ['Counterfactual Slot Attention for Sparse Physical Scenes', 'Identifiable Latent Tracking in Long Video without Labels'];
/** The second page: the fixture with its own person and titles. */
const SECOND_TITLES = ['Sparse Mechanism Shift Detection in Coupled Oscillators', 'Latent Intervention Discovery from Unpaired Microscopy'];
const SECOND_PAGE = `Emmy Noether-Example

ML
h-index9
2papers
101citations

2 Papers

MLJul 3, 2025
${SECOND_TITLES[0]}

Emmy Noether-Example, Sofia Kovalevskaya-Example

We detect which mechanisms of a network of coupled oscillators shifted between two recordings, without knowing the coupling graph, and show the shifted set is identifiable from a handful of trajectories.

CVFeb 11, 2025
${SECOND_TITLES[1]}

Emmy Noether-Example, Lise Meitner-Example

Unpaired microscopy images before and after perturbations suffice to discover which latent factors each perturbation acts on; we give conditions for identifiability and an estimator that scales to large screens.
`;
const announceChannelId = '1300000000000000003';

let postgres: PostgresServer;
let discord: DiscordStandIn;
let workspace: Workspace;
const replicas: Array<{ name: string; process: BotProcess; base: string }> = [];
const { privateKey, publicKey } = generateKeyPairSync('ed25519');

beforeAll(async () => {
  postgres = await startPostgres();
  const databaseUrl = await postgres.createDatabase('handover');
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
  workspace = await makeWorkspace();
  // A short lease, so the takeover happens within the test (the default is 20 s).
  const env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: announceChannelId, ANNOUNCE_BACKFILL: '0', ANNOUNCE_LEASE_MS: '3000' });
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
  for (const name of ['a', 'b']) {
    const process = BotProcess.start({ ...env, DATABASE_URL: databaseUrl, DISCORD_PUBLIC_KEY: publicKeyHex(publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
    replicas.push({ name, process, base: await listeningUrl(process) });
  }
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) replica.process.kill();
  await discord?.close();
  await workspace?.remove();
  await postgres?.stop();
});

function titleCounts(titles: string[]): number[] {
  const text = discord.channelMessages(announceChannelId).map(textOf).join('\n');
  return titles.map((title) => text.split(title).length - 1);
}

async function postedOn(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^paperbot_announcements_total\{outcome="posted"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe('announcing with two replicas', () => {
  it('announces once, and once again after the announcing replica is killed mid-run and the other takes over', async () => {
    const standby = replicas.find((r) => r.process.logs.some((l) => String(l.msg).startsWith('standby:')));
    const announcer = replicas.find((r) => r !== standby);
    expect(standby, 'one replica stands by').toBeDefined();
    expect(announcer).toBeDefined();

    await copyFile(FIXTURE, path.join(workspace.profilesDir, 'ada.txt'));
    await discord.waitFor('the first page announced', () => (titleCounts(FIRST_TITLES).every((n) => n >= 1) ? true : undefined), 20_000);
    expect(await postedOn(announcer!.base)).toBeGreaterThanOrEqual(1);

    await writeFile(path.join(workspace.profilesDir, 'emmy.txt'), SECOND_PAGE);
    announcer!.process.kill();
    await announcer!.process.exited();

    await standby!.process.waitForLog('the takeover', (l) => l.msg === 'standby: took over announcing', 30_000);
    await discord
      .waitFor('the second page announced', () => (titleCounts(SECOND_TITLES).every((n) => n >= 1) ? true : undefined), 20_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${standby!.process.tail(30)}`)));
    // Time for a duplicate to show up, were one on its way.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(titleCounts([...FIRST_TITLES, ...SECOND_TITLES])).toEqual([1, 1, 1, 1]);
    expect(await postedOn(standby!.base)).toBeGreaterThanOrEqual(1);

    discord.delivery = { url: `${standby!.base}/interactions`, privateKey };
    const answer = await discord.answer(discord.command('latest', { count: 1 }));
    expect(answer.kind).toBe('reply');
    discord.assertClean();
  }, 120_000);
});
