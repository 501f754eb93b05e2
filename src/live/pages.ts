/**
 * The pages as the live library knows them, read, parsed and merged in the reader thread. A page that now yields
 * fewer than half the papers it had (corrupt, or caught half-written) keeps its last good version serving.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodePage, isCorpusFile, parseCorpusFile, readCorpusBytes } from '../corpus/load.js';
import { mergePages } from '../corpus/merge.js';
import { formatDiagnostic, type ParsedPage } from '../corpus/parse.js';
import type { Corpus, Diagnostic } from '../corpus/schema.js';
import type { Logger } from '../log.js';
import { PaperIndex, type SavedIndex } from '../search/index.js';
import type { PageStamp } from './settle.js';
import { CORPUS_SNAPSHOT_FILE, SERVED_SNAPSHOT_FILE, contentHash, openSnapshot, snapshotKey, sourceHash, writeSnapshot } from './snapshot.js';

/** What the reader thread is started with. */
export interface ReaderSetup {
  dir: string;
  stateDir: string | null;
}

/** One read of the directory. */
export interface ScanRequest {
  /** Pages the watcher named since the last read: read even if their stamp looks unchanged. */
  touched: readonly string[];
  /** The day year-less dates are read against; null: today. */
  asOf: Date | null;
  /** On the first read, leave the corpus out when it comes from the snapshot (the caller loads SERVED_SNAPSHOT_FILE). */
  leaveOutRestored?: boolean;
}

/** What a read found. */
export interface ScanResult {
  /** Pages whose served version changed (every page read, on the first read). */
  changed: string[];
  /** Every page merged, when something changed (always on the first read); null when nothing did. */
  corpus: Corpus | null;
  stamps: Array<[string, PageStamp]>;
  key: string;
  /** The first read took the parsed pages from the snapshot instead of parsing. */
  restored: boolean;
}

/** A page as last seen on disk: what `stat` says of it (`fingerprint` adds the inode) and a hash of its bytes. */
interface SeenPage {
  fingerprint: string;
  stamp: PageStamp;
  hash: string;
}

/** A page as last seen on disk, and its last good parse (null for a page that never yielded anything usable). */
type PageState = SeenPage & { serving: ParsedPage | null };

/** A page read from disk: its bytes (decoded only to be parsed), or why it was skipped. */
type ReadPage = SeenPage & { read: Uint8Array | string };

/** The pages of one directory, read on request. */
export class PageSet {
  readonly #options: ReaderSetup & { log: Logger };
  readonly #pages = new Map<string, PageState>();
  #scanned = false;
  #key = '';
  /** The key of the snapshot on disk (loaded or written), so an unchanged library is not written again. */
  #persistedKey: string | null = null;
  #code: Promise<string> | null = null;

  constructor(options: ReaderSetup & { log: Logger }) {
    this.#options = options;
  }

