/// <reference lib="dom" />
/**
 * `npm run bench:site [-- --sizes 1000,10000]`: the publication site over synthetic pages (bench/synthetic.ts):
 * the time to render it and write it to a folder, the size of the search index file and of the list page (raw and
 * gzip), and, for the first size, the time to the first search result in chromium from `file://` (navigation to
 * the first result of a typed query) and the first contentful paint. Prints a markdown table.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { loadCorpusFromFiles, type PageFile } from '../src/corpus/load.js';
import { SITE_PATHS } from '../src/web/pages.js';
import { pageScript, renderSite, writeSite } from '../src/web/site.js';
import { launchChromium } from '../test/e2e/browser.js';
import { syntheticPages } from './synthetic.js';

const SEED_PAGE = fileURLToPath(new URL('../data/profiles/francesco-locatello.txt', import.meta.url));
const AS_OF = new Date('2026-11-27');
const DEFAULT_SIZES = [1_000, 10_000];
/** Browser runs for the time to the first result; the median is reported. */
const BROWSER_RUNS = 5;

interface SiteReport {
  papers: number;
  renderMs: number;
  writeMs: number;
  files: number;
  index: { raw: number; gzip: number };
  page: { raw: number; gzip: number };
  script: { raw: number; gzip: number };
  browser: { firstResultMs: number; firstPaintMs: number; searchMs: number } | null;
}

async function measure(size: number, withBrowser: boolean): Promise<SiteReport> {
  const seed: PageFile = { file: 'francesco-locatello.txt', text: await readFile(SEED_PAGE, 'utf8') };
  const corpus = loadCorpusFromFiles(syntheticPages(seed, size, { asOf: AS_OF }), { asOf: AS_OF });
  await pageScript();
  let started = performance.now();
  const site = await renderSite(corpus, { title: 'Bench lab', siteUrl: 'https://lab.example.org/' });
  const renderMs = performance.now() - started;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-bench-site-'));
  try {
    started = performance.now();
    await writeSite(site, dir);
    const writeMs = performance.now() - started;
    const sizes = (file: string): { raw: number; gzip: number } => {
      const body = Buffer.from(site.get(file)?.body ?? '');
      return { raw: body.length, gzip: gzipSync(body).length };
    };
    return {
      papers: corpus.papers.length,
      renderMs,
      writeMs,
      files: site.size,
      index: sizes(SITE_PATHS.searchIndex),
      page: sizes(SITE_PATHS.index),
      script: sizes(SITE_PATHS.script),
      browser: withBrowser ? await firstResult(pathToFileURL(path.join(dir, SITE_PATHS.index)).href) : null,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// From navigation to the results of "causal" typed into the search box, in a fresh page each run.
async function firstResult(url: string): Promise<SiteReport['browser']> {
  const browser = await launchChromium();
  try {
    const runs: Array<NonNullable<SiteReport['browser']>> = [];
    for (let run = 0; run < BROWSER_RUNS; run += 1) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      // The deferred scripts have run (index loaded, form shown): the query is typed at the earliest moment, and the
      // page answers an input event synchronously. Times are from the start of navigation (performance.now()).
      const timing = await page.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>('input[type=search]');
        if (!input) throw new Error('no search box');
        const typed = performance.now();
        input.value = 'causal';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        const shown = performance.now();
        if (!document.querySelector('#results > li')) throw new Error('no result for "causal"');
        const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
        return { firstResultMs: shown, firstPaintMs: paint, searchMs: shown - typed };
      });
      runs.push(timing);
      await page.close();
    }
    const median = (pick: (run: NonNullable<SiteReport['browser']>) => number): number => runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? Number.NaN;
    return { firstResultMs: median((r) => r.firstResultMs), firstPaintMs: median((r) => r.firstPaintMs), searchMs: median((r) => r.searchMs) };
  } finally {
    await browser.close();
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number): string => `${Math.round(value)} ms`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' } } });
  const sizes = values.sizes ? values.sizes.split(',').map(Number) : DEFAULT_SIZES;
  const reports: SiteReport[] = [];
  for (const [i, size] of sizes.entries()) reports.push(await measure(size, i === 0));
  const lines = [
    '| papers | render | write | files | search-index.js raw / gzip | index.html raw / gzip | page + index gzip | site.js gzip |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...reports.map(
      (r) =>
        `| ${r.papers.toLocaleString('en-US')} | ${ms(r.renderMs)} | ${ms(r.writeMs)} | ${r.files.toLocaleString('en-US')} | ${kb(r.index.raw)} / ${kb(r.index.gzip)} | ${kb(r.page.raw)} / ${kb(r.page.gzip)} | ${kb(r.index.gzip + r.page.gzip + r.script.gzip)} | ${kb(r.script.gzip)} |`,
    ),
  ];
  for (const r of reports) {
    if (r.browser) {
      lines.push(
        '',
        `chromium, file://, ${r.papers.toLocaleString('en-US')} papers (median of ${BROWSER_RUNS}): first contentful paint ${ms(r.browser.firstPaintMs)}; from navigation to the results of "causal" typed as soon as the form shows ${ms(r.browser.firstResultMs)}; the search itself (input event to results in the page) ${ms(r.browser.searchMs)}`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
