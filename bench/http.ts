/**
 * How many interactions per second one `serve` replica answers: a real `npm run serve` process over a
 * synthetic corpus (bench/synthetic.ts) of each size, driven by signed requests (Ed25519, a key pair made
 * here) on keep-alive connections: /search with the bench's queries, title autocomplete keystroke by
 * keystroke, and /latest, in a fixed rotation. Each request gets a fresh snowflake (the bot counts Discord's
 * 3 s from it, so a request made up front would arrive already late) and is signed just before its clock
 * starts: the client's signing (tens of microseconds) is not in the latency.
 *
 *   npm run bench:http                         # 50 and 10,000 papers, 10 s each, 16 connections
 *   npm run --silent bench:http -- --json      # JSON only
 *   npm run bench:http -- --sizes 50 --seconds 3 --connections 8
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:http   # node flags for the server
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SEARCHES, TITLE_INPUTS } from './queries.js';
import { syntheticPages } from './synthetic.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = path.join(ROOT, 'data/profiles/francesco-locatello.txt');
const AS_OF = '2026-11-27';
const APPLICATION_ID = '1100000000000000001';

/** How to run the HTTP bench. */
export interface HttpBenchOptions {
  sizes?: number[];
  /** Measured seconds per size (after a one-second warm-up). */
  seconds?: number;
  /** Parallel keep-alive connections. */
  connections?: number;
}

/** One size's figures. */
export interface HttpBenchResult {
  papers: number;
  requests: number;
  /** Answers that were not 200 with an interaction response. */
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Of the answers, how many the server had to defer (slow handler). */
  deferred: number;
}

/** The whole run. */
export interface HttpBenchReport {
  node: string;
  cpus: string;
  connections: number;
  results: HttpBenchResult[];
}

