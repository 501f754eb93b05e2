/**
 * The announcer: papers new to the corpus, posted to each server's own channel oldest first, each exactly once per
 * server across restarts, then the follow deliveries. "New" means neither seen in that server (by id or normalized
 * title) nor a corrected version of a seen paper that has left the corpus (src/announce/seen.ts), so a paper whose
 * id changed because its title was corrected is not new, and "… Part II" beside "… Part I" is.
 *
 * It runs one task at a time, interactions' work first: takes each corpus in (a server's first corpus is its
 * baseline, src/announce/scope.ts), posts through each server's queue (claim, post, record:
 * src/announce/channel-queue.ts), then feeds the follows (src/announce/follow-feed.ts), so posting, DMs and
 * recording never interleave and the channel goes first. Nothing is posted while this process does not hold the
 * announcer lease (src/db/lease.ts). Nothing is stored as "pending": pending is the corpus minus what a server has
 * seen, so a restart recomputes it. Work that failed or waited for the lease is tried again (src/announce/retry.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import { FOLLOWS_SCOPE, rememberKeys, takeBaseline } from '../db/seen.js';
import { allGuildSettings, ensureGuild } from '../db/settings.js';
import type { AnnouncementControl, AnnouncementPreview } from '../discord/command.js';
import { backgroundTurn } from '../foreground.js';
import type { Logger } from '../log.js';
import { ChannelQueue, type PostMessage, type QueueContext } from './channel-queue.js';
import { FollowFeed, type NewPaperListener } from './follow-feed.js';
import { DATABASE_RETRY_MAX_MS, Retry, type Scheduler } from './retry.js';
import { keysOf, listsToKeys, oldestFirst, pendingPapers, SeenScope } from './scope.js';
import { prepareKeys, retitleFields, type SeenLists } from './seen.js';

export type { AnnouncementBody } from './messages.js';
export type { PostMessage } from './channel-queue.js';

/** Whether this process may post now: the announcer lease (src/db/lease.ts) as the announcer sees it. */
export interface LeaseCheck {
  /** True while this process holds the lease (renewed recently enough, not lost or released). */
  held(): boolean;
}

/** What `createAnnouncer` needs. */
export interface AnnouncerOptions extends Pick<QueueContext, 'db' | 'post' | 'log' | 'maxPapers' | 'onClaimed'> {
  /** The announcer lease this process holds; nothing is posted while it is not held. Without one (tests), always. */
  lease?: LeaseCheck;
  /** The server the environment configures (DISCORD_GUILD_ID), and its starting channel (ANNOUNCE_CHANNEL_ID). */
  start?: { guildId: string; channelId: string | null } | null;
  /** On the very first start, post the N newest papers once in the starting server (ANNOUNCE_BACKFILL); default 0. */
  backfill?: number;
  /** Keys seen before the database existed (announced.json), taken as the starting server's baseline if it has none. */
  imported?: SeenLists | null;
  /** Told of the papers found new after each corpus; runs on the announcer's queue. */
  listener?: NewPaperListener;
  /** Called after work that wrote to the database (for backups). */
  onWritten?: () => void;
  /** The clock, for when the next retry is due and for timestamps. */
  now?: () => Date;
  /** Retry timers; tests pass one they fire by hand. */
  schedule?: Scheduler;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/** The running announcer: the control /announce uses, plus feeding it corpora, adding servers and stopping it. */
export interface Announcer extends AnnouncementControl {
  /** Hands over the corpus now being served; new papers in it are queued and posted. Never throws. */
  update(corpus: Corpus): void;
  /**
   * Makes sure the server is known (a new one starts from the corpus then served as its baseline) and re-reads
   * every server's settings; resolves once done. For /settings and servers joined while running.
   */
  refreshServers(guildId?: string): Promise<void>;
  /** Settles once the work queued so far is done (a retry timer may still be waiting). */
  idle(): Promise<void>;
  /** Runs `task` on the announcer's queue (after the work queued so far); its result, or undefined once stopped or on error. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  /**
   * Records papers as seen in every server and for the follows without announcing them, before a corpus with them
   * is handed over: a source's first read is its baseline (src/live/sources.ts). Resolves true once written, false
   * when it could not be (logged).
   */
  remember(papers: readonly Paper[]): Promise<boolean>;
  /** The corpus last taken in; null before the first. */
  readonly corpus: Corpus | null;
  /** Cancels retries and waits (at most `graceMs`, default 5 s) for a post in flight. */
  stop(graceMs?: number): Promise<void>;
}

/** Creates the announcer; the starting server's row (and an imported baseline) are written at once. */
export async function createAnnouncer(options: AnnouncerOptions): Promise<Announcer> {
  const announcer = new ServerAnnouncer(options);
  await announcer.prepare();
  return announcer;
}

/** Records papers as seen in every server's scope and the follows' (for a process that does not announce). */
export async function rememberAsSeen(db: Kysely<Database>, papers: readonly Paper[], now: number): Promise<void> {
  const keys = keysOf(papers);
  for (const settings of await allGuildSettings(db)) await rememberKeys(db, settings.guildId, keys, now);
  await rememberKeys(db, FOLLOWS_SCOPE, keys, now);
}

class ServerAnnouncer implements Announcer {
  readonly #options: AnnouncerOptions;
  readonly #db: Kysely<Database>;
  readonly #servers = new Map<string, ChannelQueue>();
  readonly #context: QueueContext;
  readonly #follows: FollowFeed;
  // Taking the newest corpus in again, after a database failure or while the lease is not held.
  readonly #catchUpRetry: Retry;
  readonly #catchUpLater = (): void => void this.#enqueue(() => this.#catchUp(), true);
  #corpus: Corpus | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  // Settles when work done for an interaction is queued: a background step waiting for its turn goes at once.
  #foregroundArrived: Promise<void> = new Promise(() => {});
  #foregroundQueued: () => void = () => {};
  #stopped = false;
  #waitingForLease = false;

