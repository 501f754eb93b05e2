/** bench:reload at a small size, so it cannot rot: structure only, never timings. */
import { describe, expect, it } from 'vitest';
import { measureReload, reloadTable } from '../../bench/reload.js';

describe('bench:reload', () => {
  it('opens, rebuilds after a change, and restarts a fresh process from the snapshot', async () => {
    const report = await measureReload(100);
    // The seed's 50 papers, 50 generated on a second page, and the one the rebuild adds to that page.
    expect(report).toMatchObject({ papers: 100, pages: 2, restartFromSnapshot: true });
    for (const ms of [report.coldOpenMs, report.rebuildMs, report.restartMs, report.restartCpuMs]) expect(ms).toBeGreaterThan(0);
    for (const ms of [report.rebuildBlockMs, report.readerBlockMs]) expect(ms).toBeGreaterThanOrEqual(0);
    const table = reloadTable([report]);
    expect(table).toContain('| papers | first open ms | rebuild ms | longest block in rebuild ms (wall / on CPU) |');
    expect(table.split('\n').filter((line) => line.startsWith('| 100 |'))).toHaveLength(1);
  }, 120_000);
});