/** Runs the bench; each size gets a fresh `serve` process. */
export async function runHttpBench(options: HttpBenchOptions = {}): Promise<HttpBenchReport> {
  const sizes = options.sizes ?? [50, 10_000];
  const seconds = options.seconds ?? 10;
  const connections = options.connections ?? 16;
  const results: HttpBenchResult[] = [];
  for (const papers of sizes) results.push(await benchSize(papers, seconds, connections));
  return { node: process.version, cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`, connections, results };
}

async function benchSize(papers: number, seconds: number, connections: number): Promise<HttpBenchResult> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-http-'));
  const profiles = path.join(root, 'data/profiles');
  await mkdir(profiles, { recursive: true });
  const seed = { file: path.basename(SEED), text: await readFile(SEED, 'utf8') };
  for (const page of syntheticPages(seed, papers, { asOf: new Date(AS_OF) })) await writeFile(path.join(profiles, page.file), page.text);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex');
  const server = spawn(process.execPath, [...(process.env['BENCH_NODE_ARGS']?.split(' ') ?? []), '--import', 'tsx', 'src/serve.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      DISCORD_PUBLIC_KEY: keyHex,
      // A closed port: a deferred answer's webhook edit fails fast instead of reaching anyone.
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      DATA_DIR: path.join(root, 'data'),
      STATE_DIR: path.join(root, 'state'),
      CORPUS_AS_OF: AS_OF,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const port = await listeningPort(server);
    const bodies = workload();
    let sent = 0;
    const nextRequest = () => signRequest(bodies[sent++ % bodies.length]!(), privateKey);
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    await drive(port, agent, nextRequest, 1, connections);
    const measured = await drive(port, agent, nextRequest, seconds, connections);
    agent.destroy();
    return { papers, ...measured };
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
    await rm(root, { recursive: true, force: true });
  }
}

const DISCORD_EPOCH = 1_420_070_400_000n;

// The rotation of interactions: every bench search, every title keystroke, and /latest. Each call of an
// entry makes a new interaction, its id a snowflake of this moment with a counter in the low bits.
function workload(): Array<() => string> {
  const bodies: Array<() => string> = [];
  let counter = 0n;
  const envelope = (type: number, data: unknown) => (): string => {
    counter += 1n;
    const id = ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (counter & 0x3fffffn);
    return JSON.stringify({
      id: String(id),
      application_id: APPLICATION_ID,
      type,
      token: `bench-${id}`,
      guild_id: '1300000000000000001',
      channel_id: '1300000000000000002',
      member: { user: { id: '1400000000000000001' }, permissions: '0' },
      data,
      version: 1,
    });
  };
  for (const search of SEARCHES) {
    if (!search.query) continue;
    bodies.push(envelope(2, { id: '1', name: 'search', type: 1, options: [{ name: 'query', type: 3, value: search.query }] }));
  }
  for (const typed of TITLE_INPUTS) {
    bodies.push(envelope(4, { id: '2', name: 'paper', type: 1, options: [{ name: 'query', type: 3, value: typed, focused: true }] }));
  }
  bodies.push(envelope(2, { id: '3', name: 'latest', type: 1, options: [{ name: 'count', type: 4, value: 5 }] }));
  return bodies;
}

function signRequest(body: string, key: Parameters<typeof sign>[2]): { body: string; headers: Record<string, string> } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-signature-timestamp': timestamp,
      'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), key).toString('hex'),
    },
  };
}

// `connections` loops, each sending the next signed request as soon as its answer is in, for `seconds`.
async function drive(port: number, agent: http.Agent, nextRequest: () => { body: string; headers: Record<string, string> }, seconds: number, connections: number): Promise<Omit<HttpBenchResult, 'papers'>> {
  const latencies: number[] = [];
  let errors = 0;
  let deferred = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const request = nextRequest();
      const sent = performance.now();
      const { status, text } = await post(port, agent, request);
      latencies.push(performance.now() - sent);
      if (status !== 200) errors += 1;
      else if (text.startsWith('{"type":5') || text.startsWith('{"type":6')) deferred += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { requests: latencies.length, errors, seconds: round(elapsed), perSecond: Math.round(latencies.length / elapsed), p50Ms: at(0.5), p99Ms: at(0.99), deferred };
}

function post(port: number, agent: http.Agent, request: { body: string; headers: Record<string, string> }): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/interactions', method: 'POST', headers: request.headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.end(request.body);
  });
}

async function listeningPort(server: ChildProcess): Promise<number> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: serve did not start within 120 s:\n${output.slice(-2_000)}`)), 120_000);
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (chunk: string) => {
      if (output.length < 100_000) output += chunk;
      const match = /"msg":"listening".*?"url":"http:\/\/[^"]*?:(\d+)\/interactions"/.exec(output);
      if (match) {
        clearTimeout(timer);
        output = '';
        resolve(Number(match[1]));
      }
    });
    server.once('exit', (code) => reject(new Error(`bench: serve exited (${code}):\n${output.slice(-2_000)}`)));
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The report as a Markdown table. */
export function formatHttpTable(report: HttpBenchReport): string {
  const lines = [
    `Node ${report.node}, ${report.cpus}, ${report.connections} keep-alive connections`,
    '',
    '| papers | interactions/s | p50 ms | p99 ms | requests | errors | deferred |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.results.map((r) => `| ${r.papers.toLocaleString('en-US')} | ${r.perSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.requests} | ${r.errors} | ${r.deferred} |`),
  ];
  return lines.join('\n');
}

function parseArgs(argv: string[]): HttpBenchOptions & { json: boolean } {
  const options: HttpBenchOptions & { json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--json') options.json = true;
    else if (arg === '--sizes' && value) (options.sizes = value.split(',').map(Number)), (i += 1);
    else if (arg === '--seconds' && value) (options.seconds = Number(value)), (i += 1);
    else if (arg === '--connections' && value) (options.connections = Number(value)), (i += 1);
    else throw new Error(`bench:http: unknown argument ${arg}`);
  }
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseArgs(process.argv.slice(2));
  runHttpBench(options).then(
    (report) => process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatHttpTable(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
