/**
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadCorpusFromFiles, type PageFile } from '../src/corpus/load.js';
import type { Corpus, Paper } from '../src/corpus/schema.js';
import { PaperIndex, type SavedIndex } from '../src/search/index.js';
import { citeWorkload } from './cite.js';
import { type BenchSearch, PEOPLE, PEOPLE_INPUTS, SEARCHES, TITLE_INPUTS } from './queries.js';
import { syntheticPages } from './synthetic.js';

/** p50 and p99 of one kind of operation, in milliseconds, over `count` timed calls. */
export interface Latency {
  p50: number;
  p99: number;
  count: number;
  /**
   * The same percentiles of each sample less the time the thread sat runnable but unscheduled (Linux's
   * run-queue wait, /proc/thread-self/schedstat): the query's own cost on a machine other work shares. Null off Linux.
   */
  onCpu: { p50: number; p99: number } | null;
  /** Each operation's own median and slowest sample, slowest first: which input makes the p99. */
  byOperation: OperationLatency[];
}

/** One operation of the workload (a query, a keystroke, a lookup) over its timed repeats. */
export interface OperationLatency {
  label: string;
  p50: number;
  max: number;
}

/** One operation of the workload, named for the per-operation breakdown. */
interface Operation {
  label: string;
  run: () => unknown;
}

/** The index at one size. */
export interface EngineReport {
  buildMs: number;
  /** Heap plus array buffers in use after a full GC with the corpus and this index alive, in MB. */
  heapMb: number;
  search: Latency;
  suggest: Latency;
  people: Latency;
  /** Plain MiniSearch over the same papers and queries, timed beside ours (`--plain`); absent without it. */
  plain?: {
    buildMs: number;
    search: Latency;
    /**
     * The same plain index asked for the words exactly, every word (`combineWith: 'AND'`, no prefix, no typos):
     * the least MiniSearch itself spends to find the papers with all the words, the floor under any query layer.
     */
    exact: Latency;
  };
  /**
   * The saved index (`save`: JSON and the postings array): its size, the time to save it, to load it back (a
   * restart with unchanged pages: `JSON.parse` and `load`), and to run the search workload once on the index just
   * loaded, where each term's postings are read the first time a search reaches it.
   */
  saved: { mb: number; saveMs: number; loadMs: number; firstPassMs: number };
}

/** Everything measured at one size. */
export interface SizeReport {
  papers: number;
  pages: number;
  parseMs: number;
  ours: EngineReport;
}

/** The seed's parse and index as a fresh process sees them: the first call of each, before any warm-up. */
export interface StartupReport {
  parseMs: number;
  buildMs: number;
}

/** The whole run. */
export interface BenchReport {
  machine: { cpus: number; cpu: string; memoryGb: number; node: string };
  startup: StartupReport;
  sizes: SizeReport[];
}

/** What to run. */
export interface BenchOptions {
  sizes?: readonly number[];
  /** Timed passes over the workload per size; default by size (50 up to 1,000 papers, 10 above). */
  rounds?: number;
  /** Also time plain MiniSearch over the same papers and queries (`--plain`). */
  plain?: boolean;
  /** Progress lines; default silent. */
  progress?: (line: string) => void;
}

/** Queries the `--plain` table lists, slowest first. */
const SLOWEST_SHOWN = 5;

/** The sizes `npm run bench` runs without `--sizes`. */
export const DEFAULT_SIZES: readonly number[] = [50, 1_000, 10_000, 100_000];

const SEED_PAGE = fileURLToPath(new URL('../data/profiles/francesco-locatello.txt', import.meta.url));
const AS_OF = new Date('2026-11-27');
/** Suggestions asked for per keystroke, as Discord's autocomplete takes them. */
const SUGGESTIONS = 25;
/** The longest idle pause after a full collection before timing resumes. */
const MAX_SETTLE_MS = 500;

/** /cite on the seed: citeproc's compile time for the shipped styles, then one reply per paper, per style. */
export interface CiteReport {
  compileMs: number;
  /** The longest the main thread's event loop was held while the engines compiled (monitorEventLoopDelay, 10 ms resolution). */
  warmBlockMs: number;
  /** Each style's (and format's) reply latency over every seed paper. */
  styles: Array<{ style: string; latency: Latency }>;
}

/** How many times each /cite is timed. */
const CITE_ROUNDS = 20;

