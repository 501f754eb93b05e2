/** paperbot's HTTP server: Discord's signed interactions at `POST /interactions`, health, readiness, metrics and the site. */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import { InteractionResponseType, type REST } from 'discord.js';
import { interactionResponder, parseApiInteraction, requestOfApi, type ApiInteraction } from '../discord/interactions.js';
import { allSettledWithin, type InteractionRouter } from '../discord/router.js';
import type { Logger } from '../log.js';
import { metrics, registry } from '../metrics.js';
import { CONTENT_SECURITY_POLICY } from '../web/pages.js';
import type { SiteLookup } from '../web/site.js';

/** How old a request's timestamp may be (Discord's own examples allow 5 minutes). */
export const MAX_REQUEST_AGE_MS = 5 * 60 * 1000;

/** Why a request was refused, or 'ok'. */
export type SignatureVerdict = 'ok' | 'missing' | 'malformed' | 'stale' | 'bad-signature';

/** The public key (64 hex digits, as the developer portal shows it) as a key node:crypto verifies with. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('signature: the public key must be 64 hex digits');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

/** Checks a request's `X-Signature-Ed25519` (Ed25519 over `timestamp + body`) and refuses a stale one, so none is replayed. */
export function verifyRequest(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer, now: number = Date.now()): SignatureVerdict {
  if (!signature || !timestamp) return 'missing';
  if (!/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return 'malformed';
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_REQUEST_AGE_MS) return 'stale';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? 'ok' : 'bad-signature';
}

/** The largest interaction body accepted; Discord's are a few kilobytes (resolved users and messages included). */
const MAX_BODY_BYTES = 256 * 1024;

/** Sent with every file of the site: its policy, no sniffing, and a fresh copy after each change of the corpus. */
const SITE_HEADERS = {
  'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const REQUEST_TIMEOUT_MS = 10_000;

/** How to build the server: `interactions` in the `serve` mode only, `site` where the publication page is served. */
interface HttpServerOptions {
  log: Logger;
  /** Each check: true (or a promise of it) when the part it checks is ready. */
  readiness: Record<string, () => boolean | Promise<boolean>>;
  /** `rest` makes the webhook calls after the first acknowledgement. */
  interactions?: { router: InteractionRouter; publicKey: KeyObject; rest: REST };
  site?: SiteLookup;
}

/** A started server. */
export interface PaperbotHttpServer {
  address(): AddressInfo;
  /** Stops accepting, answers the requests in flight, closes; resolves true when all finished within `graceMs`. */
  close(graceMs: number): Promise<boolean>;
}

/** Starts the server on `port` and `host` (port 0: any free port). */
export async function startHttpServer(options: HttpServerOptions, port: number, host: string): Promise<PaperbotHttpServer> {
  let closing = false;
  const inFlight = new Set<Promise<void>>();
  const server = http.createServer((req, res) => {
    if (closing) res.setHeader('connection', 'close');
    const work = route(options, req, res, () => closing).catch((error: unknown) => {
      options.log.error('http: request failed', { error, path: req.url });
      if (!res.headersSent) void reply(res, 500, 'other', 'internal error\n').catch(() => undefined);
      else res.destroy();
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  // Rejects on an 'error' (a port in use) before 'listening'.
  await once(server.listen(port, host), 'listening');
  return {
    address: () => server.address() as AddressInfo,
    async close(graceMs) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = await allSettledWithin(inFlight, graceMs);
      server.closeAllConnections();
      await closed;
      return finished;
    },
  };
}

async function route(options: HttpServerOptions, req: http.IncomingMessage, res: http.ServerResponse, closing: () => boolean): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/interactions' && options.interactions) {
    if (req.method !== 'POST') return reply(res, 405, 'interactions', 'use POST\n', { allow: 'POST' });
    return interaction(options.interactions, options.log, req, res);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'other', 'use GET\n', { allow: 'GET' });
  if (path === '/healthz') return reply(res, 200, 'healthz', 'ok\n');
  if (path === '/readyz') {
    const checks = await readiness(options.readiness, options.log);
    if (closing()) checks['shutting_down'] = false;
    const ready = Object.values(checks).every(Boolean);
    return reply(res, ready ? 200 : 503, 'readyz', `${JSON.stringify({ ready, checks })}\n`, { 'content-type': 'application/json' });
  }
  if (path === '/metrics') return reply(res, 200, 'metrics', await registry.metrics(), { 'content-type': registry.contentType });
  const file = options.site && path !== undefined ? await options.site(path) : null;
  if (file) return reply(res, 200, 'site', file.body, { 'content-type': file.type, ...SITE_HEADERS });
  return reply(res, 404, 'other', 'not found\n');
}

async function readiness(checks: HttpServerOptions['readiness'], log: Logger): Promise<Record<string, boolean>> {
  const results = Object.entries(checks).map(async ([name, check]) => {
    try {
      return [name, await check()] as const;
    } catch (error) {
      log.warn('readiness check failed', { check: name, error: error instanceof Error ? error.message : String(error) });
      return [name, false] as const;
    }
  });
  return Object.fromEntries(await Promise.all(results));
}

async function interaction(options: NonNullable<HttpServerOptions['interactions']>, log: Logger, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === null) return reply(res, 413, 'interactions', 'request body too large\n', { connection: 'close' });
  // node:http joins a repeated header into one string (only set-cookie is an array).
  const headers = req.headers as Record<string, string | undefined>;
  const verdict = verifyRequest(options.publicKey, headers['x-signature-ed25519'], headers['x-signature-timestamp'], body);
  if (verdict !== 'ok') {
    log.debug('http: refused an interaction', { reason: verdict });
    return reply(res, 401, 'interactions', 'invalid request signature\n');
  }
  let raw: ApiInteraction;
  try {
    raw = parseApiInteraction(JSON.parse(body.toString('utf8')));
  } catch (error) {
    log.warn('http: a signed request that is not an interaction', { error: error instanceof Error ? error.message : String(error) });
    return reply(res, 400, 'interactions', 'not an interaction\n');
  }
  const request = requestOfApi(raw);
  if (request.kind === 'ping') return json(res, { type: InteractionResponseType.Pong });
  if (request.kind === 'unsupported') return reply(res, 400, 'interactions', `interaction type ${request.type} is not handled\n`);

  // The first acknowledgement the router makes becomes this request's response; the router's work may go on after it.
  const done = options.router.handle(request, interactionResponder(raw, options.rest, (answer) => json(res, answer)));
  // Until a response is written (or the client went away).
  await Promise.race([done, finished(res).catch(() => undefined)]);
  if (!res.headersSent) await done;
  // The router answered nothing it could send (it logged why): Discord shows the member "interaction failed".
  if (!res.headersSent) await reply(res, 500, 'interactions', 'no answer\n');
}

function json(res: http.ServerResponse, body: unknown): Promise<void> {
  return reply(res, 200, 'interactions', JSON.stringify(body), { 'content-type': 'application/json' });
}

// Resolves once the response is written.
function reply(res: http.ServerResponse, status: number, route: string, text: string, headers: Record<string, string> = {}): Promise<void> {
  metrics.httpRequests.inc({ route, status: String(status) });
  return new Promise((resolve, reject) => {
    res.once('error', reject);
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(res.req.method === 'HEAD' ? undefined : text, () => resolve());
  });
}

// The whole body, or null as soon as it passes `limit` bytes (the rest is read and dropped; the answer closes the connection).
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) resolve(null);
      else chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
