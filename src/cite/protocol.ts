/** The messages between the main thread (src/cite/styles.ts) and the citation thread (src/cite/worker.ts). */
import type { CslItem } from './csl.js';

/** What the thread is started with: the locale file and each style's file (and XML, where already read). */
export interface CiteSetup {
  localeFile: string;
  styles: Array<{ id: string; file: string; xml: string | null }>;
}

/** Compile one style's engine; render items (each its own one-entry bibliography) in one style. */
export type CiteRequest = { type: 'compile'; id: number; style: string } | { type: 'render'; id: number; style: string; items: CslItem[] };

/** `compiled`: the engine is built; `rendered`: each item's entry, in order; `failed`: why not (naming the file). */
export type CiteMessage =
  | { type: 'compiled'; id: number; style: string }
  | { type: 'rendered'; id: number; style: string; entries: string[] }
  | { type: 'failed'; id: number; style: string; message: string; compile: boolean };

/** An error's message on one line, at most 300 characters (what a style's problem quotes of citeproc). */
export function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
}