/** Times /cite of every seed paper in every style and format (`--cite` runs only this). */
export async function measureCite(seed: PageFile): Promise<CiteReport> {
  const { compileMs, warmBlockMs, workloads, close } = await citeWorkload(seed);
  const styles: CiteReport['styles'] = [];
  for (const { style, operations } of workloads) {
    // Each reply is timed until it is sent: a CSL style's entry comes back from the citation thread.
    const samples = new Samples(operations);
    for (let round = 0; round < CITE_ROUNDS; round += 1) for (const i of operations.keys()) await samples.takeSettled(i);
    styles.push({ style, latency: summarizeSamples(samples) });
  }
  await close();
  return { compileMs, warmBlockMs, styles };
}

/** The /cite figures as a markdown table. */
export function formatCiteTable(report: CiteReport): string {
  const rows = report.styles.map(({ style, latency: l }) => `| ${style} | ${pair(l)} | ${l.onCpu === null ? '–' : `${ms(l.onCpu.p50)} / ${ms(l.onCpu.p99)}`} | ${l.count} |`);
  return [
    `/cite on the seed (citeproc compiled the shipped styles in ${ms(report.compileMs)} ms; the main thread's event loop was held at most ${ms(report.warmBlockMs)} ms meanwhile)`,
    '',
    '| style | reply p50 / p99 ms, timed | p50 / p99 ms, on CPU | replies |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}

/** Runs the bench and returns the measurements. */
export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const progress = options.progress ?? (() => {});
  const seed: PageFile = { file: 'francesco-locatello.txt', text: await readFile(SEED_PAGE, 'utf8') };
  const startup = measureStartup(seed);
  progress(`seed start-up: parse ${startup.parseMs.toFixed(1)} ms, index ${startup.buildMs.toFixed(1)} ms`);
  const sizes: SizeReport[] = [];
  for (const size of options.sizes ?? DEFAULT_SIZES) {
    const { corpus, pages, parseMs } = parseSynthetic(seed, size);
    progress(`${corpus.papers.length} papers: parsed in ${parseMs.toFixed(1)} ms`);
    const rounds = options.rounds ?? roundsFor(size);
    const ours = await measureOurs(corpus, repeatsFor(size), rounds, progress, options.plain === true);
    progress(`${corpus.papers.length} papers: built in ${ours.buildMs.toFixed(0)} ms, loaded in ${ours.saved.loadMs.toFixed(0)} ms`);
    sizes.push({ papers: corpus.papers.length, pages, parseMs, ours });
  }
  return { machine: machine(), startup, sizes };
}

/** The report as a markdown table: one row per size, then p99 as timed and on CPU. */
export function formatTable(report: BenchReport): string {
  const { machine: m } = report;
  const header =
    '| papers | parse ms | build ms | heap MB | search p50 / p99 ms | suggest p50 / p99 ms | people p50 / p99 ms | saved MB | load ms | first searches after load ms |\n' +
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const rows = report.sizes.map((size) => {
    const e = size.ours;
    return `| ${size.papers.toLocaleString('en-US')} | ${ms(size.parseMs)} | ${ms(e.buildMs)} | ${e.heapMb.toFixed(0)} | ${pair(e.search)} | ${pair(e.suggest)} | ${pair(e.people)} | ${e.saved.mb.toFixed(0)} | ${ms(e.saved.loadMs)} | ${ms(e.saved.firstPassMs)} |`;
  });
  const plainRows = report.sizes.flatMap(({ papers, ours }) => {
    if (ours.plain === undefined) return [];
    const { search, plain } = { search: ours.search, plain: ours.plain.search };
    return [`| ${papers.toLocaleString('en-US')} | ${pair(search)} | ${pair(plain)} | ${(search.p99 / plain.p99).toFixed(2)} |`];
  });
  const slowestRows = report.sizes.flatMap(({ papers, ours }) => {
    if (ours.plain === undefined) return [];
    const median = (latency: Latency, label: string): string => {
      const found = latency.byOperation.find((operation) => operation.label === label);
      return found === undefined ? '–' : ms(found.p50);
    };
    const { plain } = ours;
    return ours.search.byOperation
      .slice(0, SLOWEST_SHOWN)
      .map((operation) => `| ${papers.toLocaleString('en-US')} | ${operation.label} | ${ms(operation.p50)} / ${ms(operation.max)} | ${median(plain.search, operation.label)} | ${median(plain.exact, operation.label)} |`);
  });
  const plainTable =
    plainRows.length === 0
      ? ''
      : '\nOurs against plain MiniSearch (`prefix: true, fuzzy: 0.2`), the same queries, each timed right after ours:\n\n' +
        '| papers | ours p50 / p99 ms | plain p50 / p99 ms | p99 ratio |\n| ---: | ---: | ---: | ---: |\n' +
        `${plainRows.join('\n')}\n` +
        '\nOur slowest queries (what makes the p99), each beside plain MiniSearch and beside plain MiniSearch asked for the words exactly, every word (`combineWith: \'AND\'`):\n\n' +
        '| papers | query | ours p50 / max ms | plain p50 ms | plain, exact words, all of them, p50 ms |\n| ---: | --- | ---: | ---: | ---: |\n' +
        `${slowestRows.join('\n')}\n`;
  const cpuRows = report.sizes
    .filter((size) => size.ours.search.onCpu !== null)
    .map((size) => {
      const { search, suggest, people } = size.ours;
      const both = (l: Latency): string => `${ms(l.p99)} / ${l.onCpu === null ? '–' : ms(l.onCpu.p99)}`;
      return `| ${size.papers.toLocaleString('en-US')} | ${both(search)} | ${both(suggest)} | ${both(people)} |`;
    });
  const cpuTable =
    cpuRows.length === 0
      ? ''
      : '\np99 as timed / on CPU (less the run-queue wait while other processes held the cores):\n\n' +
        '| papers | search p99 ms | suggest p99 ms | people p99 ms |\n| ---: | ---: | ---: | ---: |\n' +
        `${cpuRows.join('\n')}\n`;
  const { startup } = report;
  const cold = `Seed start-up (first parse + first index build in this process, cold JIT): ${ms(startup.parseMs)} + ${ms(startup.buildMs)} = ${ms(startup.parseMs + startup.buildMs)} ms`;
  return `Machine: ${m.cpus} × ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}\n\n${cold}\n\n${header}\n${rows.join('\n')}\n${cpuTable}${plainTable}`;
}

// The seed parsed and indexed once each, before anything else has run: what a real start-up pays.
function measureStartup(seed: PageFile): StartupReport {
  let corpus: Corpus | null = null;
  const parseMs = time(() => (corpus = loadCorpusFromFiles([seed], { asOf: AS_OF })));
  const buildMs = time(() => PaperIndex.build(corpus as unknown as Corpus));
  return { parseMs, buildMs };
}

// Synthetic pages at one size, parsed (median of several parses where cheap). Only the corpus is kept,
// so the heap measured after a build holds the corpus and the index, not the page texts.
function parseSynthetic(seed: PageFile, size: number): { corpus: Corpus; pages: number; parseMs: number } {
  const pages = syntheticPages(seed, size, { asOf: AS_OF });
  const parseMs = median(Array.from({ length: repeatsFor(size) }, () => time(() => loadCorpusFromFiles(pages, { asOf: AS_OF }))));
  return { corpus: loadCorpusFromFiles(pages, { asOf: AS_OF }), pages: pages.length, parseMs };
}

// Builds the index (median of `repeats` builds), times the workload `rounds` times (cache off), then saves it
// as JSON text and loads it back as a restart would.
async function measureOurs(corpus: Corpus, repeats: number, rounds: number, progress: (line: string) => void, withPlain: boolean): Promise<EngineReport> {
  let index = PaperIndex.build(corpus, { cacheSize: 0 });
  const buildMs = median(
    Array.from({ length: repeats }, () => time(() => (index = PaperIndex.build(corpus, { cacheSize: 0 })))),
  );
  const heapMb = heapAfterGc();
  await settle(heapMb);
  const ours = SEARCHES.map((search) => ({ label: searchLabel(search), run: () => index.search(search.query, search.options) }));
  let search: Latency;
  let plain: EngineReport['plain'];
  if (withPlain) {
    const engine = new MiniSearch<Paper>({ fields: ['title', 'authors', 'abstract', 'affiliations', 'category'], extractField: plainField });
    const plainBuildMs = time(() => engine.addAll(corpus.papers));
    await collectGarbageAndSettle(heapMb);
    const [timedOurs, timedPlain] = paired(
      rounds,
      ours,
      SEARCHES.map((search) => ({ label: searchLabel(search), run: () => engine.search(search.query, { prefix: true, fuzzy: 0.2 }) })),
    );
    search = timedOurs;
    await collectGarbageAndSettle(heapMb);
    const exact = latency(
      rounds,
      SEARCHES.map((search) => ({ label: searchLabel(search), run: () => engine.search(search.query, { combineWith: 'AND' }) })),
    );
    plain = { buildMs: plainBuildMs, search: timedPlain, exact };
  } else search = latency(rounds, ours);
  await collectGarbageAndSettle(heapMb);
  const suggest = latency(rounds, [
    ...TITLE_INPUTS.map((input) => ({ label: `title "${input}"`, run: () => index.suggestTitles(input, SUGGESTIONS) })),
    ...PEOPLE_INPUTS.map((input) => ({ label: `person "${input}"`, run: () => index.people.suggest(input, SUGGESTIONS) })),
  ]);
  await collectGarbageAndSettle(heapMb);
  const people = latency(
    rounds,
    PEOPLE.flatMap((name) => [
      { label: `resolvePerson "${name}"`, run: () => index.people.resolve(name) },
      { label: `papersOf "${name}"`, run: () => index.people.papersOf(name) },
      { label: `coauthorsOf "${name}"`, run: () => index.people.coauthorsOf(name) },
      { label: `sharedPapers "${name}"`, run: () => index.people.sharedPapers(name, 'francesco locatello') },
    ]),
  );
  progress(`${corpus.papers.length} papers: timed, saving`);
  const saved = measureSaved(corpus, index);
  return { buildMs, heapMb, search, suggest, people, saved, ...(plain === undefined ? {} : { plain }) };
}

// The index as saved, and the time to read it back as a restart does (the rest through V8's serialization, as
// src/live/snapshot.ts writes it), then to run every search of the workload once on it.
function measureSaved(corpus: Corpus, index: PaperIndex): EngineReport['saved'] {
  let saved = index.save();
  const saveMs = time(() => (saved = index.save()));
  const bytes = v8.serialize(saved.json);
  const mb = (bytes.length + saved.postings.byteLength) / 2 ** 20;
  collectGarbage();
  let loaded = index;
  const loadMs = time(() => (loaded = PaperIndex.load(corpus, { json: v8.deserialize(bytes) as SavedIndex['json'], postings: saved.postings }, { cacheSize: 0 })));
  const firstPassMs = time(() => SEARCHES.forEach((search) => loaded.search(search.query, search.options)));
  return { mb, saveMs, loadMs, firstPassMs };
}

// A paper's field as plain MiniSearch reads it (its own tokenizer and lower-casing).
function plainField(paper: Paper, field: string): string {
  if (field === 'authors') return paper.authors.join(', ');
  if (field === 'affiliations') return paper.affiliations.join(', ');
  if (field === 'category') return `${paper.categoryLabel} ${paper.category}`;
  return String((paper as unknown as Record<string, unknown>)[field] ?? '');
}

/** Samples of one kind of operation as they are taken. */
class Samples {
  readonly perOperation: number[][];
  readonly onCpu: number[] = [];

  constructor(readonly operations: readonly Operation[]) {
    this.perOperation = operations.map((): number[] => []);
  }

  /** Times operation `i` once. */
  take(i: number): void {
    const waitBefore = runQueueWaitMs();
    const ms = time((this.operations[i] as Operation).run);
    const waited = runQueueWaitMs() - waitBefore;
    this.perOperation[i]?.push(ms);
    if (Number.isFinite(waited)) this.onCpu.push(Math.max(0, ms - waited));
  }

  /** Times operation `i` once, until the promise it returns settles (a reply that awaits another thread). */
  async takeSettled(i: number): Promise<void> {
    const waitBefore = runQueueWaitMs();
    const started = performance.now();
    await (this.operations[i] as Operation).run();
    const ms = performance.now() - started;
    const waited = runQueueWaitMs() - waitBefore;
    this.perOperation[i]?.push(ms);
    if (Number.isFinite(waited)) this.onCpu.push(Math.max(0, ms - waited));
  }
}

// Times every operation `rounds` times (round-robin, so caches and JIT see a realistic mix).
function latency(rounds: number, operations: readonly Operation[], budgetMs = Number.POSITIVE_INFINITY): Latency {
  const samples = new Samples(operations);
  const started = performance.now();
  timing: for (let round = 0; round < rounds; round += 1) {
    for (const i of operations.keys()) {
      if (performance.now() - started > budgetMs) break timing;
      samples.take(i);
    }
  }
  return summarizeSamples(samples);
}

// Times two workloads of the same length `rounds` times, each operation of `b` right after the same one of `a`,
// so both see the same load on a shared machine.
function paired(rounds: number, a: readonly Operation[], b: readonly Operation[]): [Latency, Latency] {
  const first = new Samples(a);
  const second = new Samples(b);
  for (let round = 0; round < rounds; round += 1) {
    for (const i of a.keys()) {
      first.take(i);
      second.take(i);
    }
  }
  return [summarizeSamples(first), summarizeSamples(second)];
}

function summarizeSamples({ operations, perOperation, onCpu }: Samples): Latency {
  const byOperation = operations
    .map((operation, i) => ({ label: operation.label, samples: perOperation[i] ?? [] }))
    .filter(({ samples }) => samples.length > 0)
    .map(({ label, samples }) => ({ label, p50: summarize(samples).p50, max: Math.max(...samples) }))
    .sort((a, b) => b.max - a.max);
  const cpu = onCpu.length > 0 ? summarize(onCpu) : null;
  return { ...summarize(perOperation.flat()), onCpu: cpu === null ? null : { p50: cpu.p50, p99: cpu.p99 }, byOperation };
}

// Milliseconds this thread has waited runnable for a CPU so far (NaN where the kernel does not say).
function runQueueWaitMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

function summarize(samples: number[]): Pick<Latency, 'p50' | 'p99' | 'count'> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), count: samples.length };
}

