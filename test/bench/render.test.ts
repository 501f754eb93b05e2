/** The render bench at a small size, so it cannot rot: structure only, never timings. */
import { describe, expect, it } from 'vitest';
import { formatRenderTable, runRenderBench } from '../../bench/render.js';

describe('bench:render', () => {
  it('times the stats chart and a network of the person nearest the wanted coauthor count, in both phases', async () => {
    const report = await runRenderBench({ rounds: 2, papers: 300, coauthors: 20 });
    const [stats, network] = report.cases;
    expect(stats?.label).toMatch(/^\/stats chart, seed \(50 papers\)$/);
    expect(network?.papers).toBe(300);
    expect(network?.coauthors).toBeGreaterThanOrEqual(20);
    for (const picture of report.cases) {
      expect(picture.width).toBeGreaterThanOrEqual(800);
      expect(picture.bytes).toBeGreaterThan(0);
      expect(picture.total.p99).toBeGreaterThanOrEqual(picture.total.p50);
      expect(picture.total.p50).toBeGreaterThanOrEqual(picture.svg.p50);
    }
    const table = formatRenderTable(report);
    expect(table.split('\n').filter((line) => line.startsWith('| /'))).toHaveLength(2);
  }, 60_000);
});
