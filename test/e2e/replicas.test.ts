/**
 * Two `npm run serve` replicas on one Postgres (a server of this test's own), as behind a load balancer:
 * interactions signed with a key pair made here and spread over both, a paging started on one replica and
 * continued on the other (its state too long for the buttons, so it is in the database), a bad signature
 * refused, and each replica's /metrics counting what it answered.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonId, isApology, selectMenu, textOf } from './messages.js';
import { signedHeaders, startReplicas, type ReplicaSet } from './serve-process.js';
import type { Answer, DiscordStandIn, StoredMessage } from './standin/server.js';

/** Too long for a custom_id: the pager keeps it in the database. */
const LONG_QUERY = 'learning '.repeat(22).trim();

let set: ReplicaSet;
let discord: DiscordStandIn;
let replicas: ReplicaSet['replicas'];
let privateKey: KeyObject;

beforeAll(async () => {
  set = await startReplicas({ database: 'replicas', ownStateDirs: true });
  ({ discord, replicas, privateKey } = set);
}, 120_000);

afterAll(async () => {
  await set?.stop();
});

function on(name: 'a' | 'b'): void {
  const replica = replicas.find((r) => r.name === name)!;
  discord.delivery = { url: `${replica.base}/interactions`, privateKey };
}

async function message(answer: Promise<Answer>): Promise<StoredMessage> {
  const settled = await answer;
  if (settled.kind === 'choices') throw new Error('expected a message, got autocomplete choices');
  if (isApology(settled.message)) throw new Error(`apology:\n${settled.message.content}`);
  return settled.message;
}

async function metricsOf(name: 'a' | 'b'): Promise<string> {
  const replica = replicas.find((r) => r.name === name)!;
  return (await fetch(`${replica.base}/metrics`)).text();
}

function counted(text: string, labels: string): number {
  return Number(new RegExp(`^paperbot_interactions_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('two serve replicas on one Postgres', () => {
  it('continue on one replica a paging started on the other, both ways, and open a result on either', async () => {
    on('a');
    const first = await message(discord.answer(discord.command('search', { query: LONG_QUERY })));
    const next = buttonId(first, /Next/);
    expect(next).toMatch(/:s[\w-]{12}$/);
    const pageCount = Number(/page 1 of (\d+)/.exec(textOf(first))?.[1]);
    expect(pageCount).toBeGreaterThan(2);

    on('b');
    const second = await message(discord.answer(discord.click(first, next)));
    expect(textOf(second)).toContain(`page 2 of ${pageCount}`);
    on('a');
    const third = await message(discord.answer(discord.click(second, buttonId(second, /Next/))));
    expect(textOf(third)).toContain(`page 3 of ${pageCount}`);
    on('b');
    const back = await message(discord.answer(discord.click(third, buttonId(third, /Prev/))));
    expect(textOf(back)).toContain(`page 2 of ${pageCount}`);
    const menu = selectMenu(back);
    const opened = await message(discord.answer(discord.select(back, menu.custom_id, [menu.options[0]!.value])));
    expect(opened.embeds[0]?.title).toBe(menu.options[0]!.label);

    const spread = [...discord.interactions.values()].map((r) => r.http?.url);
    expect(new Set(spread).size).toBe(2);
    discord.assertClean();
  });

  it('refuses a bad signature on either replica with 401', async () => {
    for (const replica of replicas) {
      const body = JSON.stringify({ id: '1', application_id: discord.applicationId, type: 1, token: 't', version: 1 });
      const forged = signedHeaders(generateKeyPairSync('ed25519').privateKey, body);
      const response = await fetch(`${replica.base}/interactions`, { method: 'POST', headers: forged, body });
      expect(response.status, replica.name).toBe(401);
    }
  });

  it("counts on each replica's /metrics what that replica answered", async () => {
    const records = [...discord.interactions.values()];
    for (const replica of replicas) {
      const text = await metricsOf(replica.name);
      const mine = records.filter((r) => r.http?.url === `${replica.base}/interactions`);
      expect(counted(text, 'kind="command",command="search",outcome="ok"'), replica.name).toBe(mine.filter((r) => r.type === 2).length);
      expect(counted(text, 'kind="component",command="search",outcome="ok"'), replica.name).toBe(mine.filter((r) => r.type === 3).length);
      expect(text).toMatch(/^paperbot_http_requests_total\{route="interactions",status="401"\} 1$/m);
    }
  });
});