function searchLabel({ query, options }: BenchSearch): string {
  return options === undefined ? `"${query}"` : `"${query}" ${JSON.stringify(options)}`;
}

function time(operation: () => unknown): number {
  const start = performance.now();
  operation();
  return performance.now() - start;
}

function median(values: number[]): number {
  return summarize(values).p50;
}

// Builds and parses are repeated where that is cheap, to steady the figure.
function repeatsFor(size: number): number {
  return size <= 1_000 ? 5 : 1;
}

// Enough samples that a p99 is not just the slowest one or two: at 1,000 papers 20 searches × 50 rounds, so the
// p99 is the 10th slowest of 1,000; 10 rounds (200) at 10,000; 5 (100) at 100,000, where one round takes minutes.
function roundsFor(size: number): number {
  if (size <= 1_000) return 50;
  return size <= 10_000 ? 10 : 5;
}

// Memory in use after a full collection: the V8 heap plus array buffers (typed arrays keep their data outside
// the heap, so `heapUsed` alone would miss the postings). `--expose-gc` is switched on here so `npm run bench` needs no flags.
function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

// A full collection, as a bot idle between keystrokes gets: each kind of operation starts without the garbage of
// the one before it.
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

async function collectGarbageAndSettle(heapMb: number): Promise<void> {
  collectGarbage();
  await settle(heapMb);
}

