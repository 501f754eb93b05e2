/**
 * The live library: the corpus and its index, kept up to date with DATA_DIR/profiles while the bot runs and swapped
 * in with one assignment. The announcer gets a corpus, and the snapshot is saved, once the pages have settled.
 */
import { once } from 'node:events';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isCorpusFile } from '../corpus/load.js';
import { withWorks } from '../corpus/merge.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import { PaperIndex, type SavedIndex } from '../search/index.js';
import type { Library } from '../search/library.js';
import { hasArrays, summarize, type ServedSnapshot } from './pages.js';
import { PageReader } from './reader.js';
import { StampClock, type PageStamp } from './settle.js';
import { OTHER_PAGES, SERVED_SNAPSHOT_FILE, openSnapshot } from './snapshot.js';

/** What `openLiveLibrary` needs. */
export interface LiveLibraryOptions {
  /** DATA_DIR/profiles. */
  dir: string;
  /** Where the snapshot of the parsed pages is kept; null: no snapshot. */
  stateDir: string | null;
  /** The day year-less dates are read against; default today. */
  asOf?: Date | null;
  log: Logger;
  /** How long a changed page's size must hold still before it is read; default 300 ms. */
  debounceMs?: number;
  /** Interval of the fallback rescan; default 30 s. */
  rescanMs?: number;
  /** How long every page must have kept its size and modification time before the announcer gets the corpus; default 5 s. */
  settleMs?: number;
  /** The sources' works served merged with the pages; default none. */
  works?: readonly Paper[];
}

/** Reads the pages and builds the index; call `start` to follow changes. No readable paper serves 0, with a warning. */
export async function openLiveLibrary(options: LiveLibraryOptions): Promise<LiveLibrary> {
  const log = options.log.child({ component: 'live' });
  // A fresh volume or checkout may have no profiles folder yet; where it cannot be made, reading it says why.
  await mkdir(options.dir, { recursive: true }).catch(() => undefined);
  const reader = new PageReader({ dir: options.dir, stateDir: options.stateDir, log });
  const started = performance.now();
  const works = options.works ?? [];
  // The library served last loads here while the reader thread checks its key: its corpus need not cross over.
  const file = options.stateDir ? path.join(options.stateDir, SERVED_SNAPSHOT_FILE) : null;
  const saved = file ? loadServed(file, works).catch((error: unknown) => (error instanceof Error ? error.message : String(error))) : null;
  try {
    const first = await reader.scan({ touched: [], asOf: options.asOf ?? null, leaveOutRestored: saved !== null });
    // Wanted when the reader thread restored the pages and so left them out: the pages' key says if it fits.
    const loaded = first.restored && first.corpus === null ? await saved : null;
    const theirs = typeof loaded === 'object' && loaded?.key === first.key ? loaded : null;
    const notUsed = theirs ? theirs.reason : typeof loaded === 'string' ? loaded : loaded && OTHER_PAGES;
    if (notUsed) log.warn('live: snapshot of the index not used; building the index', { file, reason: notUsed });
    const pages = first.corpus ?? theirs?.pages ?? (first.restored ? (await reader.current()).corpus : null) ?? { profiles: [], papers: [], diagnostics: [] };
    const corpus = withWorks(pages, works);
    if (pages.papers.length === 0) {
      const reasons = summarize(corpus.diagnostics);
      const advice = '0 papers; add pages or .bib files to DATA_DIR/profiles and they are picked up live';
      log.warn(`${advice} (${options.dir})`, { dir: options.dir, files: first.stamps.length, ...(reasons.length > 0 ? { reasons } : {}) });
    }
    const restored = theirs?.index ?? null;
    const library: Library = { corpus, index: restored ?? (await PaperIndex.buildAsync(corpus)), loadedAt: new Date() };
    log.info('live: library ready', {
      papers: corpus.papers.length,
      pages: first.stamps.length,
      works: works.length,
      fromSnapshot: first.restored,
      indexFromSnapshot: restored !== null,
      ms: Math.round(performance.now() - started),
    });
    return new LiveLibrary(options, log, reader, new LibraryHolder(library), first.stamps, pages);
  } catch (error) {
    await reader.close();
    throw error;
  }
}

type LoadedServed = { key: string; pages: Corpus; index: PaperIndex | null; reason: string | null };

