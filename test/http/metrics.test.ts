/**
 * What /metrics counts, in this process: the router's interactions (only known commands become labels, so a
 * forged custom_id cannot grow the series), the served library's size and age, and Discord's 429s met by REST.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../src/discord/command.js';
import { registerCommands } from '../../src/discord/registry.js';
import type { Responder } from '../../src/discord/interactions.js';
import { InteractionRouter } from '../../src/discord/router.js';
import { LibraryHolder } from '../../src/live/watch.js';
import { silentLogger } from '../../src/log.js';
import { countRateLimits, registry } from '../../src/metrics.js';
import { INVOKER, testLibrary } from '../commands/context.js';

async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
  // A histogram's series (name_count, name_sum, name_bucket) sit under the histogram's own name.
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name || m.name === name.replace(/_count$/, ''));
  const values = (metric?.values ?? []) as Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
  const found = values.find((v) => (v.metricName ?? metric?.name) === name && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return found?.value ?? 0;
}

const responder: Responder = {
  reply: async () => {},
  deferReply: async () => {},
  deferUpdate: async () => {},
  update: async () => {},
  editReply: async () => {},
  followUp: async () => {},
  deleteReply: async () => {},
  choices: async () => {},
};

describe('metrics', () => {
  it('counts interactions by command and outcome, forged command names under one label', async () => {
    const library = await testLibrary();
    const hello: Command = { data: { name: 'hello', description: 'says hello', options: [] }, execute: () => ({ content: 'hi' }) };
    const context: CommandContext = { library: () => library, log: silentLogger, now: () => new Date() };
    const router = new InteractionRouter({ commands: registerCommands([{ file: 'hello.ts', exported: hello }]), context, log: silentLogger });
    const before = {
      ok: await sample('paperbot_interactions_total', { command: 'hello', outcome: 'ok' }),
      unknown: await sample('paperbot_interactions_total', { command: '(unknown)', outcome: 'unknown-command' }),
      latency: await sample('paperbot_reply_latency_seconds_count', { kind: 'command' }),
    };
    await router.handleCommand({ command: 'hello', options: {}, invoker: INVOKER }, responder);
    for (const forged of ['x1', 'x2', 'x3']) await router.handleComponent({ customId: `${forged}:page:1`, values: [], invoker: INVOKER, messageCreatedAt: null }, responder);
    expect(await sample('paperbot_interactions_total', { command: 'hello', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await sample('paperbot_interactions_total', { command: '(unknown)', outcome: 'unknown-command' })).toBe(before.unknown + 3);
    expect(await sample('paperbot_interactions_total', { command: 'x1' })).toBe(0);
    expect(await sample('paperbot_reply_latency_seconds_count', { kind: 'command' })).toBe(before.latency + 1);
  });

  it('shows the served library: papers, profiles, and when it was loaded, after every swap', async () => {
    const library = await testLibrary();
    const holder = new LibraryHolder(library);
    expect(await sample('paperbot_corpus_papers')).toBe(library.corpus.papers.length);
    const small = await testLibrary(['test/fixtures/pages/small.txt']);
    const reloaded = { ...small, loadedAt: new Date('2026-12-01T00:00:00Z') };
    holder.swap(reloaded);
    expect(await sample('paperbot_corpus_papers')).toBe(small.corpus.papers.length);
    expect(await sample('paperbot_corpus_profiles')).toBe(1);
    expect(await sample('paperbot_corpus_last_reload_timestamp_seconds')).toBe(Date.parse('2026-12-01T00:00:00Z') / 1000);
  });

  it("counts Discord's 429 answers met by REST", async () => {
    let calls = 0;
    const server = http.createServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0', 'x-ratelimit-scope': 'user' });
        res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.01, global: false }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rest = new REST({ api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api` }).setToken('t');
    countRateLimits(rest);
    const before = await sample('paperbot_discord_rate_limits_total', { kind: '429' });
    await rest.post('/channels/1/messages', { body: { content: 'x' } });
    expect(await sample('paperbot_discord_rate_limits_total', { kind: '429' })).toBe(before + 1);
    await new Promise((resolve) => server.close(resolve));
  });
});
