/**
 * Announcing across replicas: two `serve` replicas share the pages, the state and a Postgres; one announces and
 * the other stands by. A page dropped in is announced once; the announcing replica is then killed with SIGKILL
 * just as another page arrives, the standby takes over, and every new paper is announced exactly once, while
 * interactions keep being answered. /metrics counts the posts where they happened.
 */
import type { KeyObject } from 'node:crypto';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from './bot-process.js';
import { textOf } from './messages.js';
import { startReplicas, type ReplicaSet } from './serve-process.js';
import type { DiscordStandIn } from './standin/server.js';

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

let set: ReplicaSet;
let discord: DiscordStandIn;
let workspace: Workspace;
let replicas: ReplicaSet['replicas'];
let privateKey: KeyObject;

beforeAll(async () => {
  // A short lease, so the takeover happens within the test (the default is 20 s).
  set = await startReplicas({
    database: 'handover',
    standIn: { extraChannelIds: [announceChannelId] },
    env: { ANNOUNCE_CHANNEL_ID: announceChannelId, ANNOUNCE_BACKFILL: '0', ANNOUNCE_LEASE_MS: '3000' },
  });
  ({ discord, workspace, replicas, privateKey } = set);
}, 120_000);

afterAll(async () => {
  await set?.stop();
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
    // The standby says so once its first try for the lease finds it held, a moment after it listens.
    const isStandbyLine = (line: { msg?: unknown }) => String(line.msg).startsWith('standby:');
    await Promise.any(replicas.map((r) => r.process.waitForLog('"standby:"', isStandbyLine, 30_000)));
    const standby = replicas.find((r) => r.process.logs.some(isStandbyLine));
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
