/**
 * `npm run bench:reload [-- --sizes 1000,10000] [-- --json]`: the live library (src/live) on synthetic pages at
 * 1,000, 10,000 and 100,000 papers. For each size: the first open with no snapshot; a rebuild after one page
 * changes, with the longest event-loop block while it runs (`perf_hooks.monitorEventLoopDelay`), and the same for
 * the reader thread's part alone (read, parse, merge, the corpus sent back in chunks); and a restart over the
 * unchanged pages in a fresh process, from the snapshot, to a library ready to serve.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '../src/log.js';
import { PageReader } from '../src/live/reader.js';
import { openLiveLibrary } from '../src/live/watch.js';
import { printPaperBlock } from '../src/corpus/print.js';
import { syntheticPages } from './synthetic.js';

/** What one size measured; times in ms. */
export interface ReloadReport {
  papers: number;
  pages: number;
  /** Opening with no snapshot: read and parse every page (reader thread), build the index. */
  coldOpenMs: number;
  /** One page changed: the whole reload until the new library is swapped in. */
  rebuildMs: number;
  /** The longest event-loop block during that reload (wall clock). */
  rebuildBlockMs: number;
  /** The same, on CPU: the main thread's longest stretch of work (null off Linux). */
  rebuildBlockOnCpuMs: number | null;
  /** The longest event-loop block while the reader thread reads every page and sends the corpus back (no index build). */
  readerBlockMs: number;
  readerBlockOnCpuMs: number | null;
  /** A fresh process over the unchanged pages: from start to a library ready to serve, and whether the snapshot was used. */
  restartMs: number;
  /** CPU time (all threads, user + system) the restarted process used until ready: what the machine's load does not inflate. */
  restartCpuMs: number;
  restartFromSnapshot: boolean;
  /** The machine's 1-minute load average when this size finished: on a shared machine, wall times and blocks stretch with it. */
  loadAverage: number;
}

const SEED = fileURLToPath(new URL('../data/profiles/francesco-locatello.txt', import.meta.url));
const AS_OF = new Date('2025-11-01T00:00:00Z');
const DEFAULT_SIZES = [1_000, 10_000, 100_000];

/** Measures one size in temp directories it removes afterwards. */
export async function measureReload(papers: number): Promise<ReloadReport> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-reload-'));
  const dir = path.join(root, 'profiles');
  const stateDir = path.join(root, 'state');
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const saves = (): number => lines.filter((line) => line.msg === 'live: snapshot saved').length;
  try {
    const seed = { file: 'francesco-locatello.txt', text: await readFile(SEED, 'utf8') };
    const pages = syntheticPages(seed, papers, { asOf: AS_OF });
    await mkdir(dir, { recursive: true });
    for (const page of pages) await writeFile(path.join(dir, path.basename(page.file)), page.text);

    const coldStart = performance.now();
    const live = await openLiveLibrary({ dir, stateDir, asOf: AS_OF, log, rescanMs: 3_600_000, debounceMs: 3_600_000, settleMs: 0 });
    const coldOpenMs = performance.now() - coldStart;
    const served = live.holder.current.corpus;
    await live.start();
    await waitFor(() => saves() === 1);

    // One page gains a paper: the reader thread reads that page again, merges every page and sends the whole
    // corpus back; the index is rebuilt over all of it.
    const changedPage = path.join(dir, path.basename(pages.at(-1)?.file ?? seed.file));
    const extra = served.papers[0];
    if (extra) await appendFile(changedPage, `\n${printPaperBlock({ ...extra, title: `${extra.title} Revisited` })}\n`);
    const rebuild = await blockDuring(() => live.rescan());
    // The restart below reads the snapshot of the pages as they are now.
    await waitFor(() => saves() === 2);
    await live.stop();

    const reader = new PageReader({ dir, stateDir: null, log });
    const read = await blockDuring(() => reader.scan({ touched: [], asOf: AS_OF }));
    await reader.close();

    const restart = await restartInFreshProcess(dir, stateDir);
    return {
      papers: served.papers.length,
      pages: pages.length,
      coldOpenMs,
      rebuildMs: rebuild.ms,
      rebuildBlockMs: rebuild.maxBlockMs,
      rebuildBlockOnCpuMs: rebuild.maxOnCpuMs,
      readerBlockMs: read.maxBlockMs,
      readerBlockOnCpuMs: read.maxOnCpuMs,
      restartMs: restart.ms,
      restartCpuMs: restart.cpuMs,
      restartFromSnapshot: restart.fromSnapshot,
      loadAverage: os.loadavg()[0] ?? 0,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Runs `work` with the event-loop delay histogram on; the longest block seen (wall clock) and the time taken. On
 * Linux also the longest stretch the main thread spent on a CPU between two ticks of a 2 ms timer (from
 * /proc/thread-self/schedstat): the block's own work, without the time a loaded machine kept the thread waiting
 * for a core, which the wall-clock figure includes.
 */
async function blockDuring<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; maxBlockMs: number; maxOnCpuMs: number | null }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let lastCpu = threadCpuMs();
  let maxOnCpuMs = 0;
  const ticker = setInterval(() => {
    const cpu = threadCpuMs();
    maxOnCpuMs = Math.max(maxOnCpuMs, cpu - lastCpu);
    lastCpu = cpu;
  }, 2);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  // A block is recorded when the timers finally run after it: let them run once more.
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(ticker);
  histogram.disable();
  return { result, ms, maxBlockMs: histogram.max / 1e6, maxOnCpuMs: Number.isNaN(lastCpu) ? null : maxOnCpuMs };
}