  constructor(options: AnnouncerOptions) {
    this.#resetForegroundSignal();
    this.#options = options;
    this.#db = options.db;
    const now = (): number => (options.now?.() ?? new Date()).getTime();
    this.#context = { ...options, mayPost: (pending) => this.#mayPost(pending), stopped: () => this.#stopped, now, timing: options };
    this.#follows = new FollowFeed(this.#context, options.listener);
    this.#catchUpRetry = new Retry(this.#catchUpLater, { ...options, maxMs: DATABASE_RETRY_MAX_MS });
  }

  get corpus(): Corpus | null {
    return this.#corpus;
  }

  // The starting server's row, and announced.json's keys as its baseline when it has none yet.
  async prepare(): Promise<void> {
    const { start, imported, log } = this.#options;
    if (start) {
      await ensureGuild(this.#db, start.guildId, { announceChannelId: start.channelId }, this.#context.now());
      if (imported && imported.announcedIds.length > 0 && (await takeBaseline(this.#db, start.guildId, listsToKeys(imported), imported.announcedIds.length, this.#context.now()))) {
        log.info('announce: imported announced.json as the baseline of the starting server; nothing in it is announced again', { guildId: start.guildId, papers: imported.announcedIds.length });
      }
    }
    await this.#syncServers();
  }

  update(corpus: Corpus): void {
    this.#catchUpRetry.cancel();
    void this.#enqueue(async () => {
      await prepareKeys(corpus.papers);
      this.#corpus = corpus;
      return this.#catchUp();
    }, true);
  }

  async refreshServers(guildId?: string): Promise<void> {
    await this.#enqueue(async () => {
      if (guildId) await ensureGuild(this.#db, guildId, { announceChannelId: null }, this.#context.now());
      await this.#catchUp();
    });
  }

  preview(guildId: string | null): AnnouncementPreview {
    const server = guildId ? this.#servers.get(guildId) : undefined;
    if (!server) return { channelId: null, pending: [] };
    return { channelId: server.channelId, pending: this.#pendingOf(server), retryAt: server.retry.dueAt, lastError: server.failure?.message ?? null };
  }

  postNow(guildId: string | null): Promise<{ posted: number; pending: number; error: string | null }> {
    return this.#enqueue(async () => {
      const server = guildId ? this.#servers.get(guildId) : undefined;
      if (!server || !this.#corpus) return { posted: 0, pending: 0, error: null };
      server.retry.cancel();
      const { posted, complete } = await server.flush(this.#corpus);
      if (!complete) this.#catchUpRetry.failed();
      return { posted, pending: this.#pendingOf(server).length, error: server.failure?.message ?? null };
    }).then((result) => result ?? { posted: 0, pending: 0, error: 'announcements have stopped' });
  }

  run<T>(task: () => Promise<T>): Promise<T | undefined> {
    return this.#enqueue(task);
  }

  async remember(papers: readonly Paper[]): Promise<boolean> {
    if (papers.length === 0) return true;
    const written = await this.#enqueue(async () => {
      await this.#syncServers();
      await rememberAsSeen(this.#db, papers, this.#context.now());
      for (const server of this.#servers.values()) for (const paper of papers) server.scope.seen.add(paper);
      this.#follows.sawAlready(papers);
      this.#options.onWritten?.();
      return true;
    }, true);
    return written === true;
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
    for (const server of this.#servers.values()) server.retry.cancel();
    this.#catchUpRetry.cancel();
    // A post stuck behind a long rate limit must not hold up shutdown; its claim stays open and is posted again (same nonce).
    const waited = await Promise.race([this.idle().then(() => true), delay(graceMs, false, { ref: false })]);
    if (!waited) this.#options.log.warn('announce: stopped with a post still in flight; its claim stays open and the next start posts it again with the same nonce', { graceMs });
  }

  // Takes the newest corpus in: every server's baseline or new keys, its posts (unless its own retry waits), then
  // the follows. Work that failed (the database unreachable, a full disk) or waits for the lease is tried again
  // with backoff until it succeeds: the live library hands each settled corpus over only once.
  async #catchUp(): Promise<void> {
    let complete = true;
    try {
      await this.#syncServers();
      const corpus = this.#corpus;
      if (corpus) {
        for (const server of this.#servers.values()) {
          await this.#reconcile(server, corpus);
          if (server.retry.dueAt === null) complete = (await server.flush(corpus)).complete && complete;
        }
        complete = (await this.#follows.feed(corpus)) && complete;
      }
      this.#options.onWritten?.();
    } catch (error) {
      const delay = this.#catchUpRetry.failed();
      const failures = this.#catchUpRetry.failures;
      if (failures === 1) this.#options.log.warn('announce: could not take the corpus in (the papers stay pending); retrying with backoff', { error, retryInMs: delay });
      else this.#options.log.debug('announce: taking the corpus in failed again', { error, attempts: failures, retryInMs: delay });
      return;
    }
    if (!complete) this.#catchUpRetry.failed();
    else if (this.#catchUpRetry.reset() > 0) this.#options.log.info('announce: caught up with the corpus after failed or waiting tries');
  }

  #resetForegroundSignal(): void {
    this.#foregroundArrived = new Promise((resolve) => {
      this.#foregroundQueued = () => {
        resolve();
        this.#resetForegroundSignal();
      };
    });
  }

