/** The HTTP bench at its smallest, so it cannot rot: every signed request answered, figures well-formed; never timings. */
import { describe, expect, it } from 'vitest';
import { formatHttpTable, runHttpBench } from '../../bench/http.js';

describe('bench:http', () => {
  it('drives a real serve process with signed requests that are all answered', async () => {
    const report = await runHttpBench({ sizes: [50], seconds: 1, connections: 2 });
    const [result] = report.results;
    expect(result?.papers).toBe(50);
    expect(result?.requests).toBeGreaterThan(0);
    expect(result?.errors).toBe(0);
    expect(result?.p99Ms).toBeGreaterThanOrEqual(result?.p50Ms ?? Number.POSITIVE_INFINITY);
    expect(formatHttpTable(report)).toContain('| 50 |');
  }, 120_000);
});
