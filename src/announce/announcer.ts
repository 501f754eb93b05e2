/**
 * The announcement queue: papers new to the corpus, posted to one channel oldest first,
 * each exactly once across restarts. "New" means neither recorded (by id or normalized title) nor a
 * corrected version of a recorded paper that has left the corpus (src/announce/seen.ts), so a paper
 * whose id changed because its title was corrected is not new, and "… Part II" beside "… Part I" is.
 * The messages (embeds, or one summary for a big drop, each with a nonce) come from src/announce/messages.ts;
 * only the holder of the state store's announcer lease (src/db/lease.ts) posts.
 *
 * Nothing is stored as "pending": pending is the corpus minus the record in STATE_DIR, so a restart
 * recomputes it. The record is written after each successful message; a crash between a post and
 * its record re-sends at most that one message, with the same nonce (Discord keeps one within minutes).
 */
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { ANNOUNCER_LEASE, holdLease, type HeldLease } from '../db/lease.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { BACKOFF_BASE_MS, backoffDelay, describeFailure, type PostFailure } from './failure.js';
import { announcementMessages, summaryFields, type AnnouncementBody } from './messages.js';
import { retitleFields, SeenPapers } from './seen.js';
import { loadState, saveState, type AnnounceState } from './state.js';
import type { AnnouncementControl, AnnouncementPreview } from './types.js';

export type { AnnouncementBody } from './messages.js';

/** Sends one message to a channel; rejects on any failure (the bot passes discord.js's REST post). */
export type PostMessage = (channelId: string, body: AnnouncementBody) => Promise<void>;

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

