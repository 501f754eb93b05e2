/**
 * The reader thread and the persisted snapshot, on real files: the real parser and merge in the worker, the
 * corpus sent back in chunks, and the snapshot in STATE_DIR used on the next start only when it fits.
 */
import { readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticPages } from '../../bench/synthetic.js';
import { loadCorpus } from '../../src/corpus/load.js';
import type { ServedSnapshot } from '../../src/live/pages.js';
import { PAPERS_PER_MESSAGE, PageReader } from '../../src/live/reader.js';
import { CORPUS_SNAPSHOT_FILE, SERVED_SNAPSHOT_FILE, openSnapshot, writeSnapshot } from '../../src/live/snapshot.js';
import { openLiveLibrary, type LiveLibrary } from '../../src/live/watch.js';
import { arrayLogger, pageText, removeDir, tempDir } from '../announce/helpers.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
const SEED = 'data/profiles/francesco-locatello.txt';

let dir: string;
let stateDir: string;
let logged: ReturnType<typeof arrayLogger>;
let opened: LiveLibrary[];
let readers: PageReader[];

beforeEach(async () => {
  dir = await tempDir('snapshot-pages');
  stateDir = await tempDir('snapshot-state');
  await copyFile(SEED, join(dir, 'francesco-locatello.txt'));
  await writeFile(join(dir, 'ada-lovelace.txt'), pageText('Ada Lovelace', [{ title: 'Analytical Engines for Everyone', date: 'Mar 3, 2023' }]));
  logged = arrayLogger();
  opened = [];
  readers = [];
});

afterEach(async () => {
  for (const live of opened) await live.stop();
  for (const reader of readers) await reader.close();
  await removeDir(dir);
  await removeDir(stateDir);
});

/** Opens and starts the library, and waits until its snapshot is on disk. */
async function openAndSave(): Promise<LiveLibrary> {
  const live = await open();
  const saved = logged.lines.length;
  await live.start();
  await until('the snapshot to be saved', () => logged.lines.slice(saved).some((line) => line.msg === 'live: snapshot saved'));
  return live;
}

async function open(): Promise<LiveLibrary> {
  const live = await openLiveLibrary({ dir, stateDir, asOf: AS_OF, log: logged.log, rescanMs: 3_600_000, settleMs: 0 });
  opened.push(live);
  return live;
}

/** The `live: library ready` line of the last open. */
function lastReady(): Record<string, unknown> | undefined {
  return logged.lines.filter((line) => line.msg === 'live: library ready').at(-1);
}

function snapshotWarnings(): unknown[] {
  return logged.lines.filter((line) => line.msg === 'live: snapshot of the parsed pages not used; reading every page').map((line) => line['reason']);
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the reader thread', () => {
  it('sends back a corpus of many chunks whole: the same corpus the loader reads', async () => {
    const seed = { file: SEED, text: await readFile(SEED, 'utf8') };
    for (const page of syntheticPages(seed, 1_250, { asOf: AS_OF }).slice(1)) await writeFile(join(dir, page.file), page.text);
    const reader = new PageReader({ dir, stateDir: null, log: logged.log });
    readers.push(reader);
    const { corpus, changed } = await reader.scan({ touched: [], asOf: AS_OF });
    const expected = await loadCorpus(dir, { asOf: AS_OF });
    expect(expected.papers.length).toBeGreaterThan(2 * PAPERS_PER_MESSAGE);
    expect(corpus).toEqual(expected);
    expect(changed.sort()).toEqual((await readdir(dir)).sort());
  }, 60_000);

  it('answers a second scan of unchanged pages with no corpus', async () => {
    const reader = new PageReader({ dir, stateDir: null, log: logged.log });
    readers.push(reader);
    await reader.scan({ touched: [], asOf: AS_OF });
    const again = await reader.scan({ touched: [], asOf: AS_OF });
    expect(again).toMatchObject({ changed: [], corpus: null });
    expect(again.stamps.map(([name]) => name).sort()).toEqual(['ada-lovelace.txt', 'francesco-locatello.txt']);
  });
});

describe('a snapshot file', () => {
  it('reads back its body and numbers into buffers of their own, so the file read is not kept alive', async () => {
    const file = join(stateDir, 'test.snapshot');
    const numbers = Uint32Array.from({ length: 1_000 }, (_, i) => i * 7);
    await writeSnapshot(file, 'k', { people: [Int32Array.from([3, 1, 2])], name: 'Ada' }, numbers);
    const read = await openSnapshot(file);
    expect(read).toMatchObject({ ok: true, key: 'k', body: { people: [Int32Array.from([3, 1, 2])], name: 'Ada' } });
    if (!read.ok) return;
    expect([...read.numbers]).toEqual([...numbers]);
    expect(read.numbers.buffer.byteLength).toBe(numbers.byteLength);
    expect((read.body as { people: Int32Array[] }).people[0]?.buffer.byteLength).toBe(12);
  });
});