// This thread's time on a CPU so far, in ms (Linux); NaN elsewhere.
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

async function restartInFreshProcess(dir: string, stateDir: string): Promise<{ ms: number; cpuMs: number; fromSnapshot: boolean }> {
  // As the bot runs: node with tsx's loader (named by path, so this works from vitest too).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url), '--restart', dir, stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { ms: number; cpuMs: number; fromSnapshot: boolean };
}

// The child: from process start (not module load) to a library ready to serve.
async function restartChild(dir: string, stateDir: string): Promise<void> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  const live = await openLiveLibrary({ dir, stateDir, asOf: AS_OF, log });
  const ms = performance.now();
  const cpu = process.cpuUsage();
  const ready = lines.find((line) => line.msg === 'live: library ready');
  await live.stop();
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1_000, fromSnapshot: ready?.['fromSnapshot'] === true })}\n`);
}

async function waitFor(check: () => boolean, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The reports as a markdown table. */
export function reloadTable(reports: readonly ReloadReport[]): string {
  const n = (value: number | null): string => (value === null ? '–' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1));
  const rows = reports.map(
    (r) =>
      `| ${r.papers.toLocaleString('en-US')} | ${n(r.coldOpenMs)} | ${n(r.rebuildMs)} | ${n(r.rebuildBlockMs)} / ${n(r.rebuildBlockOnCpuMs)} | ${n(r.readerBlockMs)} / ${n(r.readerBlockOnCpuMs)} | ${n(r.restartMs)} / ${n(r.restartCpuMs)}${r.restartFromSnapshot ? '' : ' (no snapshot)'} | ${r.loadAverage.toFixed(1)} |`,
  );
  return [
    '| papers | first open ms | rebuild ms | longest block in rebuild ms (wall / on CPU) | longest block, reader thread part ms (wall / on CPU) | restart to ready ms (wall / CPU) | load average |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--restart') return restartChild(argv[1] ?? '', argv[2] ?? '');
  const json = argv.includes('--json');
  const sizesAt = argv.indexOf('--sizes');
  const sizes = sizesAt >= 0 ? (argv[sizesAt + 1] ?? '').split(',').map(Number).filter((n) => n > 0) : DEFAULT_SIZES;
  const reports: ReloadReport[] = [];
  for (const size of sizes) {
    const report = await measureReload(size);
    reports.push(report);
    if (!json) process.stderr.write(`${size} papers: ${JSON.stringify(report)}\n`);
  }
  process.stdout.write(json ? `${JSON.stringify({ machine: machine(), reports }, null, 2)}\n` : `Machine: ${machine()}\n\n${reloadTable(reports)}\n`);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main(process.argv.slice(2));