  #pendingOf(server: ChannelQueue): Paper[] {
    return this.#corpus && server.channelId ? pendingPapers(this.#corpus, server.scope.seen) : [];
  }

  // One task at a time, in order: posting and recording never interleave. A task's error is logged, never thrown into the caller.
  #enqueue<T>(task: () => Promise<T>, background = false): Promise<T | undefined> {
    if (!background) this.#foregroundQueued();
    const run = this.#queue.then(async () => {
      if (this.#stopped) return undefined;
      // Interactions come first: a background step waits until none is being answered (src/foreground.ts), unless
      // an interaction's own work (/settings, /announce) is queued and waits for this step.
      if (background) await Promise.race([backgroundTurn(), this.#foregroundArrived]);
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

  // Every server with a row gets a queue (its seen keys read once); channels follow the settings.
  async #syncServers(): Promise<void> {
    for (const settings of await allGuildSettings(this.#db)) {
      const known = this.#servers.get(settings.guildId);
      if (known && known.channelId !== settings.announceChannelId) {
        // Another channel, or none: the old channel's failures are forgotten.
        known.retry.reset();
        known.failure = null;
        known.channelId = settings.announceChannelId;
      } else if (!known) {
        const scope = await SeenScope.load(this.#db, settings.guildId);
        this.#servers.set(settings.guildId, new ChannelQueue(scope, settings.announceChannelId, this.#context, this.#catchUpLater));
      }
    }
  }

  // A server's first corpus is its baseline (the starting server's minus the backfill); later, the new keys of papers seen and the retitles are recorded.
  async #reconcile(server: ChannelQueue, corpus: Corpus): Promise<void> {
    if (!server.scope.baselined) {
      const backfill = this.#options.start?.guildId === server.guildId ? Math.max(0, Math.floor(this.#options.backfill ?? 0)) : 0;
      const baseline = [...corpus.papers].sort((a, b) => oldestFirst(b, a)).slice(backfill);
      if (await server.scope.takeBaseline(this.#db, baseline, corpus, this.#context.now())) {
        this.#options.log.info('announce: took the present corpus as the baseline of a server; only papers added from now on are announced there', {
          guildId: server.guildId,
          baseline: baseline.length,
          backfill: corpus.papers.length - baseline.length,
        });
      }
      return;
    }
    for (const retitle of await server.scope.takeIn(this.#db, corpus, this.#context.now())) {
      this.#options.log.info('announce: a corrected version of an announced paper (not announced again)', { guildId: server.guildId, ...retitleFields(retitle) });
    }
  }

  // Without the lease another process may be announcing: post nothing until it is renewed (or for good, once lost).
  #mayPost(pending: number): boolean {
    const held = this.#options.lease?.held() ?? true;
    if (held && this.#waitingForLease) this.#options.log.info('announce: holding the announcer lease again; posting');
    else if (!held && !this.#waitingForLease) this.#options.log.warn('announce: not posting: this process does not hold the announcer lease right now', { pending });
    this.#waitingForLease = !held;
    return held;
  }
}

/** How long `stop` waits for a post in flight by default. */
const STOP_GRACE_MS = 5_000;
