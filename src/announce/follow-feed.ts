/**
 * What the follow deliveries (src/announce/deliveries.ts) are fed: the papers new to the bot, that is unseen in the
 * follows scope, are recorded with when they were found (the digests list them) and handed to the listener, and
 * remembered once every delivery went through. The first corpus is the follows' baseline: nothing in it is new.
 */
import type { Corpus, Paper } from '../corpus/schema.js';
import { recordNewPapers } from '../db/announcements.js';
import { FOLLOWS_SCOPE } from '../db/seen.js';
import type { QueueContext } from './channel-queue.js';
import { pendingPapers, SeenScope } from './scope.js';

/** Work that runs on the announcer's queue after each corpus is taken in (follow deliveries). */
export interface NewPaperListener {
  /**
   * Called with the papers found new (not in the first baseline), oldest first, and the corpus they are in.
   * Resolves false when some work must be tried again: the same papers are then handed over again later.
   */
  onNewPapers(papers: readonly Paper[], corpus: Corpus): Promise<boolean>;
}

/** The most paper ids one log line lists. */
const LOGGED_IDS_MAX = 20;

/** The follows scope and its listener. */
export class FollowFeed {
  readonly #context: QueueContext;
  readonly #listener: NewPaperListener | undefined;
  #scope: SeenScope | null = null;

  constructor(context: QueueContext, listener?: NewPaperListener) {
    this.#context = context;
    this.#listener = listener;
  }

  /** Hands the papers of `corpus` new to the bot to the listener; resolves false when some must be tried again. */
  async feed(corpus: Corpus): Promise<boolean> {
    const { db, log, now } = this.#context;
    this.#scope ??= await SeenScope.load(db, FOLLOWS_SCOPE);
    const scope = this.#scope;
    if (!scope.baselined) {
      await scope.takeBaseline(db, corpus.papers, corpus, now());
      return true;
    }
    await scope.takeIn(db, corpus, now());
    const found = pendingPapers(corpus, scope.seen);
    if (found.length === 0) return true;
    // Found again (and recorded once: new_papers is keyed by paper) when the lease is held again.
    if (!this.#context.mayPost(found.length)) return false;
    await recordNewPapers(db, found, now());
    // A big drop is counted, not listed: a log line of thousands of ids helps no one.
    log.info('announce: new papers found', { count: found.length, papers: found.slice(0, LOGGED_IDS_MAX).map((paper) => paper.id) });
    // Deliveries are claimed per member and paper: if this stops halfway, the next try finishes the rest, once.
    if (!((await this.#listener?.onNewPapers(found, corpus)) ?? true)) return false;
    await scope.remember(db, found, now());
    return true;
  }

  /** Adds papers already recorded as seen in the database (`rememberAsSeen`) to what the feed remembers. */
  sawAlready(papers: readonly Paper[]): void {
    for (const paper of papers) this.#scope?.seen.add(paper);
  }
}
