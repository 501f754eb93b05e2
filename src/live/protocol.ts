/**
 * The messages between the bot's main thread and the page reader thread. A corpus travels as many small
 * messages (papers and diagnostics in chunks, then the rest), so that no single message takes the main thread
 * long to deserialize, and the reader sends the next chunk only once the main thread has acknowledged the last
 * one from a later turn of its event loop: Node delivers every message already queued on a port in one turn, so
 * chunks sent all at once would be taken in as one long block.
 */
import type { Corpus, Diagnostic, Paper, Profile } from '../corpus/schema.js';
import type { LogFields, LogLevel } from '../log.js';
import type { PageStamp } from './settle.js';

/** What the reader thread is started with. */
export interface ReaderSetup {
  /** The directory of pages (DATA_DIR/profiles). */
  dir: string;
  /** Where the snapshot of the parsed pages is kept; null: none. */
  stateDir: string | null;
}

/** One read of the directory. */
export interface ScanRequest {
  /** Pages the watcher named since the last read: read even if their stamp looks unchanged. */
  touched: readonly string[];
  /** The day year-less dates are read against; null: today. */
  asOf: Date | null;
  /** On the first read, leave the corpus out of the result when it comes from the snapshot (the caller loads SERVED_SNAPSHOT_FILE itself). */
  leaveOutRestored?: boolean;
}

/** What a read found. */
export interface ScanResult {
  /** Pages whose served version changed (all of them on the first read). */
  changed: string[];
  /** Every page merged, when something changed (always on the first read); null when nothing did. */
  corpus: Corpus | null;
  /** Every page's stamp as it was read. */
  stamps: Array<[string, PageStamp]>;
  /** The snapshot key of the pages on disk. */
  key: string;
  /** The first read took the parsed pages from the snapshot instead of parsing. */
  restored: boolean;
}

/** Main → reader. */
export type ReaderRequest =
  /** A scan (its Date is cloned as one). */
  | (ScanRequest & { type: 'scan'; id: number })
  /** Send the pages served now (answered as a scan that changed nothing). */
  | { type: 'send'; id: number }
  | { type: 'persist'; id: number }
  /** A chunk was taken in: send the next. */
  | { type: 'ack'; id: number };

/** Reader → main. */
export type ReaderMessage =
  | { type: 'log'; level: LogLevel; msg: string; fields: LogFields }
  | { type: 'papers'; id: number; papers: Paper[] }
  | { type: 'diagnostics'; id: number; diagnostics: Diagnostic[] }
  /** A scan's result; `profiles` when a corpus was sent (its papers and diagnostics came before), else null. */
  | (Omit<ScanResult, 'corpus'> & { type: 'scanned'; id: number; profiles: Profile[] | null })
  | { type: 'persisted'; id: number; wrote: boolean }
  | { type: 'failed'; id: number; message: string };

/** Papers per message: about a megabyte of structured clone, a few milliseconds to take in. */
export const PAPERS_PER_MESSAGE = 500;
/** Diagnostics per message. */
export const DIAGNOSTICS_PER_MESSAGE = 2_000;