describe('the snapshot', () => {
  it('is saved once the pages settle, and a restart over unchanged pages takes the parsed pages from it', async () => {
    const first = await openAndSave();
    expect(lastReady()).toMatchObject({ fromSnapshot: false });
    const served = first.holder.current.corpus;
    await first.stop();

    const second = await open();
    expect(lastReady()).toMatchObject({ fromSnapshot: true, indexFromSnapshot: true, papers: served.papers.length });
    expect(second.holder.current.corpus).toEqual(served);
    expect(snapshotWarnings()).toEqual([]);
    // The loaded index answers as the built one did.
    for (const query of ['slot attention', 'causal representation learning', 'DINOSAUR', 'Analytical']) {
      expect(second.holder.current.index.search(query, { limit: 10 }), query).toEqual(first.holder.current.index.search(query, { limit: 10 }));
    }
    expect(second.holder.current.index.suggestTitles('object cen', 25)).toEqual(first.holder.current.index.suggestTitles('object cen', 25));
    expect((await readdir(stateDir)).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('is left out of what the reader thread sends when the opener reads it itself, and sent when asked for', async () => {
    const first = await openAndSave();
    await first.stop();
    const expected = await loadCorpus(dir, { asOf: AS_OF });
    const reader = new PageReader({ dir, stateDir, log: logged.log });
    readers.push(reader);
    const scanned = await reader.scan({ touched: [], asOf: AS_OF, leaveOutRestored: true });
    expect(scanned).toMatchObject({ restored: true, corpus: null });
    expect((await reader.current()).corpus).toEqual(expected);
    // What the opener reads instead: the corpus served, saved whole beside its index.
    const saved = await openSnapshot(join(stateDir, SERVED_SNAPSHOT_FILE));
    expect(saved.ok && (saved.body as ServedSnapshot).corpus).toEqual(expected);
  });

  it('is ignored, with a log line, when the pages changed since; then rebuilt and saved again', async () => {
    const first = await openAndSave();
    await first.stop();
    await writeFile(join(dir, 'ada-lovelace.txt'), pageText('Ada Lovelace', [{ title: 'Poetical Science', date: 'Feb 2, 2020' }]));

    const second = await openAndSave();
    expect(lastReady()).toMatchObject({ fromSnapshot: false });
    expect(snapshotWarnings()).toEqual(['made from other pages, code, Node version or as-of date']);
    expect(second.holder.current.corpus.papers.map((paper) => paper.title)).toContain('Poetical Science');
    await second.stop();

    const third = await open();
    expect(lastReady()).toMatchObject({ fromSnapshot: true });
    expect(third.holder.current.corpus).toEqual(await loadCorpus(dir, { asOf: AS_OF }));
  }, 60_000);

  it('is ignored, with a log line, when damaged (a changed byte, cut short, another format, not a snapshot)', async () => {
    const first = await openAndSave();
    await first.stop();
    const file = join(stateDir, CORPUS_SNAPSHOT_FILE);
    const good = await readFile(file);
    const flipped = Buffer.from(good);
    const flipAt = flipped.indexOf('Analytical');
    expect(flipAt).toBeGreaterThan(0);
    flipped[flipAt] = 'B'.charCodeAt(0);
    const damaged = [
      flipped,
      good.subarray(0, Math.floor(good.length * 0.7)),
      Buffer.from(good.toString('latin1').replace('"format":2', '"format":99'), 'latin1'),
      'not a snapshot at all',
    ];
    const expected = await loadCorpus(dir, { asOf: AS_OF });
    for (const bytes of damaged) {
      await writeFile(file, bytes);
      const live = await open();
      expect(lastReady()).toMatchObject({ fromSnapshot: false });
      expect(live.holder.current.corpus).toEqual(expected);
      await live.stop();
    }
    expect(snapshotWarnings()).toEqual(['damaged: checksum mismatch', 'damaged: checksum mismatch', 'format 99, expected 2', 'damaged: no valid header line']);
  }, 90_000);

  it('of the index is ignored, with a log line, when damaged; the index is built instead', async () => {
    const first = await openAndSave();
    await first.stop();
    const file = join(stateDir, SERVED_SNAPSHOT_FILE);
    // One bit of the postings, the numbers after the JSON, flipped.
    const damaged = await readFile(file);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 1;
    await writeFile(file, damaged);
    const live = await open();
    expect(lastReady()).toMatchObject({ fromSnapshot: true, indexFromSnapshot: false });
    const warning = logged.lines.find((line) => line.msg === 'live: snapshot of the index not used; building the index');
    expect(warning).toMatchObject({ reason: 'damaged: checksum mismatch' });
    expect(live.holder.current.index.search('slot attention', { limit: 10 })).toEqual(first.holder.current.index.search('slot attention', { limit: 10 }));
  }, 60_000);

  it('is not used for another as-of date', async () => {
    const first = await openAndSave();
    await first.stop();
    const live = await openLiveLibrary({ dir, stateDir, asOf: new Date('2026-01-01T00:00:00Z'), log: logged.log, rescanMs: 3_600_000 });
    opened.push(live);
    expect(lastReady()).toMatchObject({ fromSnapshot: false });
    expect(snapshotWarnings()).toEqual(['made from other pages, code, Node version or as-of date']);
  });
});
