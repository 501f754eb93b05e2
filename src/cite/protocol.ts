/** The messages between the main thread (src/cite/styles.ts) and the citation thread (src/cite/worker.ts). */
import type { CslItem } from './csl.js';

/** What the thread is started with: the locale file and each style's file (and XML, where already read). */
export interface CiteSetup {
  localeFile: string;
  styles: Array<{ id: string; file: string; xml: string | null }>;
}

/** Build the style's engine (once), then render each item as its own one-entry bibliography; no items only builds. */
export interface CiteRequest {
  id: number;
  style: string;
  items: CslItem[];
}

/** Each item's entry, in order; or why not (naming the file). */
export type CiteAnswer = { id: number; entries: string[] } | { id: number; failed: string };

/** An error's message on one line, at most 300 characters (what a style's problem quotes of citeproc). */
export function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
}