/** What `createAnnouncer` needs. */
export interface AnnouncerOptions {
  /** Where the record lives (STATE_DIR). */
  stateDir: string;
  /** The state store (DATABASE_URL): one announcer per store, by its `announcer` lease (src/db/lease.ts). */
  db: Kysely<Database>;
  /** The lease's length (ANNOUNCE_LEASE_MS); default 30 s. */
  leaseMs?: number;
  channelId: string;
  /** On the very first start, post the N newest papers once (ANNOUNCE_BACKFILL); default 0. */
  backfill?: number;
  /** More papers than this waiting at once are announced as one summary (ANNOUNCE_MAX_PAPERS); default 10. */
  maxPapers?: number;
  post: PostMessage;
  log: Logger;
  /** The clock, for when the next retry is due. */
  now?: () => Date;
  /** Retry timers; tests pass one they fire by hand. */
  schedule?: Scheduler;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/** The running announcer: the control /announce uses, plus feeding it corpora and stopping it. */
export interface Announcer extends AnnouncementControl {
  /** Hands over the corpus now being served; new papers in it are queued and posted. Never throws. */
  update(corpus: Corpus): void;
  /** Settles once the work queued so far is done (a retry timer may still be waiting). */
  idle(): Promise<void>;
  /** Cancels retries, waits (at most `graceMs`, default 5 s) for a post in flight, releases the lease. */
  stop(graceMs?: number): Promise<void>;
}

/** Takes the announcer lease (throws LeaseHeldError when another process keeps it), reads the record, returns the announcer. */
export async function createAnnouncer(options: AnnouncerOptions): Promise<Announcer> {
  const lease = await holdLease(options.db, { name: ANNOUNCER_LEASE, log: options.log, ...(options.leaseMs ? { lengthMs: options.leaseMs } : {}) });
  try {
    const loaded = await loadState(options.stateDir);
    if (loaded.problem) {
      options.log.error('announce: the announcement record was unreadable; it was moved aside and the corpus is taken as a new baseline', {
        reason: loaded.problem.reason,
        movedTo: loaded.problem.movedTo,
      });
    }
    return new QueueAnnouncer(options, lease, loaded.state);
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** Papers of `corpus` to announce (neither seen nor a retitle of a gone paper: src/announce/seen.ts), oldest first. */
export function pendingPapers(corpus: Corpus, seen: SeenPapers): Paper[] {
  return seen.classify(corpus.papers).fresh.sort(oldestFirst);
}

/** Date ascending, then title, then id: a stable order for announcing. */
export function oldestFirst(a: Paper, b: Paper): number {
  return a.date.localeCompare(b.date) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

interface FailureEpisode {
  failure: PostFailure;
  attempts: number;
}

class QueueAnnouncer implements Announcer {
  readonly #options: AnnouncerOptions;
  readonly #lease: HeldLease;
  readonly #state: AnnounceState;
  readonly #seen: SeenPapers;
  readonly #schedule: Scheduler;
  #corpus: Corpus | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #episode: FailureEpisode | null = null;
  #cancelRetry: (() => void) | null = null;
  #retryAt: Date | null = null;
  #stopped = false;
  #unsaved = false;
  #waitingForLease = false;

  constructor(options: AnnouncerOptions, lease: HeldLease, state: AnnounceState) {
    this.#options = options;
    this.#lease = lease;
    this.#state = state;
    this.#seen = new SeenPapers(state);
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  update(corpus: Corpus): void {
    void this.#enqueue(async () => {
      await this.#reconcile(corpus);
      this.#corpus = corpus;
      if (this.#cancelRetry === null) await this.#flush();
    });
  }

  preview(): AnnouncementPreview {
    return {
      channelId: this.#options.channelId,
      pending: this.#pending(),
      retryAt: this.#retryAt,
      lastError: this.#episode?.failure.message ?? null,
    };
  }

  postNow(): Promise<{ posted: number; pending: number; error: string | null }> {
    return this.#enqueue(async () => {
      this.#clearRetry();
      const posted = await this.#flush();
      return { posted, pending: this.#pending().length, error: this.#episode?.failure.message ?? null };
    }).then((result) => result ?? { posted: 0, pending: this.#pending().length, error: 'announcements have stopped' });
  }

  async idle(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#queue;
      await tail;
    } while (tail !== this.#queue);
  }

  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.#stopped = true;
    this.#clearRetry();
    // A post stuck behind a long rate limit must not hold up shutdown; what it posts unrecorded is the documented crash case.
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      this.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (!waited) this.#options.log.warn('announce: stopped with a post still in flight; if Discord took it, a restart posts it again', { graceMs });
    await this.#lease.release();
  }

  #pending(): Paper[] {
    return this.#corpus ? pendingPapers(this.#corpus, this.#seen) : [];
  }

  // One task at a time, in order: posting and recording never interleave. A task's error is logged, never thrown into the caller.
  #enqueue<T>(task: () => Promise<T>): Promise<T | undefined> {
    const run = this.#queue.then(async () => {
      if (this.#stopped) return undefined;
      try {
        return await task();
      } catch (error) {
        this.#options.log.error('announce: unexpected failure', { error });
        return undefined;
      }
    });
    this.#queue = run;
    return run;
  }

  // First corpus ever: it is the baseline (minus the backfill). Later: record new keys of the papers seen, and the retitles.
  async #reconcile(corpus: Corpus): Promise<void> {
    if (!this.#state.baseline) {
      const backfill = Math.max(0, Math.floor(this.#options.backfill ?? 0));
      const newestFirst = [...corpus.papers].sort((a, b) => oldestFirst(b, a));
      const baseline = newestFirst.slice(backfill);
      for (const paper of baseline) this.#seen.add(paper);
      this.#state.baseline = true;
      await this.#save();
      this.#options.log.info('announce: took the present corpus as the baseline; only papers added from now on are announced', {
        baseline: baseline.length,
        backfill: newestFirst.length - baseline.length,
      });
      return;
    }
    let changed = await this.#seen.refresh(corpus.papers, this.#corpus?.papers);
    for (const retitle of this.#seen.classify(corpus.papers, this.#corpus?.papers).retitles) {
      changed = this.#seen.add(retitle.paper) || changed;
      this.#options.log.info('announce: a corrected version of an announced paper (not announced again)', retitleFields(retitle));
    }
    if (changed) await this.#save();
  }

