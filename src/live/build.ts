/**
 * The index of a corpus for the live library: the one place it is built, loaded from a snapshot, or made ready to
 * be saved. While the bot serves, the main thread only builds in the paced form (`buildAsync`), which never holds
 * the event loop for long; a saved index is loaded at open, before anything is served; the reader thread builds
 * the copy it saves in one go, since nothing waits on its event loop.
 */
import type { Corpus } from '../corpus/schema.js';
import { INDEX_FORMAT_VERSION, PaperIndex, type SavedIndex } from '../search/index.js';

/** The saved index's format: a snapshot made by another is not loaded. */
export const INDEX_VERSION = INDEX_FORMAT_VERSION;

/** The index over a corpus's papers, built in small steps. */
export async function buildIndex(corpus: Corpus): Promise<PaperIndex> {
  return PaperIndex.buildAsync(corpus);
}

/**
 * The index saved by `savedIndex` for this corpus, from a snapshot's body and numbers; throws when it is not this
 * corpus's. Loaded only when the library opens, before the process serves anything; quick, since a term's postings
 * are read only when a search first reaches it (search/saved.ts).
 */
export function loadIndex(corpus: Corpus, json: unknown, postings: Uint32Array): PaperIndex {
  return PaperIndex.load(corpus, { json: json as SavedIndex['json'], postings });
}

/** The index over a corpus, to be saved (for the reader thread: built in one go). */
export function savedIndex(corpus: Corpus): SavedIndex {
  return PaperIndex.build(corpus).save();
}
