import type { Corpus } from '../corpus/schema.js';
import type { PaperSearch } from './types.js';

/** The corpus and its index as one snapshot, swapped whole on reload (src/live/watch.ts): a reader never sees half of one. */
export interface Library {
  readonly corpus: Corpus;
  readonly index: PaperSearch;
  readonly loadedAt: Date;
}
