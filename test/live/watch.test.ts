import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import type { Corpus } from '../../src/corpus/schema.js';
import type { Library } from '../../src/search/library.js';
import { openLiveLibrary, type LiveLibrary, type LiveLibraryOptions } from '../../src/live/watch.js';
import { arrayLogger, pageText, removeDir, tempDir } from '../announce/helpers.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
const SEED = 'data/profiles/francesco-locatello.txt';
const ADA = pageText('Ada Lovelace', [
  { title: 'Analytical Engines for Everyone', date: 'Mar 3, 2023' },
  { title: 'Notes on the Difference Engine', date: 'Jan 9, 2021' },
  { title: 'Poetical Science', date: 'Feb 2, 2020' },
  { title: 'Bernoulli Numbers by Machine', date: 'Jun 1, 2019' },
]);
const GRACE = pageText('Grace Hopper', [
  { title: 'Compilers Before Compilers', date: 'Apr 4, 2025' },
  { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025' },
]);

let dir: string;
let stateDir: string;
let live: LiveLibrary | null;
let swaps: Array<{ previous: Library; next: Library }>;
let onSwap: (next: Library) => void;
let settled: Corpus[];
let logged: ReturnType<typeof arrayLogger>;

async function open(options: Partial<LiveLibraryOptions> = {}, start = true): Promise<LiveLibrary> {
  live = await openLiveLibrary({ dir, stateDir, asOf: AS_OF, log: logged.log, rescanMs: 3_600_000, settleMs: 3_600_000, ...options });
  // Records each library swapped in, and the one it replaced; `onSwap` is told of it too.
  const swap = live.holder.swap.bind(live.holder);
  live.holder.swap = (next) => {
    const previous = swap(next);
    swaps.push({ previous, next });
    onSwap(next);
    return previous;
  };
  if (start) {
    await live.start((corpus) => {
      settled.push(corpus);
    });
  }
  return live;
}

// A change may also be found by the settle check's own look at the disk: wait for whichever reload takes it.
async function reloaded(running: LiveLibrary): Promise<void> {
  const before = swaps.length;
  await running.rescan();
  expect(swaps.length).toBeGreaterThan(before);
}

// Starts a library that only its watcher can tell of a change, once it has settled: settleMs 0, so the settle check
// finds the pages settled at once and looks at the disk no more, and the periodic rescan an hour away. Resolves
// with the next library swapped in (in an object: a promise returned as it is would be awaited).
async function watcherOnly(): Promise<{ swapped: Promise<Library> }> {
  const swapped = new Promise<Library>((resolve) => {
    onSwap = resolve;
  });
  let quiet: () => void = () => {};
  const settledOnce = new Promise<void>((resolve) => {
    quiet = resolve;
  });
  const running = await open({ debounceMs: 20, settleMs: 0 }, false);
  await running.start(() => quiet());
  await settledOnce;
  return { swapped };
}

const titles = (): string[] => live?.holder.current.corpus.papers.map((paper) => paper.title) ?? [];

beforeEach(async () => {
  dir = await tempDir('watch');
  stateDir = await tempDir('watch-state');
  await copyFile(SEED, join(dir, 'francesco-locatello.txt'));
  await writeFile(join(dir, 'ada-lovelace.txt'), ADA);
  swaps = [];
  onSwap = () => {};
  settled = [];
  logged = arrayLogger();
  live = null;
});

afterEach(async () => {
  await live?.stop();
  await removeDir(dir);
  await removeDir(stateDir);
});

describe('the live library', () => {
  it('opens with what the loader reads from the same pages, and swaps nothing while the disk is unchanged', async () => {
    const running = await open();
    const loaded = await loadCorpus(dir, { asOf: AS_OF });
    expect(running.holder.current.corpus).toEqual(loaded);
    expect(running.holder.current.index.size).toBe(loaded.papers.length);
    const served = running.holder.current;
    expect(await running.rescan()).toBe(false);
    expect(running.holder.current).toBe(served);
    expect(swaps).toEqual([]);
  });

  it('opens a directory with no readable paper with 0 papers, says how to add some, and picks the first page up live', async () => {
    await rm(join(dir, 'francesco-locatello.txt'));
    await writeFile(join(dir, 'ada-lovelace.txt'), 'Ada Lovelace\n\nLGMay 5, 2025\n');
    const running = await open();
    expect(running.holder.current.index.size).toBe(0);
    expect(running.holder.current.corpus.profiles).toEqual([]);
    const warning = logged.lines.find((line) => line['level'] === 'warn' && String(line['msg']).startsWith('0 papers'));
    expect(warning?.['msg']).toBe(`0 papers; add pages or .bib files to DATA_DIR/profiles and they are picked up live (${dir})`);
    expect(String((warning?.['reasons'] as string[] | undefined)?.join('\n'))).toMatch(/ada-lovelace\.txt:\d+: /);
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    await reloaded(running);
    expect(titles().sort()).toEqual(['Compilers Before Compilers', 'Nanoseconds You Can Hold']);
  });

  it('makes a missing profiles folder and opens it empty', async () => {
    await removeDir(dir);
    const running = await open();
    expect(running.holder.current.index.size).toBe(0);
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    await reloaded(running);
    expect(titles()).toHaveLength(2);
  });

  it('swaps in a new corpus and index when a page is added', async () => {
    const running = await open();
    const before = running.holder.current;
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    await running.rescan();
    expect(running.holder.current).not.toBe(before);
    expect(running.holder.current.corpus.papers.length).toBe(before.corpus.papers.length + 2);
    expect(running.holder.current.index.lookupPaper('Nanoseconds You Can Hold').paper?.title).toBe('Nanoseconds You Can Hold');
    expect(before.index.lookupPaper('Nanoseconds You Can Hold').paper?.title).not.toBe('Nanoseconds You Can Hold');
    expect(swaps.at(-1)?.previous).toBe(before);
    expect(swaps.at(-1)?.next).toBe(running.holder.current);
    expect(await running.rescan()).toBe(false);
  });

  it('keeps the last good version of a page that turns corrupt, and logs why', async () => {
    const running = await open();
    const before = titles();
    await writeFile(join(dir, 'ada-lovelace.txt'), '\u0000\u0001 binary garbage, no date lines at all \uFFFD');
    expect(await running.rescan()).toBe(false);
    expect(titles()).toEqual(before);
    const warning = logged.lines.find((line) => line.msg === 'corpus: page kept at its last good version: it now yields fewer than half its papers');
    expect(warning).toMatchObject({ file: join(dir, 'ada-lovelace.txt'), papers: 0, lastGoodPapers: 4 });
    expect(warning?.diagnostics).toEqual(expect.arrayContaining([expect.stringContaining('ada-lovelace.txt')]));
  });

  it('keeps the last good version of a page cut to fewer than half its papers (an editor mid-save)', async () => {
    const running = await open();
    const before = titles();
    const seed = await readFile(SEED, 'utf8');
    await writeFile(join(dir, 'francesco-locatello.txt'), seed.slice(0, Math.floor(seed.length / 4)));
    expect(await running.rescan()).toBe(false);
    expect(titles()).toEqual(before);
    expect(swaps).toEqual([]);
    await writeFile(join(dir, 'francesco-locatello.txt'), seed.slice(0, Math.floor(seed.length * 0.8)));
    await reloaded(running);
  });

  it('takes a page that lost some papers but not half of them', async () => {
    const running = await open();
    await writeFile(join(dir, 'ada-lovelace.txt'), pageText('Ada Lovelace', [
      { title: 'Analytical Engines for Everyone', date: 'Mar 3, 2023' },
      { title: 'Notes on the Difference Engine', date: 'Jan 9, 2021' },
    ]));
    await reloaded(running);
    expect(titles()).not.toContain('Poetical Science');
  });

  it('drops the papers of a page that was deleted', async () => {
    const running = await open();
    await rm(join(dir, 'ada-lovelace.txt'));
    await reloaded(running);
    expect(titles()).not.toContain('Poetical Science');
    expect(titles().length).toBeGreaterThan(0);
  });

  it('reloads on its own when a file changes (the watcher, once the file holds still)', async () => {
    const { swapped } = await watcherOnly();
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    const next = await swapped;
    expect(next.corpus.papers.map((paper) => paper.title)).toContain('Compilers Before Compilers');
  });

  it('hears a page written the moment it has started, however long the watcher takes to list the folder', async () => {
    // Thousands of other files: the watcher lists (and stats) each before it reports changes; a page written
    // before it has is taken for one already there and never reported, so `start` waits for that listing.
    await Promise.all(Array.from({ length: 3_000 }, (_, i) => writeFile(join(dir, `figure-${i}.png`), '')));
    const { swapped } = await watcherOnly();
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    const next = await Promise.race([swapped, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
    expect(next?.corpus.papers.map((paper) => paper.title)).toContain('Compilers Before Compilers');
  });

  it('takes in pages written between opening and starting', async () => {
    const running = await open({}, false);
    await writeFile(join(dir, 'grace-hopper.txt'), GRACE);
    await running.start();
    expect(swaps).toHaveLength(1);
    expect(titles()).toContain('Compilers Before Compilers');
  });
});
