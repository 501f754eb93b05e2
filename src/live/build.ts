/**
 * The index of a corpus for the live library: the one place it is built, loaded from a snapshot, or made ready to
 * be saved. On the main thread only the paced forms run (`buildAsync`, `loadAsync`), which never hold the event
 * loop for long; the reader thread builds the copy it saves in one go, since nothing waits on its event loop.
 */
import type { Corpus } from '../corpus/schema.js';
import { INDEX_FORMAT_VERSION, PaperIndex, type PersistedIndex } from '../search/index.js';

/** The saved index's format: a snapshot made by another is not loaded. */
export const INDEX_VERSION = INDEX_FORMAT_VERSION;

/** The index over a corpus's papers, built in small steps. */
export async function buildIndex(corpus: Corpus): Promise<PaperIndex> {
  return PaperIndex.buildAsync(corpus);
}

/** The index saved by `persistedIndex` for this corpus, loaded in small steps; throws when it is not this corpus's. */
export async function loadIndex(corpus: Corpus, persisted: unknown): Promise<PaperIndex> {
  return PaperIndex.loadAsync(corpus, persisted as PersistedIndex);
}

/** The index over a corpus as plain JSON, to be saved (for the reader thread: built in one go). */
export function persistedIndex(corpus: Corpus): PersistedIndex {
  return PaperIndex.build(corpus).toJSON();
}
