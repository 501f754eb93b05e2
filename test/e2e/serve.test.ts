/**
 * `npm run serve` as Discord's HTTP interactions endpoint: the real process, interactions POSTed by the
 * stand-in and signed with a key pair made here, webhook calls answered by the stand-in's REST API. No gateway.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerStages } from '../deploy/dockerfile.js';
import { botEnvironment, BotProcess, failOnStandInProblems, makeWorkspace, REPO_ROOT, runRegister, type Workspace } from './bot-process.js';
import { buttonId, isApology, selectMenu, textOf } from './messages.js';
import { listeningUrl, publicKeyHex, signedHeaders } from './serve-process.js';
import { DiscordStandIn, type Answer, type StoredMessage } from './standin/server.js';

let discord: DiscordStandIn;
let workspace: Workspace;
let server: BotProcess;
let base: string;
let privateKey: KeyObject;

// Runs deploy/Dockerfile's HEALTHCHECK command (exec form) as the container would, with PORT set.
function healthcheck(port: string): number | null {
  const stages = dockerStages(readFileSync(path.join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8'));
  const instruction = stages.at(-1)?.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
  const [program = '', ...args] = JSON.parse(instruction.slice(instruction.indexOf('CMD ') + 4)) as string[];
  return spawnSync(program, args, { env: { PATH: process.env['PATH'], PORT: port }, timeout: 10_000 }).status;
}

beforeAll(async () => {
  const pair = generateKeyPairSync('ed25519');
  privateKey = pair.privateKey;
  discord = await DiscordStandIn.start();
  workspace = await makeWorkspace();
  const env = botEnvironment(discord, workspace);
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`register failed:\n${registered.output}`);
  // No DISCORD_TOKEN: answering interactions needs only the public key (webhooks carry the interaction's token).
  server = BotProcess.start({ ...env, DISCORD_TOKEN: '', DISCORD_PUBLIC_KEY: publicKeyHex(pair.publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
  base = await listeningUrl(server);
  discord.delivery = { url: `${base}/interactions`, privateKey };
}, 60_000);

afterAll(async () => {
  server?.kill();
  await discord?.close();
  await workspace?.remove();
});

failOnStandInProblems(() => discord, () => server.tail());

async function message(answer: Promise<Answer>): Promise<StoredMessage> {
  const settled = await answer;
  if (settled.kind === 'choices') throw new Error('expected a message, got autocomplete choices');
  if (isApology(settled.message)) throw new Error(`the bot apologised:\n${settled.message.content}\n${server.tail()}`);
  return settled.message;
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}/interactions`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

describe('the interactions endpoint', () => {
  it('answers a signed PING with PONG', async () => {
    const body = JSON.stringify({ id: '1', application_id: discord.applicationId, type: 1, token: 'ping', version: 1 });
    const answer = await post(body, signedHeaders(privateKey, body));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ type: 1 });
  });

  it('refuses a missing, forged, tampered or stale signature with 401, and an oversized body with 413', async () => {
    const body = JSON.stringify({ id: '1', application_id: discord.applicationId, type: 1, token: 'ping', version: 1 });
    const good = signedHeaders(privateKey, body);
    const other = generateKeyPairSync('ed25519').privateKey;
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(body, signedHeaders(other, body))).status).toBe(401);
    expect((await post(body.replace('"ping"', '"pong"'), good)).status).toBe(401);
    expect((await post(body, signedHeaders(privateKey, body, Date.now() - 6 * 60 * 1000))).status).toBe(401);
    const huge = JSON.stringify({ type: 1, padding: 'x'.repeat(300 * 1024) });
    expect((await post(huge, signedHeaders(privateKey, huge))).status).toBe(413);
  });

  it('runs a command, its paging buttons, its menu and an autocomplete through the router', async () => {
    const first = await message(discord.answer(discord.command('search', { query: 'learning' })));
    expect(textOf(first)).toMatch(/page 1 of \d+/);
    const next = await discord.answer(discord.click(first, buttonId(first, /Next/)));
    expect(next.kind).toBe('update');
    const second = await message(Promise.resolve(next));
    expect(textOf(second)).toMatch(/page 2 of \d+/);
    const menu = selectMenu(second);
    const opened = await discord.answer(discord.select(second, menu.custom_id, [menu.options[0]?.value ?? '']));
    expect(opened.kind === 'reply' && opened.ephemeral).toBe(true);
    expect(textOf(await message(Promise.resolve(opened)))).toContain(menu.options[0]?.label.slice(0, 20) ?? '');
    const choices = await discord.answer(discord.autocomplete('paper', 'query', 'slot att'));
    expect(choices.kind === 'choices' && choices.choices.some((c) => /slot/i.test(c.name))).toBe(true);
    for (const record of discord.interactions.values()) expect(record.http?.status).toBe(200);
  });

  it('answers a user error ephemerally in the HTTP response itself', async () => {
    // /announce preview by a member without Manage Server: a user error, ephemeral.
    const refused = await discord.answer(discord.command('announce preview', {}));
    expect(refused.kind === 'reply' && refused.ephemeral && !refused.deferred).toBe(true);
  });

  it('serves /healthz, /readyz and /metrics that count what was answered', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { corpus: true, database: true } });
    const text = await (await fetch(`${base}/metrics`)).text();
    const counted = (labels: string): number => Number(new RegExp(`^paperbot_interactions_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    const commands = [...discord.interactions.values()].filter((r) => r.type === 2 && r.label.startsWith('/search')).length;
    expect(counted('kind="command",command="search",outcome="ok"')).toBe(commands);
    expect(counted('kind="component",command="search",outcome="ok"')).toBe(2);
    expect(counted('kind="autocomplete",command="paper",outcome="ok"')).toBe(1);
    expect(/^paperbot_http_requests_total\{route="interactions",status="401"\} 4$/m.test(text)).toBe(true);
    expect(/^paperbot_corpus_papers 50$/m.test(text)).toBe(true);
    expect(/^paperbot_search_latency_seconds_count [1-9]\d*$/m.test(text)).toBe(true);
  });

  it("passes the Dockerfile's HEALTHCHECK while it runs, and fails it once stopped by SIGTERM (exit code 0)", async () => {
    const port = new URL(base).port;
    expect(healthcheck(port)).toBe(0);
    const result = await server.stop('SIGTERM');
    expect(result).toEqual({ code: 0, signal: null });
    expect(discord.gateway.connections).toBe(0);
    expect(healthcheck(port)).toBe(1);
  });
});
