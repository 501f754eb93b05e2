/**
 * The index of a corpus for the live library: the one place it is built, loaded from a snapshot, or made ready to
 * be saved. While the bot serves, the main thread only builds in the paced form (`buildAsync`), which never holds
 * the event loop for long; a saved index is loaded at open, before anything is served; the reader thread builds
 * the copy it saves in one go, since nothing waits on its event loop.
 */
import type { Corpus } from '../corpus/schema.js';
import { INDEX_FORMAT_VERSION, PaperIndex, type PersistedIndex } from '../search/index.js';

/** The saved index's format: a snapshot made by another is not loaded. */
export const INDEX_VERSION = INDEX_FORMAT_VERSION;

/** The index over a corpus's papers, built in small steps. */
export async function buildIndex(corpus: Corpus): Promise<PaperIndex> {
  return PaperIndex.buildAsync(corpus);
}

/**
 * The index saved by `persistedIndex` for this corpus; throws when it is not this corpus's. Loaded only when the
 * library opens, before the process serves anything, so in one go: MiniSearch's paced `loadJSAsync` waits a timer
 * turn every 1,000 postings and took twice as long (31.5 s against 16.7 s at 100,000 papers, `npm run bench`).
 */
export function loadIndex(corpus: Corpus, persisted: unknown): PaperIndex {
  return PaperIndex.load(corpus, persisted as PersistedIndex);
}

/** The index over a corpus as plain JSON, to be saved (for the reader thread: built in one go). */
export function persistedIndex(corpus: Corpus): PersistedIndex {
  return PaperIndex.build(corpus).toJSON();
}