  /** Reads what changed (everything, the first time: from the snapshot when it is theirs) and merges the pages if anything did. */
  async scan(request: ScanRequest): Promise<ScanResult> {
    const initial = !this.#scanned;
    this.#scanned = true;
    const names = await this.#names(initial);
    if (names === null) return this.#result([], null);
    const asOf = request.asOf ?? new Date();
    const touched = new Set(request.touched);
    const read = new Map<string, ReadPage>();
    for (const name of names) {
      const seen = await this.#stat(name);
      if (!seen || (this.#pages.get(name)?.fingerprint === seen.fingerprint && !touched.has(name))) continue;
      const bytes = await readCorpusBytes(path.join(this.#options.dir, name));
      read.set(name, { ...seen, read: bytes, hash: typeof bytes === 'string' ? `skipped: ${bytes}` : contentHash(bytes) });
    }
    const restored = initial && (await this.#restore(await this.#keyOf(read, asOf), read));
    // Every page read is new on the first read; pages restored from the snapshot are not parsed.
    const changed = [...read].filter(([name, page]) => restored || this.#take(name, page, asOf) || initial).map(([name]) => name);
    for (const [name, page] of [...this.#pages]) {
      if (names.includes(name)) continue;
      this.#pages.delete(name);
      if (page.serving) changed.push(name);
    }
    this.#key = await this.#keyOf(this.#pages, asOf);
    if (restored && request.leaveOutRestored) return this.#result(changed, null, true);
    return this.#result(changed, initial || changed.length > 0 ? this.#merge() : null, restored);
  }

  /** Writes the snapshot of the pages served and of their index (built in this thread) unless it is saved already; true when written. */
  async persist(): Promise<boolean> {
    const { stateDir } = this.#options;
    if (!stateDir || !this.#scanned || this.#persistedKey === this.#key) return false;
    const key = this.#key;
    const pages = [...this.#pages.entries()].map(([name, page]) => ({ name, hash: page.hash, serving: page.serving }));
    const corpus = this.#merge();
    // Built in one go: nothing waits on this thread's event loop.
    const index = PaperIndex.build(corpus).save();
    await writeSnapshot(path.join(stateDir, SERVED_SNAPSHOT_FILE), key, { corpus, index: index.json } satisfies ServedSnapshot, index.postings);
    // Before 2026-12-07 the index alone was saved, under another name: nothing reads that file now.
    await rm(path.join(stateDir, 'library-index.snapshot'), { force: true });
    await writeSnapshot(path.join(stateDir, CORPUS_SNAPSHOT_FILE), key, { pages } satisfies CorpusSnapshot);
    this.#persistedKey = key;
    return true;
  }

  /** The pages served now, merged, as the last scan found them. */
  current(): ScanResult {
    return this.#result([], this.#merge());
  }

  // Takes the pages from the snapshot when it was made from exactly these pages; false (logged) when not.
  async #restore(key: string, read: ReadonlyMap<string, ReadPage>): Promise<boolean> {
    const { stateDir } = this.#options;
    if (!stateDir) return false;
    const file = path.join(stateDir, CORPUS_SNAPSHOT_FILE);
    const found = await openSnapshot(file, key);
    const pages = found.ok ? snapshotPages(found.body) : null;
    const usable = pages !== null && pages.length === read.size && pages.every((page) => read.get(page.name)?.hash === page.hash);
    if (!usable) {
      const reason = found.ok ? 'damaged: its pages do not fit the pages on disk' : found.reason;
      if (!found.ok && found.missing) this.#options.log.info('live: no snapshot of the parsed pages yet; reading every page', { file });
      else this.#options.log.warn('live: snapshot of the parsed pages not used; reading every page', { file, reason });
      return false;
    }
    for (const page of pages) {
      const seen = read.get(page.name);
      if (seen) this.#pages.set(page.name, { fingerprint: seen.fingerprint, stamp: seen.stamp, hash: page.hash, serving: page.serving });
    }
    this.#persistedKey = key;
    return true;
  }

  async #names(initial: boolean): Promise<string[] | null> {
    try {
      return (await readdir(this.#options.dir)).filter(isCorpusFile).sort();
    } catch (error) {
      if (initial) throw new Error(`corpus: cannot read the profile directory ${this.#options.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
      // A directory that cannot be read (unmounted, renamed) is not a corpus with no pages: keep serving.
      this.#options.log.warn('corpus: cannot read the profile directory; the corpus being served is unchanged', { dir: this.#options.dir, error });
      return null;
    }
  }

  // Stat before reading: a write after the stat changes the stamp, so the settle rule sees it.
  async #stat(name: string): Promise<Omit<SeenPage, 'hash'> | null> {
    const file = path.join(this.#options.dir, name);
    try {
      const info = await stat(file);
      return { fingerprint: `${info.ino}:${info.size}:${info.mtimeMs}`, stamp: { size: info.size, mtimeMs: info.mtimeMs } };
    } catch (error) {
      this.#options.log.warn('corpus: cannot read a page; its last good version keeps serving', { file, error });
      return null;
    }
  }

  // Parses a page read and decides which version serves; true when the version served changed.
  #take(name: string, page: ReadPage, asOf: Date): boolean {
    const file = path.join(this.#options.dir, name);
    const previous = this.#pages.get(name);
    const { read, ...seen } = page;
    let parsed: ParsedPage | null = null;
    if (typeof read === 'string') this.#options.log.warn('corpus: page skipped; its last good version keeps serving', { file, reason: read });
    else if (previous?.hash !== seen.hash) parsed = this.#parse(file, read, previous?.serving?.papers.length ?? 0, asOf);
    this.#pages.set(name, { ...seen, serving: parsed ?? previous?.serving ?? null });
    return parsed !== null;
  }

  // The page's parse; null (logged) when it yields fewer than half the `before` papers of its last good version.
  #parse(file: string, bytes: Uint8Array, before: number, asOf: Date): ParsedPage | null {
    const { text, note } = decodePage(bytes);
    const parsed = parseCorpusFile(text, file, { asOf });
    if (note) parsed.diagnostics.unshift({ file, line: 1, reason: note });
    if (parsed.papers.length < before / 2) {
      this.#options.log.warn('corpus: page kept at its last good version: it now yields fewer than half its papers', {
        file,
        papers: parsed.papers.length,
        lastGoodPapers: before,
        diagnostics: summarize(parsed.diagnostics),
      });
      return null;
    }
    if (parsed.diagnostics.length > 0) {
      this.#options.log.warn('corpus: page read with problems', { file, papers: parsed.papers.length, diagnostics: summarize(parsed.diagnostics) });
    }
    return parsed;
  }

  // Every page's served version, merged in file-name order as the loader does.
  #merge(): Corpus {
    const pages = [...this.#pages.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return mergePages(pages.flatMap(([, page]) => (page.serving ? [page.serving] : [])));
  }

  #result(changed: string[], corpus: Corpus | null, restored = false): ScanResult {
    return { changed, corpus, stamps: [...this.#pages].map(([name, page]) => [name, page.stamp]), key: this.#key, restored };
  }

  async #keyOf(pages: ReadonlyMap<string, SeenPage>, asOf: Date): Promise<string> {
    this.#code ??= sourceHash();
    return snapshotKey([...pages].map(([name, page]) => [name, page.hash]), asOf.toISOString().slice(0, 10), await this.#code);
  }
}

/** The snapshot of the parsed pages: each page's content hash and the version of it served. */
interface CorpusSnapshot {
  pages: Array<{ name: string; hash: string; serving: ParsedPage | null }>;
}

/** The body of SERVED_SNAPSHOT_FILE (its numbers are the index's postings). */
export interface ServedSnapshot {
  corpus: Corpus;
  index: SavedIndex['json'];
}

function snapshotPages(body: unknown): CorpusSnapshot['pages'] | null {
  const pages = (body as Partial<CorpusSnapshot> | null)?.pages;
  const fits = (page: Partial<Record<'name' | 'hash' | 'serving', unknown>> | null): boolean =>
    typeof page?.name === 'string' && typeof page.hash === 'string' && (page.serving === null || hasArrays(page.serving, 'papers', 'diagnostics'));
  return Array.isArray(pages) && pages.every(fits) ? pages : null;
}

/** Whether `value` is an object whose `keys` are arrays: the shape check of a snapshot's body. */
export function hasArrays(value: unknown, ...keys: string[]): boolean {
  return keys.every((key) => Array.isArray((value as Record<string, unknown> | null | undefined)?.[key]));
}

/** The first diagnostics, formatted, and how many more there are. */
export function summarize(diagnostics: readonly Diagnostic[]): string[] {
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS_LOGGED).map(formatDiagnostic);
  if (diagnostics.length > shown.length) shown.push(`… and ${diagnostics.length - shown.length} more`);
  return shown;
}

const MAX_DIAGNOSTICS_LOGGED = 10;
