/**
 * Live reload of DATA_DIR/profiles. When a page is added, changed or removed, the changed pages are
 * re-parsed, all pages merged, a new index built, and the whole snapshot swapped in with one
 * assignment (LibraryHolder.swap): a command sees the old corpus or the new one, never half of one.
 *
 * A page that now yields fewer than half the papers it had (none, for a page gone corrupt or caught
 * half-written by an editor) keeps its last good version serving; its diagnostics are logged.
 * fs.watch drives reloads (debounced: editors write in several steps); a periodic rescan catches
 * what fs.watch misses (network filesystems, a replaced directory).
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Library, LibraryHolder } from '../library.js';
import type { Logger } from '../log.js';
import { PaperIndex } from '../search/index.js';
import { isCorpusFile, readCorpusFile } from '../corpus/load.js';
import { mergePages } from '../corpus/merge.js';
import { formatDiagnostic, parseProfilePage, type ParsedPage } from '../corpus/parse.js';
import type { Corpus, Diagnostic } from '../corpus/schema.js';

/** What `watchCorpus` needs. */
export interface WatchOptions {
  /** The directory of pages (DATA_DIR/profiles). */
  dir: string;
  holder: LibraryHolder;
  /** The day year-less dates are read against; default CORPUS_AS_OF, else today. */
  asOf?: Date;
  log: Logger;
  /** Called after each swap, with the snapshot replaced and the one now served; errors are logged. */
  onChange?: (previous: Library, next: Library) => void | Promise<void>;
  /** Quiet time after a file event before reloading; default 300 ms. */
  debounceMs?: number;
  /** Interval of the fallback rescan; default 30 s. */
  rescanMs?: number;
}

/** A running watcher. */
export interface CorpusWatcher {
  /** Checks the directory now and reloads what changed; resolves true when a new snapshot was swapped in. */
  rescan(): Promise<boolean>;
  /** Closes the watcher and timers, and waits for a reload in progress. */
  stop(): Promise<void>;
}

/** Starts watching `dir`: reads every page once (swapping only if that differs from what is served), then reloads on change. */
export async function watchCorpus(options: WatchOptions): Promise<CorpusWatcher> {
  const watcher = new PageWatcher(options);
  await watcher.start();
  return watcher;
}

/** One page as last seen on disk, and the version of it being served. */
interface PageState {
  fingerprint: string;
  hash: string;
  /** The last good parse; null for a page that never yielded anything usable. */
  serving: ParsedPage | null;
}

class PageWatcher implements CorpusWatcher {
  readonly #options: WatchOptions;
  readonly #log: Logger;
  readonly #asOf: Date | undefined;
  readonly #pages = new Map<string, PageState>();
  /** Files fs.watch named since the last scan: read them even if their stat looks unchanged. */
  readonly #touched = new Set<string>();
  #fsWatcher: FSWatcher | null = null;
  #debounce: NodeJS.Timeout | null = null;
  #interval: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #queued: Promise<boolean> | null = null;
  #stopped = false;

