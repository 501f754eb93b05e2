/**
 * The HTTP server in this process, with the real router and small real commands, and a local HTTP server
 * standing in for Discord's webhook routes: what goes in the HTTP response and what goes by REST afterwards
 * (deferrals, files), and a graceful close with a request in flight.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST, SnowflakeUtil } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../src/discord/command.js';
import { interactionResponder } from '../../src/discord/interactions.js';
import { toPayload } from '../../src/discord/payload.js';
import { registerCommands } from '../../src/discord/registry.js';
import { InteractionRouter } from '../../src/discord/router.js';
import { startHttpServer, type PaperbotHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { testLibrary } from '../commands/context.js';

const APP = '1100000000000000001';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');

interface WebhookCall {
  method: string;
  path: string;
  contentType: string;
  body: string;
}

let webhooks: http.Server;
let calls: WebhookCall[] = [];
let rest: REST;
let release: () => void = () => {};
let heldStarted = false;

function command(name: string, execute: Command['execute']): Command {
  return { data: { name, description: `test ${name}`, options: [] }, execute };
}

const commands = registerCommands([
  { file: 'quick.ts', exported: command('quick', () => ({ content: 'quick answer' })) },
  {
    file: 'slow.ts',
    exported: command('slow', () => new Promise((resolve) => setTimeout(() => resolve({ content: 'slow answer' }), 120))),
  },
  {
    file: 'held.ts',
    exported: command('held', () => {
      heldStarted = true;
      return new Promise((resolve) => (release = () => resolve({ content: 'held answer' })));
    }),
  },
]);

async function serverWith(deferAfterMs: number): Promise<PaperbotHttpServer> {
  const library = await testLibrary();
  const context: CommandContext = { library: () => library, log: silentLogger, now: () => new Date() };
  const router = new InteractionRouter({ commands, context, log: silentLogger, deferAfterMs });
  return startHttpServer({ log: silentLogger, readiness: {}, interactions: { router, publicKey, rest } }, 0, '127.0.0.1');
}

// An interaction created now, as Discord sends it: its deadline counts from its id's timestamp.
function interaction(name: string, token: string): string {
  return JSON.stringify({
    id: SnowflakeUtil.generate().toString(),
    application_id: APP,
    type: 2,
    token,
    guild_id: '1300000000000000001',
    channel_id: '1300000000000000002',
    member: { user: { id: '1400000000000000001' }, permissions: '0' },
    data: { id: '1500000000000000001', name, type: 1 },
  });
}

async function send(server: PaperbotHttpServer, body: string): Promise<{ status: number; json: unknown }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`http://127.0.0.1:${server.address().port}/interactions`, {
    method: 'POST',
    headers: { 'x-signature-timestamp': timestamp, 'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex') },
    body,
  });
  return { status: response.status, json: response.status === 200 ? await response.json() : await response.text() };
}

async function until<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out; webhook calls: ${JSON.stringify(calls)}`);
}

beforeAll(async () => {
  webhooks = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('latin1') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1600000000000000001' }));
    });
  });
  await new Promise<void>((resolve) => webhooks.listen(0, '127.0.0.1', resolve));
  rest = new REST({ api: `http://127.0.0.1:${(webhooks.address() as AddressInfo).port}/api` });
});

afterAll(async () => {
  await new Promise((resolve) => webhooks.close(resolve));
});

describe('the HTTP responder', () => {
  it('answers a quick command in the HTTP response, with no webhook call', async () => {
    calls = [];
    const server = await serverWith(1_000);
    const answer = await send(server, interaction('quick', 'quick-token'));
    expect(answer.json).toMatchObject({ type: 4, data: { content: 'quick answer', allowed_mentions: { parse: [] } } });
    await server.close(1_000);
    expect(calls).toEqual([]);
  });

  it('defers a slow command in the HTTP response and edits @original through the webhook', async () => {
    calls = [];
    const server = await serverWith(20);
    const answer = await send(server, interaction('slow', 'slow-token'));
    expect(answer.json).toEqual({ type: 5, data: {} });
    const edit = await until(() => calls.find((c) => c.method === 'PATCH'));
    expect(edit.path).toBe(`/api/v10/webhooks/${APP}/slow-token/messages/@original`);
    expect(JSON.parse(edit.body)).toMatchObject({ content: 'slow answer' });
    await server.close(1_000);
  });

  it('sends a reply with files as a deferral, then the files with the webhook edit', async () => {
    calls = [];
    let response: unknown = null;
    const responder = interactionResponder({ id: '1', application_id: APP, type: 2, token: 'files-token' }, rest, async (body) => {
      response = body;
    });
    const payload = toPayload({ content: 'a chart', ephemeral: true, files: [{ name: 'chart.png', data: new Uint8Array([137, 80, 78, 71]) }] });
    await responder.reply(payload);
    expect(response).toEqual({ type: 5, data: { flags: 64 } });
    const edit = calls.find((c) => c.method === 'PATCH');
    expect(edit?.contentType).toMatch(/^multipart\/form-data/);
    expect(edit?.body).toContain('filename="chart.png"');
    expect(edit?.body).toContain('"attachments":[{"id":0,"filename":"chart.png"}]');
  });

  it('finishes a request in flight on close, and takes no new connection', async () => {
    calls = [];
    const server = await serverWith(5_000);
    const port = server.address().port;
    const pending = send(server, interaction('held', 'held-token'));
    await until(() => (heldStarted ? true : undefined));
    const closing = server.close(5_000);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    release();
    expect((await pending).json).toMatchObject({ type: 4, data: { content: 'held answer' } });
    expect(await closing).toBe(true);
  });
});
