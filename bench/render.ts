/**
 * `npm run bench:render [-- --json] [-- --rounds 40]`: how long the pictures take to render, uncached. Two cases:
 * the seed corpus's /stats chart, and the /coauthor network of a person with about 200 coauthors in a corpus of
 * 10,000 papers (`bench/synthetic.ts`). Each render is timed whole (counting the corpus into the input, SVG, PNG)
 * and in its two halves: the SVG (its text turned into outlines) on the main thread, the rasterising on libuv's
 * thread pool.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCorpusFromFiles, type PageFile } from '../src/corpus/load.js';
import { coauthorNetworkInput, statsChartInput } from '../src/discord/pictures.js';
import type { Library } from '../src/search/library.js';
import { outlineText, svgToPng } from '../src/render/font.js';
import { networkSvg } from '../src/render/network.js';
import { statsChartSvg } from '../src/render/stats-chart.js';
import { PaperIndex } from '../src/search/index.js';
import type { Person } from '../src/search/types.js';
import { syntheticPages } from './synthetic.js';

/** Percentiles of one phase, in milliseconds. */
export interface PhaseLatency {
  p50: number;
  p99: number;
  max: number;
}

/** One picture's measurements. */
export interface RenderCase {
  label: string;
  papers: number;
  /** Coauthors of the person drawn (network only). */
  coauthors: number | null;
  /** The PNG's size in bytes and pixels. */
  bytes: number;
  width: number;
  height: number;
  /** The first render in the process (cold JIT, fonts loaded). */
  firstMs: number;
  total: PhaseLatency;
  /** Building the SVG: the part on the main thread. */
  svg: PhaseLatency;
  /** resvg's rasterising, off the main thread. */
  raster: PhaseLatency;
  /**
   * CPU time of the whole render (all threads of the process, user + system): its own cost, whatever else the
   * machine runs; wall time on a shared machine adds the waits for a core.
   */
  cpu: PhaseLatency;
  /** The target for the total p99. */
  targetMs: number;
}

/** The whole run. */
export interface RenderBenchReport {
  /** `load`: the 1-minute load average when the run ended (above the core count, wall times include waiting). */
  machine: { cpus: number; cpu: string; node: string; load: number };
  rounds: number;
  cases: RenderCase[];
}

/** What to run. */
export interface RenderBenchOptions {
  /** Timed renders per case (after the first); default 40. */
  rounds?: number;
  /** Papers in the large corpus; default 10,000. */
  papers?: number;
  /** Coauthors wanted for the network's person; default 200. */
  coauthors?: number;
}

const SEED_PAGE = fileURLToPath(new URL('../data/profiles/francesco-locatello.txt', import.meta.url));
const AS_OF = new Date('2026-11-27');
const STATS_TARGET_MS = 150;
const NETWORK_TARGET_MS = 400;

/** Runs the render bench. */
export async function runRenderBench(options: RenderBenchOptions = {}): Promise<RenderBenchReport> {
  const rounds = options.rounds ?? 40;
  const seed: PageFile = { file: 'francesco-locatello.txt', text: await readFile(SEED_PAGE, 'utf8') };
  const small = libraryOf([seed]);
  const statsScope = { label: 'whole corpus', papers: small.corpus.papers, key: 'corpus' };
  const stats = await measure(`/stats chart, seed (${small.corpus.papers.length} papers)`, rounds, STATS_TARGET_MS, small.corpus.papers.length, null, {
    svg: async () => outlineText(await statsChartSvg(statsChartInput(small, statsScope))),
  });
  const large = libraryOf(syntheticPages(seed, options.papers ?? 10_000, { asOf: AS_OF }));
  const { person, coauthors } = personWithCoauthors(large, options.coauthors ?? 200);
  const network = await measure(`/coauthor network, ${coauthors} coauthors (${large.corpus.papers.length.toLocaleString('en-US')} papers)`, rounds, NETWORK_TARGET_MS, large.corpus.papers.length, coauthors, {
    svg: async () => outlineText(networkSvg(coauthorNetworkInput(large, person, null))),
  });
  return { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, load: os.loadavg()[0] ?? 0 }, rounds, cases: [stats, network] };
}

/** The report as a markdown table. */
export function formatRenderTable(report: RenderBenchReport): string {
  const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  const pair = (latency: PhaseLatency): string => `${ms(latency.p50)} / ${ms(latency.p99)}`;
  const lines = [
    `Machine: ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}, load average ${report.machine.load.toFixed(1)}; ${report.rounds} timed renders per picture, uncached`,
    '',
    '| picture | PNG | first render ms | total p50 / p99 ms | SVG (main thread) p50 / p99 ms | raster (thread pool) p50 / p99 ms | CPU p50 / p99 ms | p99 target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.cases.map(
      (c) =>
        `| ${c.label} | ${c.width}×${c.height}, ${Math.round(c.bytes / 1_024)} KB | ${ms(c.firstMs)} | ${pair(c.total)} | ${pair(c.svg)} | ${pair(c.raster)} | ${pair(c.cpu)} | ${c.total.p99 <= c.targetMs ? '≤' : '>'} ${c.targetMs} ms |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

async function measure(label: string, rounds: number, targetMs: number, papers: number, coauthors: number | null, steps: { svg: () => Promise<string> }): Promise<RenderCase> {
  const once = async (): Promise<{ total: number; svg: number; raster: number; cpu: number; png: Awaited<ReturnType<typeof svgToPng>> }> => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const svg = await steps.svg();
    const drawn = performance.now();
    const png = await svgToPng(svg);
    const done = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    return { total: done - started, svg: drawn - started, raster: done - drawn, cpu: (cpu.user + cpu.system) / 1_000, png };
  };
  const first = await once();
  const samples = [];
  for (let i = 0; i < rounds; i++) samples.push(await once());
  return {
    label,
    papers,
    coauthors,
    bytes: first.png.data.byteLength,
    width: first.png.width,
    height: first.png.height,
    firstMs: first.total,
    total: percentiles(samples.map((s) => s.total)),
    svg: percentiles(samples.map((s) => s.svg)),
    raster: percentiles(samples.map((s) => s.raster)),
    cpu: percentiles(samples.map((s) => s.cpu)),
    targetMs,
  };
}

// The person whose coauthor count is the smallest at or above `wanted` (else the largest there is), among the
// 200 most prolific.
function personWithCoauthors(library: Library, wanted: number): { person: Person; coauthors: number } {
  let best: { person: Person; coauthors: number } | null = null;
  for (const suggestion of library.index.people.suggest('', 200)) {
    const person = library.index.people.resolve(suggestion.value);
    if (!person) continue;
    const coauthors = library.index.people.coauthorsOf(person.key, Number.MAX_SAFE_INTEGER).length;
    const better = !best || (coauthors >= wanted ? best.coauthors < wanted || coauthors < best.coauthors : best.coauthors < wanted && coauthors > best.coauthors);
    if (better) best = { person, coauthors };
  }
  if (!best) throw new Error('bench: the corpus has no people');
  return best;
}

function libraryOf(pages: readonly PageFile[]): Library {
  const corpus = loadCorpusFromFiles(pages, { asOf: AS_OF });
  return { corpus, index: PaperIndex.build(corpus), loadedAt: AS_OF };
}

function percentiles(samples: readonly number[]): PhaseLatency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : undefined;
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) {
    process.stderr.write('bench:render: --rounds takes a whole number above 0\n');
    process.exit(2);
  }
  const report = await runRenderBench(rounds === undefined ? {} : { rounds });
  process.stdout.write(args.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatRenderTable(report));
}