// An idle pause after a full collection of a heap of `heapMb`, 1 ms per MB up to MAX_SETTLE_MS: V8 sweeps and
// returns memory on background threads after it, and on two cores those threads took the CPU from the first
// timed queries (at 100,000 papers the first search used 103 ms of CPU across threads in 53 ms of wall time, 15 ms
// of it waiting for a core). A bot gets such pauses between messages.
function settle(heapMb: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(MAX_SETTLE_MS, heapMb)));
}

function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
}

function pair(l: Latency): string {
  return `${ms(l.p50)} / ${ms(l.p99)}`;
}

// `--sizes 50,1000` or `--sizes=50,1000`.
function parseSizes(argv: readonly string[]): number[] | undefined {
  const at = argv.findIndex((arg) => arg === '--sizes' || arg.startsWith('--sizes='));
  if (at < 0) return undefined;
  const arg = argv[at] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[at + 1] ?? '');
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`bench: --sizes wants positive whole numbers separated by commas, got "${value}"`);
  }
  return sizes;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--cite')) {
    const cited = await measureCite({ file: 'francesco-locatello.txt', text: await readFile(SEED_PAGE, 'utf8') });
    process.stdout.write(argv.includes('--json') ? `${JSON.stringify(cited, null, 2)}\n` : formatCiteTable(cited));
    return;
  }
  const report = await runBench({ sizes: parseSizes(argv), plain: argv.includes('--plain'), progress: (line) => process.stderr.write(`${line}\n`) });
  const cited = await measureCite({ file: 'francesco-locatello.txt', text: await readFile(SEED_PAGE, 'utf8') });
  process.stdout.write(argv.includes('--json') ? `${JSON.stringify({ ...report, cite: cited }, null, 2)}\n` : `${formatTable(report)}\n${formatCiteTable(cited)}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
