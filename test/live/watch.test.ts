import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { watchCorpus, type CorpusWatcher, type WatchOptions } from '../../src/live/watch.js';
import { LibraryHolder, type Library } from '../../src/library.js';
import { PaperIndex } from '../../src/search/index.js';
import { arrayLogger, pageText, removeDir, tempDir } from '../announce/helpers.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
const SEED = 'data/profiles/francesco-locatello.txt';
const ADA = pageText('Ada Lovelace', [
  { title: 'Analytical Engines for Everyone', date: 'Mar 3, 2023' },
  { title: 'Notes on the Difference Engine', date: 'Jan 9, 2021' },
  { title: 'Poetical Science', date: 'Feb 2, 2020' },
  { title: 'Bernoulli Numbers by Machine', date: 'Jun 1, 2019' },
]);

let dir: string;
let holder: LibraryHolder;
let watcher: CorpusWatcher | null;
let swaps: Array<{ previous: Library; next: Library }>;
let logged: ReturnType<typeof arrayLogger>;

async function start(options: Partial<WatchOptions> = {}): Promise<CorpusWatcher> {
  watcher = await watchCorpus({
    dir,
    holder,
    asOf: AS_OF,
    log: logged.log,
    rescanMs: 3_600_000,
    onChange: (previous, next) => {
      swaps.push({ previous, next });
    },
    ...options,
  });
  return watcher;
}

const titles = (): string[] => holder.current.corpus.papers.map((paper) => paper.title);

beforeEach(async () => {
  dir = await tempDir('watch');
  await copyFile(SEED, join(dir, 'francesco-locatello.txt'));
  await writeFile(join(dir, 'ada-lovelace.txt'), ADA);
  const corpus = await loadCorpus(dir, { asOf: AS_OF });
  holder = new LibraryHolder({ corpus, index: PaperIndex.build(corpus), loadedAt: new Date() });
  swaps = [];
  logged = arrayLogger();
  watcher = null;
});

afterEach(async () => {
  await watcher?.stop();
  await removeDir(dir);
});

describe('live reload of the profile pages', () => {
  it('keeps serving the loaded snapshot at start when the disk has not changed', async () => {
    const loaded = holder.current;
    const running = await start();
    expect(holder.current).toBe(loaded);
    expect(await running.rescan()).toBe(false);
    expect(swaps).toEqual([]);
  });

  it('swaps in a new corpus and index when a page is added, and tells the listener', async () => {
    const running = await start();
    const before = holder.current;
    await writeFile(join(dir, 'grace-hopper.txt'), pageText('Grace Hopper', [
      { title: 'Compilers Before Compilers', date: 'Apr 4, 2025' },
      { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025' },
    ]));
    expect(await running.rescan()).toBe(true);
    expect(holder.current).not.toBe(before);
    expect(holder.current.corpus.papers.length).toBe(before.corpus.papers.length + 2);
    expect(holder.current.index.findPaper('Nanoseconds You Can Hold')?.title).toBe('Nanoseconds You Can Hold');
    expect(before.index.findPaper('Nanoseconds You Can Hold')?.title).not.toBe('Nanoseconds You Can Hold');
    expect(swaps).toHaveLength(1);
    expect(swaps[0]?.previous).toBe(before);
    expect(swaps[0]?.next).toBe(holder.current);
    expect(await running.rescan()).toBe(false);
  });

  it('keeps the last good version of a page that turns corrupt, and logs why', async () => {
    const running = await start();
    const before = titles();
    await writeFile(join(dir, 'ada-lovelace.txt'), '\u0000\u0001 binary garbage, no date lines at all \uFFFD');
    expect(await running.rescan()).toBe(false);
    expect(titles()).toEqual(before);
    const warning = logged.lines.find((line) => line.msg === 'corpus: page kept at its last good version: it now yields fewer than half its papers');
    expect(warning).toMatchObject({ file: join(dir, 'ada-lovelace.txt'), papers: 0, lastGoodPapers: 4 });
    expect(warning?.diagnostics).toEqual(expect.arrayContaining([expect.stringContaining('ada-lovelace.txt')]));
  });

  it('keeps the last good version of a page cut to fewer than half its papers (an editor mid-save)', async () => {
    const running = await start();
    const before = titles();
    const seed = await readFile(SEED, 'utf8');
    await writeFile(join(dir, 'francesco-locatello.txt'), seed.slice(0, Math.floor(seed.length / 4)));
    expect(await running.rescan()).toBe(false);
    expect(titles()).toEqual(before);
    expect(swaps).toEqual([]);
    await writeFile(join(dir, 'francesco-locatello.txt'), seed.slice(0, Math.floor(seed.length * 0.8)));
    expect(await running.rescan()).toBe(true);
  });

  it('takes a page that lost some papers but not half of them', async () => {
    const running = await start();
    await writeFile(join(dir, 'ada-lovelace.txt'), pageText('Ada Lovelace', [
      { title: 'Analytical Engines for Everyone', date: 'Mar 3, 2023' },
      { title: 'Notes on the Difference Engine', date: 'Jan 9, 2021' },
    ]));
    expect(await running.rescan()).toBe(true);
    expect(titles()).not.toContain('Poetical Science');
  });

  it('drops the papers of a page that was deleted', async () => {
    const running = await start();
    await rm(join(dir, 'ada-lovelace.txt'));
    expect(await running.rescan()).toBe(true);
    expect(titles()).not.toContain('Poetical Science');
    expect(holder.current.corpus.papers.length).toBeGreaterThan(0);
  });

  it('reloads on its own when a file changes (fs.watch, debounced)', async () => {
    let reloaded: (next: Library) => void = () => {};
    const swapped = new Promise<Library>((resolve) => {
      reloaded = resolve;
    });
    await start({ debounceMs: 20, onChange: (_previous, next) => reloaded(next) });
    await writeFile(join(dir, 'grace-hopper.txt'), pageText('Grace Hopper', [{ title: 'Compilers Before Compilers', date: 'Apr 4, 2025' }]));
    const next = await swapped;
    expect(next.corpus.papers.map((paper) => paper.title)).toContain('Compilers Before Compilers');
  });

  it('swaps at start when the pages changed between loading and watching', async () => {
    await writeFile(join(dir, 'grace-hopper.txt'), pageText('Grace Hopper', [{ title: 'Compilers Before Compilers', date: 'Apr 4, 2025' }]));
    await start();
    expect(swaps).toHaveLength(1);
    expect(titles()).toContain('Compilers Before Compilers');
  });
});