  constructor(options: WatchOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'corpus-watch' });
    this.#asOf = options.asOf;
  }

  async start(): Promise<void> {
    // Watch first: a page written while the first scan runs then triggers a rescan instead of waiting for the interval.
    this.#startFsWatch();
    const initial = this.#scanSafely(true);
    this.#running = initial;
    await initial;
    this.#interval = setInterval(() => {
      if (!this.#fsWatcher) this.#startFsWatch();
      void this.rescan();
    }, this.#options.rescanMs ?? DEFAULT_RESCAN_MS);
    this.#interval.unref();
  }

  rescan(): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    // A scan not yet begun will see every change made so far: join it instead of queueing another.
    if (this.#queued) return this.#queued;
    const run = this.#running.then(() => {
      this.#queued = null;
      return this.#scanSafely(false);
    });
    this.#queued = run;
    this.#running = run;
    return run;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#fsWatcher?.close();
    this.#fsWatcher = null;
    if (this.#debounce) clearTimeout(this.#debounce);
    if (this.#interval) clearInterval(this.#interval);
    await this.#running;
  }

  #startFsWatch(): void {
    try {
      const watcher = watch(this.#options.dir, { persistent: false }, (_event, name) => {
        if (typeof name === 'string' && name) this.#touched.add(name);
        if (this.#debounce) clearTimeout(this.#debounce);
        this.#debounce = setTimeout(() => {
          this.#debounce = null;
          void this.rescan();
        }, this.#options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
        this.#debounce.unref();
      });
      watcher.on('error', (error) => {
        this.#log.warn('corpus: watching the profile directory failed; relying on the periodic rescan', { dir: this.#options.dir, error });
        watcher.close();
        if (this.#fsWatcher === watcher) this.#fsWatcher = null;
      });
      this.#fsWatcher = watcher;
    } catch (error) {
      this.#log.warn('corpus: cannot watch the profile directory; relying on the periodic rescan', { dir: this.#options.dir, error });
    }
  }

  async #scanSafely(initial: boolean): Promise<boolean> {
    try {
      return await this.#scan(initial);
    } catch (error) {
      this.#log.error('corpus: reload failed; the corpus being served is unchanged', { dir: this.#options.dir, error });
      return false;
    }
  }

  async #scan(initial: boolean): Promise<boolean> {
    const { dir } = this.#options;
    let names: string[];
    try {
      names = (await readdir(dir)).filter(isCorpusFile).sort();
    } catch (error) {
      // A directory that cannot be read (unmounted, renamed) is not a corpus with no pages: keep serving.
      this.#log.warn('corpus: cannot read the profile directory; the corpus being served is unchanged', { dir, error });
      return false;
    }
    const touched = new Set(this.#touched);
    this.#touched.clear();
    const changed: string[] = [];
    for (const name of names) {
      if (this.#stopped) return false;
      if (await this.#checkPage(name, touched.has(name))) changed.push(name);
    }
    for (const name of [...this.#pages.keys()]) {
      if (names.includes(name)) continue;
      const removed = this.#pages.get(name);
      this.#pages.delete(name);
      if (removed?.serving) changed.push(name);
    }
    if (initial) return this.#swapIfDifferent();
    if (changed.length === 0) return false;
    return this.#swap(changed);
  }

  // Reads one page if it looks changed; true when the version served changed.
  async #checkPage(name: string, touched: boolean): Promise<boolean> {
    const file = path.join(this.#options.dir, name);
    const previous = this.#pages.get(name);
    let info: Stats;
    try {
      info = await stat(file);
    } catch (error) {
      this.#log.warn('corpus: cannot read a page; its last good version keeps serving', { file, error });
      return false;
    }
    const fingerprint = `${info.ino}:${info.size}:${info.mtimeMs}`;
    if (previous && previous.fingerprint === fingerprint && !touched) return false;
    const read = await readCorpusFile(file);
    if (typeof read === 'string') {
      this.#log.warn('corpus: page skipped; its last good version keeps serving', { file, reason: read });
      this.#pages.set(name, { fingerprint, hash: '', serving: previous?.serving ?? null });
      return false;
    }
    const hash = createHash('sha1').update(read.text, 'utf8').digest('hex');
    if (previous && previous.hash === hash) {
      previous.fingerprint = fingerprint;
      return false;
    }
    const parsed = parseProfilePage(read.text, file, this.#asOf ? { asOf: this.#asOf } : {});
    if (read.note) parsed.diagnostics.unshift({ file, line: 1, reason: read.note });
    const before = previous?.serving?.papers.length ?? 0;
    if (parsed.papers.length < before / 2) {
      this.#log.warn('corpus: page kept at its last good version: it now yields fewer than half its papers', {
        file,
        papers: parsed.papers.length,
        lastGoodPapers: before,
        diagnostics: summarize(parsed.diagnostics),
      });
      this.#pages.set(name, { fingerprint, hash, serving: previous?.serving ?? null });
      return false;
    }
    if (parsed.diagnostics.length > 0) {
      this.#log.warn('corpus: page read with problems', { file, papers: parsed.papers.length, diagnostics: summarize(parsed.diagnostics) });
    }
    this.#pages.set(name, { fingerprint, hash, serving: parsed });
    return true;
  }

  // Every page's served version, merged in file-name order as the loader does.
  #merge(): Corpus {
    const pages = [...this.#pages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return mergePages(pages.flatMap(([, page]) => (page.serving ? [page.serving] : [])));
  }

  async #swap(changed: string[], corpus: Corpus = this.#merge()): Promise<boolean> {
    if (this.#stopped) return false;
    const next: Library = { corpus, index: PaperIndex.build(corpus), loadedAt: new Date() };
    const previous = this.#options.holder.swap(next);
    this.#log.info('corpus: reloaded', {
      changed: changed.map((name) => path.join(this.#options.dir, name)),
      papers: next.corpus.papers.length,
      previousPapers: previous.corpus.papers.length,
      pages: next.corpus.profiles.length,
    });
    try {
      await this.#options.onChange?.(previous, next);
    } catch (error) {
      this.#log.error('corpus: a reload listener failed', { error });
    }
    return true;
  }

  // At start the holder already serves what the bot loaded; swap only if the disk moved on since.
  async #swapIfDifferent(): Promise<boolean> {
    const served = this.#options.holder.current.corpus;
    const onDisk = this.#merge();
    if (JSON.stringify(served.papers) === JSON.stringify(onDisk.papers)) return false;
    return this.#swap([...this.#pages.keys()], onDisk);
  }
}

function summarize(diagnostics: readonly Diagnostic[]): string[] {
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS_LOGGED).map(formatDiagnostic);
  if (diagnostics.length > shown.length) shown.push(`… and ${diagnostics.length - shown.length} more`);
  return shown;
}

const DEFAULT_DEBOUNCE_MS = 300;
const DEFAULT_RESCAN_MS = 30_000;
/** The loader's limit (src/corpus/load.ts): larger pages are skipped. */
const MAX_DIAGNOSTICS_LOGGED = 10;