  // Posts the pending papers batch by batch, recording each batch once Discord took it. Returns how many were posted.
  async #flush(): Promise<number> {
    if (this.#unsaved && !(await this.#record())) return 0;
    const pending = this.#pending();
    if (pending.length === 0) return 0;
    const { channelId, post, log } = this.#options;
    let posted = 0;
    for (const message of announcementMessages(pending, this.#options.maxPapers)) {
      if (this.#stopped) break;
      if (!this.#lease.held()) {
        this.#notHolder(pending.length - posted);
        return posted;
      }
      this.#waitingForLease = false;
      try {
        await post(channelId, message.body);
      } catch (error) {
        this.#failed(error, pending.length - posted);
        return posted;
      }
      for (const paper of message.papers) this.#seen.add(paper);
      posted += message.papers.length;
      if (message.summary) log.info('announce: too many new papers at once; posted one summary and recorded them all', summaryFields(message.papers, this.#options.maxPapers));
      else log.info('announce: posted', { channelId, papers: message.papers.map((paper) => paper.id) });
      if (this.#episode) {
        log.info('announce: posting works again', { channelId, failedAttempts: this.#episode.attempts });
        this.#episode = null;
      }
      if (!(await this.#record())) return posted;
    }
    return posted;
  }

  // One log line per failure episode (and again only if the kind of failure changes), then a jittered, growing wait.
  #failed(error: unknown, stillPending: number): void {
    const failure = describeFailure(error);
    const sameKind = this.#episode?.failure.key === failure.key;
    const attempts = (this.#episode?.attempts ?? 0) + 1;
    this.#episode = { failure, attempts };
    const delay = backoffDelay(attempts, failure.retryAfterMs, this.#options.random);
    const fields = { channelId: this.#options.channelId, reason: failure.message, pending: stillPending, retryInMs: delay, error };
    if (sameKind) this.#options.log.debug('announce: post failed again', { ...fields, attempts });
    else this.#options.log.warn('announce: posting failed; the papers stay pending and are retried with backoff', fields);
    this.#scheduleRetry(delay);
  }

  // Without the lease another process may be announcing: post nothing until it is renewed (or for good, once lost).
  #notHolder(stillPending: number): void {
    if (!this.#waitingForLease) this.#options.log.warn('announce: not posting: this process does not hold the announcer lease right now', { pending: stillPending });
    this.#waitingForLease = true;
    this.#scheduleRetry(BACKOFF_BASE_MS);
  }

  #scheduleRetry(delayMs: number): void {
    this.#clearRetry();
    const now = this.#options.now?.() ?? new Date();
    this.#retryAt = new Date(now.getTime() + delayMs);
    this.#cancelRetry = this.#schedule(() => {
      this.#cancelRetry = null;
      this.#retryAt = null;
      void this.#enqueue(() => this.#flush());
    }, delayMs);
  }

  #clearRetry(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#retryAt = null;
  }

  // Saves after a post; a failure is logged and retried, since the papers are already out.
  async #record(): Promise<boolean> {
    try {
      await this.#save();
      return true;
    } catch (error) {
      this.#options.log.error('announce: could not record what was posted; a restart now would post it again', { error, stateDir: this.#options.stateDir });
      this.#scheduleRetry(backoffDelay(1, null, this.#options.random));
      return false;
    }
  }

  async #save(): Promise<void> {
    this.#unsaved = true;
    Object.assign(this.#state, this.#seen.toLists());
    await saveState(this.#options.stateDir, this.#state);
    this.#unsaved = false;
  }
}

/** How long `stop` waits for a post in flight by default. */
const STOP_GRACE_MS = 5_000;

function defaultSchedule(run: () => void, delayMs: number): () => void {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}
