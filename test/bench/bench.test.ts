/** The bench at its smallest size, so it cannot rot: structure only, never timings. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTable, runBench } from '../../bench/run.js';
import { syntheticPages } from '../../bench/synthetic.js';
import { loadCorpusFromFiles } from '../../src/corpus/load.js';
import { SEED_HEADER_LINE, SEED_HEADER_REASON } from '../corpus/seed-header.js';

const AS_OF = new Date('2026-11-27');
const SEED = fileURLToPath(new URL('../../data/profiles/francesco-locatello.txt', import.meta.url));

describe('bench', () => {
  it('measures parse, build, heap, latencies and the saved index', async () => {
    const report = await runBench({ sizes: [50], rounds: 1 });
    expect(report.sizes).toHaveLength(1);
    const [size] = report.sizes;
    expect(size?.papers).toBe(50);
    expect(size?.pages).toBe(1);
    for (const engine of [size?.ours]) {
      expect(engine?.buildMs).toBeGreaterThan(0);
      expect(engine?.saved.mb).toBeGreaterThan(0);
      expect(engine?.saved.loadMs).toBeGreaterThan(0);
      expect(engine?.saved.firstPassMs).toBeGreaterThan(0);
      expect(engine?.heapMb).toBeGreaterThan(0);
      for (const latency of [engine?.search, engine?.suggest, engine?.people]) {
        expect(latency?.count).toBeGreaterThan(0);
        expect(latency?.p99).toBeGreaterThanOrEqual(latency?.p50 ?? Number.POSITIVE_INFINITY);
      }
    }
    const search = size?.ours.search;
    expect(search?.byOperation.map((operation) => operation.label)).toContain('"causal representation learning"');
    expect(search?.byOperation).toHaveLength(20);
    const slowest = search?.byOperation.map((operation) => operation.max) ?? [];
    expect(slowest).toEqual([...slowest].sort((a, b) => b - a));
    if (search?.onCpu != null) expect(search.onCpu.p99).toBeLessThanOrEqual(search.p99);
    expect(report.startup.parseMs).toBeGreaterThan(0);
    expect(report.startup.buildMs).toBeGreaterThan(0);
    const table = formatTable(report);
    expect(table).toContain('Seed start-up (first parse + first index build in this process, cold JIT):');
    expect(table).toContain('| papers | parse ms | build ms | heap MB | search p50 / p99 ms | suggest p50 / p99 ms | people p50 / p99 ms | saved MB | load ms | first searches after load ms |');
    expect(table.split('\n').filter((line) => line.startsWith('| 50 |'))).toHaveLength(2);
  });

  it('times plain MiniSearch beside ours, and the slowest of our queries beside both ways of asking it', async () => {
    const report = await runBench({ sizes: [50], rounds: 1, plain: true });
    const ours = report.sizes[0]?.ours;
    for (const latency of [ours?.plain?.search, ours?.plain?.exact]) expect(latency?.byOperation).toHaveLength(20);
    const table = formatTable(report);
    expect(table).toContain('| papers | ours p50 / p99 ms | plain p50 / p99 ms | p99 ratio |');
    const slowest = table.split('\n').filter((line) => line.startsWith('| 50 | "'));
    expect(slowest.map((line) => line.split(' | ')[1])).toEqual(ours?.search.byOperation.slice(0, 5).map((operation) => operation.label));
    // Each row has a figure in every column: no query went unasked of either plain engine.
    for (const line of slowest) expect(line).not.toContain('–');
  });

  it('generates the same pages every time, holding exactly the papers asked for', async () => {
    const seed = { file: 'francesco-locatello.txt', text: await readFile(SEED, 'utf8') };
    const pages = syntheticPages(seed, 320, { asOf: AS_OF });
    expect(syntheticPages(seed, 320, { asOf: AS_OF })).toEqual(pages);
    expect(pages.map((page) => page.file)).toEqual(['francesco-locatello.txt', 'synthetic-00001.txt', 'synthetic-00002.txt', 'synthetic-00003.txt']);
    const corpus = loadCorpusFromFiles(pages, { asOf: AS_OF });
    expect(corpus.papers).toHaveLength(320);
    // Only the seed's own header warning: the synthetic pages read cleanly.
    expect(corpus.diagnostics.map((d) => `${d.file}:${d.line}: ${d.reason}`)).toEqual([`francesco-locatello.txt:${SEED_HEADER_LINE}: ${SEED_HEADER_REASON}`]);
    expect(corpus.profiles).toHaveLength(4);
  });
});
