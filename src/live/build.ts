/**
 * Building the index of a corpus for the live library: the one place it is done, so the build that yields to the
 * event loop (`PaperIndex.buildAsync`) and the persisted index are one switch away.
 */
import type { Corpus } from '../corpus/schema.js';
import { PaperIndex } from '../search/index.js';

/** The index over a corpus's papers. */
export async function buildIndex(corpus: Corpus): Promise<PaperIndex> {
  return PaperIndex.build(corpus);
}
