/**
 * `npm run bench:sources [-- --works 2000]`: the time and memory to ingest an author's works: read from a local
 * OpenAlex stand-in (200 a page by cursor), checked and made papers, merged into the bundled corpus, written to the
 * cache (SQLite) and read back — `refreshSources`, as `npm run sources` and the bot run it — then the corpus the
 * front ends serve built from the pages and the cache (`withWorks`). Prints a markdown table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCorpus } from '../src/corpus/load.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { cachedWorks } from '../src/db/works.js';
import { silentLogger } from '../src/log.js';
import { arxivClient } from '../src/sources/arxiv.js';
import { withWorks } from '../src/corpus/merge.js';
import { openAlexClient } from '../src/sources/openalex.js';
import { cachedPaper } from '../src/sources/papers.js';
import { refreshSources } from '../src/sources/refresh.js';
import { ScholarlyStandIn } from '../test/sources/standins/server.js';

const { values } = parseArgs({ options: { works: { type: 'string', default: '2000' } } });
const count = Number(values.works);
const standIn = new ScholarlyStandIn();
await standIn.start();
const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-sources-'));
try {
  standIn.authors.set('A1', {
    id: 'A1',
    name: 'Ada Quill',
    works: Array.from({ length: count }, (_, i) => ({
      id: `W${100000 + i}`,
      title: `A synthetic work on topic ${i} and its consequences`,
      authors: Array.from({ length: 6 }, (_, a) => ({ name: `Author ${a} Person${(i + a) % 97}` })),
      date: `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
      doi: `10.1000/bench.${i}`,
      abstract: Array.from({ length: 150 }, (_, w) => `word${(i * 7 + w) % 500}`).join(' '),
      citedBy: i % 300,
      venue: { name: `Journal ${i % 40}`, type: 'journal' as const },
    })),
  });
  const pages = await loadCorpus('data/profiles');
  const handle = await openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  await migrateToLatest(handle.db);
  const clients = {
    openalex: openAlexClient({ baseUrl: `${standIn.origin}/openalex`, contact: 'bench@lab.example', log: silentLogger, intervalMs: 0 }),
    arxiv: arxivClient({ baseUrl: `${standIn.origin}/arxiv`, contact: 'bench@lab.example', log: silentLogger, intervalMs: 0 }),
  };
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const report = await refreshSources({ lab: { file: 'lab.yaml', contact: 'bench@lab.example', members: [{ name: 'Ada Quill', openalex: 'A1', orcid: null, line: 3 }] }, pages, db: handle.db, clients, log: silentLogger });
  const refreshMs = performance.now() - started;
  const heapAfterRefresh = process.memoryUsage().heapUsed;
  const mergeStart = performance.now();
  const served = withWorks(pages, await cachedWorks(handle.db, cachedPaper));
  const mergeMs = performance.now() - mergeStart;
  const rss = process.memoryUsage().rss;
  await handle.close();
  if (report.members[0]?.found !== count) throw new Error(`bench: read ${report.members[0]?.found} works of ${count}`);
  const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
  process.stdout.write(
    [
      '| works | refresh ms (read, papers, merge, cache) | cache read + merge ms | heap growth MB | RSS MB | papers served |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${count.toLocaleString('en')} | ${Math.round(refreshMs).toLocaleString('en')} | ${Math.round(mergeMs).toLocaleString('en')} | ${mb(heapAfterRefresh - heapBefore)} | ${mb(rss)} | ${served.papers.length.toLocaleString('en')} |`,
      `load average ${os.loadavg()[0]?.toFixed(2)}`,
      '',
    ].join('\n'),
  );
} finally {
  await standIn.stop();
  await rm(dir, { recursive: true, force: true });
}