// SERVED_SNAPSHOT_FILE, or why it cannot be used; `reason`: why its index is not. The index is of the pages alone,
// so with works merged in it is not used (and that is no reason to warn).
async function loadServed(file: string, works: readonly Paper[]): Promise<LoadedServed | string> {
  const found = await openSnapshot(file);
  if (!found.ok) return found.reason;
  const body = found.body as Partial<ServedSnapshot> | null;
  if (!hasArrays(body?.corpus, 'profiles', 'papers', 'diagnostics')) return 'damaged: no corpus in it';
  const loaded = { key: found.key, pages: body?.corpus as Corpus, index: null, reason: null };
  if (works.length > 0) return loaded;
  try {
    return { ...loaded, index: PaperIndex.load(loaded.pages, { json: body?.index as SavedIndex['json'], postings: found.numbers }) };
  } catch (error) {
    return { ...loaded, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Holds the library served; `swap` replaces it atomically, and /metrics shows its size and age. */
export class LibraryHolder {
  #current!: Library;

  constructor(initial: Library) {
    this.swap(initial);
  }

  /** The snapshot to use for the whole of one interaction: read it once, then use that. */
  get current(): Library {
    return this.#current;
  }

  /** Replaces the snapshot; returns the previous one. */
  swap(next: Library): Library {
    const previous = this.#current;
    this.#current = next;
    metrics.corpusPapers.set(next.index.size);
    metrics.corpusProfiles.set(next.corpus.profiles.length);
    metrics.corpusLoaded.set(next.loadedAt.getTime() / 1000);
    return previous;
  }
}

/** A library kept up to date with its pages (and the sources' works). */
export class LiveLibrary {
  readonly holder: LibraryHolder;
  readonly #options: LiveLibraryOptions;
  readonly #log: Logger;
  readonly #reader: PageReader;
  readonly #clock = new StampClock();
  /** Files the watcher named since the last read: read them even if their stamp looks unchanged. */
  readonly #touched = new Set<string>();
  #onSettled: (corpus: Corpus) => void | Promise<void> = () => undefined;
  #watcher: FSWatcher | null = null;
  #interval: NodeJS.Timeout | null = null;
  #settleTimer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #queued: Promise<boolean> | null = null;
  #scanning = 0;
  #settledCorpus: Corpus | null = null;
  readonly #unwatched = new AbortController();
  #pages: Corpus;
  #works: readonly Paper[];
  #started = false;
  #stopped = false;
  readonly #settleMs: number;
  readonly #rescanMs: number;

  /** Use `openLiveLibrary`. */
  constructor(options: LiveLibraryOptions, log: Logger, reader: PageReader, holder: LibraryHolder, stamps: Array<[string, PageStamp]>, pages: Corpus) {
    this.#options = options;
    this.#pages = pages;
    this.#works = options.works ?? [];
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#rescanMs = options.rescanMs ?? DEFAULT_RESCAN_MS;
    this.#log = log;
    this.#reader = reader;
    this.holder = holder;
    this.#clock.observe(new Map(stamps), Date.now());
  }

  /** The corpus last found settled; null before the first. An announcer taking over starts from this, not the corpus served. */
  get settled(): Corpus | null {
    return this.#settledCorpus;
  }

  /** The pages' corpus as last read, without the works (what the sources' works are matched against). */
  get pages(): Corpus {
    return this.#pages;
  }

  /** Serves these works merged with the pages from now on (after the reload in progress). */
  setWorks(works: readonly Paper[]): Promise<boolean> {
    return this.#reload('corpus: merging the works failed; the corpus being served is unchanged', () => {
      this.#works = works;
      return this.#serve(withWorks(this.#pages, works), { changed: [], works: works.length });
    });
  }

  /** Starts following the pages: reloads on change, and tells the listener once they have settled. */
  async start(onSettled: (corpus: Corpus) => void | Promise<void> = () => undefined): Promise<void> {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#onSettled = onSettled;
    const stableMs = this.#options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    const watcher = watch(this.#options.dir, {
      depth: 0,
      ignoreInitial: true,
      persistent: false,
      ignored: (file, stats) => stats?.isFile() === true && !isCorpusFile(path.basename(file)),
      awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.min(stableMs, 100) },
    });
    watcher.on('all', (_event, file) => {
      this.#touched.add(path.basename(file));
      void this.rescan();
    });
    watcher.on('error', (error) => this.#log.warn('corpus: watching the profile directory failed; relying on the periodic rescan', { dir: this.#options.dir, error }));
    this.#watcher = watcher;
    // chokidar says nothing of a page added before it has listed the directory (`ignoreInitial`): rescan after that.
    await once(watcher, 'ready', { signal: this.#unwatched.signal }).catch(() => undefined);
    this.#interval = setInterval(() => void this.rescan(), this.#rescanMs).unref();
    await this.rescan();
    this.#scheduleSettleCheck(0);
  }

  /** Checks the directory now and reloads what changed; resolves true when a new library was swapped in. */
  rescan(): Promise<boolean> {
    // A scan not yet begun will see every change made so far: join it instead of queueing another.
    if (this.#queued && !this.#stopped) return this.#queued;
    const run = this.#reload('corpus: reload failed; the corpus being served is unchanged', () => {
      this.#queued = null;
      return this.#scan();
    });
    this.#queued = run;
    return run;
  }

  /** Closes the watcher, timers and reader thread, after a reload in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unwatched.abort();
    await this.#watcher?.close();
    if (this.#interval) clearInterval(this.#interval);
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    await this.#running;
    await this.#reader.close();
  }

  // Runs `work` after the reload in progress; a failure is logged as `failure` and the library served stays.
  #reload(failure: string, work: () => Promise<boolean>): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    const run = this.#running.then(async () => {
      this.#scanning += 1;
      try {
        return await work();
      } catch (error) {
        this.#log.error(failure, { dir: this.#options.dir, error });
        return false;
      } finally {
        this.#scanning -= 1;
        if (this.#started) this.#scheduleSettleCheck(this.#settleWait());
      }
    });
    this.#running = run;
    return run;
  }

  async #scan(): Promise<boolean> {
    const touched = [...this.#touched];
    this.#touched.clear();
    const started = performance.now();
    const result = await this.#reader.scan({ touched, asOf: this.#options.asOf ?? null });
    if (this.#stopped) return false;
    // While a reload runs the settle check waits, so the corpus it hands over always goes with these stamps.
    this.#clock.observe(new Map(result.stamps), Date.now());
    if (!result.corpus) return false;
    this.#pages = result.corpus;
    const changed = result.changed.map((name) => path.join(this.#options.dir, name));
    return this.#serve(withWorks(result.corpus, this.#works), { changed, readMs: Math.round(performance.now() - started) });
  }

  // Builds the index of a corpus (paced: the main thread keeps answering) and swaps the library in.
  async #serve(corpus: Corpus, fields: Record<string, unknown>): Promise<boolean> {
    const started = performance.now();
    const next: Library = { corpus, index: await PaperIndex.buildAsync(corpus), loadedAt: new Date() };
    if (this.#stopped) return false;
    const previous = this.holder.swap(next);
    this.#log.info('corpus: reloaded', {
      ...fields,
      indexMs: Math.round(performance.now() - started),
      papers: next.corpus.papers.length,
      previousPapers: previous.corpus.papers.length,
      pages: next.corpus.profiles.length,
    });
    return true;
  }

  // How long until the pages as last read would have settled, were they left alone.
  #settleWait(): number {
    const verdict = this.#clock.verdict(Date.now(), this.#settleMs);
    return verdict.state === 'waiting' ? verdict.waitMs : 0;
  }

  #scheduleSettleCheck(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = null;
      void this.#checkSettled();
    }, delayMs).unref();
  }

  // Hands the corpus served to the announcer once the pages on disk are still those read, and quiet long enough.
  async #checkSettled(): Promise<void> {
    if (this.#stopped || this.#scanning > 0) return; // the reload in progress schedules the next check
    const served = this.holder.current.corpus;
    const onDisk = await this.#stampsOnDisk();
    if (this.#stopped || this.#scanning > 0) return;
    if (this.holder.current.corpus !== served) return this.#scheduleSettleCheck(this.#settleWait());
    if (!onDisk) return this.#scheduleSettleCheck(this.#rescanMs);
    const verdict = this.#clock.verdict(Date.now(), this.#settleMs, onDisk);
    if (verdict.state === 'changed') return void this.rescan();
    if (verdict.state === 'waiting') return this.#scheduleSettleCheck(verdict.waitMs);
    if (this.#settledCorpus === served) return;
    this.#settledCorpus = served;
    try {
      await this.#onSettled(served);
    } catch (error) {
      this.#log.error('corpus: a settled-corpus listener failed', { error });
    }
    try {
      if (await this.#reader.persist()) this.#log.info('live: snapshot saved', { stateDir: this.#options.stateDir, papers: served.papers.length });
    } catch (error) {
      if (!this.#stopped) this.#log.warn('live: cannot save the snapshot; the next start reads every page', { stateDir: this.#options.stateDir, error });
    }
  }

  async #stampsOnDisk(): Promise<Map<string, PageStamp> | null> {
    const names = await readdir(this.#options.dir).catch(() => null);
    if (!names) return null;
    const stamps = await Promise.all(
      names.filter(isCorpusFile).map((name) =>
        stat(path.join(this.#options.dir, name)).then(
          (info): [string, PageStamp] => [name, { size: info.size, mtimeMs: info.mtimeMs }],
          () => null, // gone since the listing: the next listing says so
        ),
      ),
    );
    return new Map(stamps.filter((entry) => entry !== null));
  }
}

const DEFAULT_DEBOUNCE_MS = 300;
const DEFAULT_RESCAN_MS = 30_000;
const DEFAULT_SETTLE_MS = 5_000;
