/**
 * The corpus and its index as one snapshot. Reloading builds a whole new snapshot and
 * swaps it in with one assignment: a reader sees the old snapshot or the new, never half of one.
 */
import type { Config } from './config.js';
import { loadCorpus } from './corpus/load.js';
import type { Corpus } from './corpus/schema.js';
import { metrics } from './metrics.js';
import { PaperIndex } from './search/index.js';
import type { PaperSearch } from './search/types.js';

/** One consistent view of the corpus and its index. */
export interface Library {
  readonly corpus: Corpus;
  readonly index: PaperSearch;
  readonly loadedAt: Date;
}

/** Holds the current library; `swap` replaces it atomically. */
export class LibraryHolder {
  #current: Library;

  constructor(initial: Library) {
    this.#current = initial;
    measure(initial);
  }

  /** The snapshot to use for the whole of one interaction: read it once, then use that. */
  get current(): Library {
    return this.#current;
  }

  /** Replaces the snapshot; returns the previous one. */
  swap(next: Library): Library {
    const previous = this.#current;
    this.#current = next;
    measure(next);
    return previous;
  }
}

/** A library snapshot over a corpus: the corpus and its freshly built index. */
export function buildLibrary(corpus: Corpus, loadedAt: Date = new Date()): Library {
  return { corpus, index: PaperIndex.build(corpus), loadedAt };
}

/** Reads `DATA_DIR/profiles` into a library (throws when no paper can be read). */
export async function loadLibrary(config: Pick<Config, 'profilesDir' | 'corpusAsOf'>): Promise<Library> {
  const corpus = await loadCorpus(config.profilesDir, config.corpusAsOf ? { asOf: config.corpusAsOf } : {});
  return buildLibrary(corpus);
}

// The served library's size and age, for /metrics.
function measure(library: Library): void {
  metrics.corpusPapers.set(library.index.size);
  metrics.corpusProfiles.set(library.corpus.profiles.length);
  metrics.corpusLoaded.set(library.loadedAt.getTime() / 1000);
}
