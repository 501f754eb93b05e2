/**
 * The announcement queue, per server: papers new to the corpus, posted to each server's own channel oldest
 * first, each exactly once per server across restarts. "New" means neither seen in that server (by id or
 * normalized title) nor a corrected version of a seen paper that has left the corpus (src/announce/seen.ts), so a
 * paper whose id changed because its title was corrected is not new, and "… Part II" beside "… Part I" is.
 * The messages (embeds, or one summary for a big drop, each with a nonce of its server, channel and papers) come
 * from src/announce/messages.ts; nothing is posted while this process does not hold the announcer lease
 * (src/db/lease.ts, taken by src/announce/live.ts).
 *
 * Everything lives in the database (src/db/): each server's baseline and seen keys, and a claim per server and
 * paper taken before its message is posted and marked posted (with the paper's keys) in one transaction after.
 * Nothing is stored as "pending": pending is the corpus minus what the server has seen, so a restart recomputes
 * it; a claim never confirmed is posted again with the same nonce, which Discord deduplicates.
 *
 * The same queue feeds follow deliveries (src/announce/deliveries.ts) and records the papers found new for the
 * digests (src/announce/digest.ts), so posting, DMs and recording never interleave.
 */
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { claimAnnouncements, markAnnounced, recordNewPapers, unconfirmedClaims } from '../db/announcements.js';
import type { Database } from '../db/schema.js';
import { FOLLOWS_SCOPE, baselineOf, rememberKeys, seenKeys, takeBaseline, type SeenKey } from '../db/seen.js';
import { allGuildSettings, ensureGuild } from '../db/settings.js';
import { backgroundTurn } from '../foreground.js';
import type { Logger } from '../log.js';
import { BACKOFF_BASE_MS, backoffDelay, describeFailure, type PostFailure } from './failure.js';
import { announcementMessages, summaryFields, type AnnouncementBody, type AnnouncementMessage } from './messages.js';
import { retitleFields, SeenPapers, type Retitle, type SeenLists } from './seen.js';
import type { AnnouncementControl, AnnouncementPreview } from '../discord/announcements.js';

export type { AnnouncementBody } from './messages.js';

/** Sends one message to a channel; rejects on any failure (the bot passes discord.js's REST post). */
export type PostMessage = (channelId: string, body: AnnouncementBody) => Promise<void>;

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

/** Work that runs on the announcer's queue after each corpus is taken in (follow deliveries). */
export interface NewPaperListener {
  /**
   * Called with the papers found new (not in the first baseline), oldest first, and the corpus they are in.
   * Resolves false when some work must be tried again: the same papers are then handed over again later.
   */
  onNewPapers(papers: readonly Paper[], corpus: Corpus): Promise<boolean>;
}

/** Whether this process may post now: the announcer lease (src/db/lease.ts) as the announcer sees it. */
export interface LeaseCheck {
  /** True while this process holds the lease (renewed recently enough, not lost or released). */
  held(): boolean;
}

/** What `createAnnouncer` needs. */
export interface AnnouncerOptions {
  db: Kysely<Database>;
  /** The announcer lease this process holds; nothing is posted while it is not held. Without one (tests), always. */
  lease?: LeaseCheck;
  /** The server the environment configures (DISCORD_GUILD_ID), and its starting channel (ANNOUNCE_CHANNEL_ID). */
  start?: { guildId: string; channelId: string | null } | null;
  /** On the very first start, post the N newest papers once in the starting server (ANNOUNCE_BACKFILL); default 0. */
  backfill?: number;
  /** More papers than this waiting at once in a server are announced there as one summary (ANNOUNCE_MAX_PAPERS); default 10. */
  maxPapers?: number;
  /** Keys seen before the database existed (announced.json), taken as the starting server's baseline if it has none. */
  imported?: SeenLists | null;
  post: PostMessage;
  log: Logger;
  /** Told of the papers found new after each corpus; runs on the announcer's queue. */
  listener?: NewPaperListener;
  /** Called after work that wrote to the database (for backups). */
  onWritten?: () => void;
  /**
   * Called after papers were claimed and before their message is posted. The bot backs its SQLite file up here, so a
   * backup restored after a crash is never older than the last post: it holds the claim, and the papers are posted
   * again only in the message they were claimed in, under its nonce (which Discord deduplicates).
   */
  onClaimed?: () => Promise<void>;
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
  /** The corpus last taken in; null before the first. */
  readonly corpus: Corpus | null;
  /** Cancels retries and waits (at most `graceMs`, default 5 s) for a post in flight. */
  stop(graceMs?: number): Promise<void>;
}

/** The most paper ids one log line lists. */
const LOGGED_IDS_MAX = 20;

/** Creates the announcer; the starting server's row (and an imported baseline) are written at once. */
export async function createAnnouncer(options: AnnouncerOptions): Promise<Announcer> {
  const announcer = new ServerAnnouncer(options);
  await announcer.prepare();
  return announcer;
}

/** Papers of `corpus` to announce (neither seen nor a retitle of a gone paper: src/announce/seen.ts), oldest first. */
export function pendingPapers(corpus: Corpus, seen: SeenPapers): Paper[] {
  return seen.classify(corpus.papers).fresh.sort(oldestFirst);
}

/** Date ascending, then title, then id: a stable order for announcing. */
export function oldestFirst(a: Paper, b: Paper): number {
  return a.date.localeCompare(b.date) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

/** The keys a set of papers is recognised by, as stored in the database. */
export function keysOf(papers: Iterable<Paper>): SeenKey[] {
  const seen = new SeenPapers();
  for (const paper of papers) seen.add(paper);
  return listsToKeys(seen.toLists());
}

/** Stored keys → the lists `SeenPapers` reads. */
export function keysToLists(keys: readonly SeenKey[]): SeenLists {
  const lists: SeenLists = { announcedIds: [], announcedTitles: [], announcedAbstracts: [], announcedSignatures: [] };
  for (const key of keys) {
    if (key.kind === 'id') lists.announcedIds.push(key.value);
    else if (key.kind === 'title') lists.announcedTitles.push(key.value);
    else if (key.kind === 'abstract') lists.announcedAbstracts.push(key.value);
    else lists.announcedSignatures.push(key.value);
  }
  return lists;
}

/** The lists `SeenPapers` writes → stored keys. */
export function listsToKeys(lists: SeenLists): SeenKey[] {
  return [
    ...lists.announcedIds.map((value) => ({ kind: 'id' as const, value })),
    ...lists.announcedTitles.map((value) => ({ kind: 'title' as const, value })),
    ...lists.announcedAbstracts.map((value) => ({ kind: 'abstract' as const, value })),
    ...lists.announcedSignatures.map((value) => ({ kind: 'signature' as const, value })),
  ];
}

interface FailureEpisode {
  failure: PostFailure;
  attempts: number;
}

// One server's queue: its channel, what it has seen (as of which corpus), and its failure episode.
interface ServerQueue {
  guildId: string;
  channelId: string | null;
  seen: SeenPapers;
  baselined: boolean;
  /** The corpus last reconciled: papers unchanged since need no new keys. */
  reconciled: Corpus | null;
  episode: FailureEpisode | null;
  cancelRetry: (() => void) | null;
  retryAt: Date | null;
}

class ServerAnnouncer implements Announcer {
  readonly #options: AnnouncerOptions;
  readonly #db: Kysely<Database>;
  readonly #schedule: Scheduler;
  readonly #servers = new Map<string, ServerQueue>();
  #follows: { seen: SeenPapers; baselined: boolean; reconciled: Corpus | null } | null = null;
  #followAttempts = 0;
  #cancelFollowRetry: (() => void) | null = null;
  #cancelTakeInRetry: (() => void) | null = null;
  #takeInAttempts = 0;
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
    this.#schedule = options.schedule ?? defaultSchedule;
  }

  get corpus(): Corpus | null {
    return this.#corpus;
  }

  // The starting server's row, and announced.json's keys as its baseline when it has none yet.
  async prepare(): Promise<void> {
    await this.#prepareStart();
    await this.#syncServers();
  }

  async #prepareStart(): Promise<void> {
    const start = this.#options.start;
    if (!start) return;
    const now = this.#nowMs();
    await ensureGuild(this.#db, start.guildId, { announceChannelId: start.channelId }, now);
    const imported = this.#options.imported;
    if (imported && imported.announcedIds.length > 0) {
      const keys = listsToKeys(imported);
      const took = await takeBaseline(this.#db, start.guildId, keys, imported.announcedIds.length, now);
      if (took) {
        this.#options.log.info('announce: imported announced.json as the baseline of the starting server; nothing in it is announced again', {
          guildId: start.guildId,
          papers: imported.announcedIds.length,
        });
      }
    }
  }

  update(corpus: Corpus): void {
    this.#cancelTakeInRetry?.();
    this.#cancelTakeInRetry = null;
    void this.#enqueue(() => this.#takeInCorpus(corpus), true);
  }

  // The channel posts first, then the follows (DMs wait behind the channel, never the other way round). A failure
  // (the database unreachable, a full disk) is tried again with backoff until it succeeds, with the newest corpus:
  // the live library hands each settled corpus over only once, so nothing else would bring the papers back.
  async #takeInCorpus(corpus: Corpus): Promise<void> {
    try {
      this.#corpus = corpus;
      await this.#syncServers();
      for (const server of this.#servers.values()) {
        await this.#reconcile(server, corpus);
        if (server.cancelRetry === null) await this.#flush(server);
      }
      await this.#feedFollows(corpus);
      this.#options.onWritten?.();
    } catch (error) {
      this.#takeInAttempts += 1;
      const delay = Math.min(backoffDelay(this.#takeInAttempts, null, this.#options.random), TAKE_IN_RETRY_MAX_MS);
      if (this.#takeInAttempts === 1) this.#options.log.warn('announce: could not take the corpus in (the papers stay pending); retrying with backoff', { error, retryInMs: delay });
      else this.#options.log.debug('announce: taking the corpus in failed again', { error, attempts: this.#takeInAttempts, retryInMs: delay });
      this.#cancelTakeInRetry = this.#schedule(() => {
        this.#cancelTakeInRetry = null;
        const latest = this.#corpus;
        if (latest) void this.#enqueue(() => this.#takeInCorpus(latest), true);
      }, delay);
      return;
    }
    if (this.#takeInAttempts > 0) this.#options.log.info('announce: taking the corpus in works again', { failedAttempts: this.#takeInAttempts });
    this.#takeInAttempts = 0;
  }

  async refreshServers(guildId?: string): Promise<void> {
    await this.#enqueue(async () => {
      if (guildId) await ensureGuild(this.#db, guildId, { announceChannelId: null }, this.#nowMs());
      await this.#syncServers();
      if (this.#corpus) {
        for (const server of this.#servers.values()) {
          await this.#reconcile(server, this.#corpus);
          if (server.cancelRetry === null) await this.#flush(server);
        }
      }
      this.#options.onWritten?.();
    });
  }

  preview(guildId: string | null): AnnouncementPreview {
    const server = guildId ? this.#servers.get(guildId) : undefined;
    if (!server) return { channelId: null, pending: [] };
    return {
      channelId: server.channelId,
      pending: this.#pendingOf(server),
      retryAt: server.retryAt,
      lastError: server.episode?.failure.message ?? null,
    };
  }

  postNow(guildId: string | null): Promise<{ posted: number; pending: number; error: string | null }> {
    return this.#enqueue(async () => {
      const server = guildId ? this.#servers.get(guildId) : undefined;
      if (!server) return { posted: 0, pending: 0, error: null };
      this.#clearRetry(server);
      const posted = await this.#flush(server);
      return { posted, pending: this.#pendingOf(server).length, error: server.episode?.failure.message ?? null };
    }).then((result) => result ?? { posted: 0, pending: 0, error: 'announcements have stopped' });
  }

  run<T>(task: () => Promise<T>): Promise<T | undefined> {
    return this.#enqueue(task);
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
    for (const server of this.#servers.values()) this.#clearRetry(server);
    this.#cancelFollowRetry?.();
    this.#cancelTakeInRetry?.();
    // A post stuck behind a long rate limit must not hold up shutdown; its claim stays open and is posted again (same nonce).
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      this.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (!waited) this.#options.log.warn('announce: stopped with a post still in flight; its claim stays open and the next start posts it again with the same nonce', { graceMs });
  }

  #resetForegroundSignal(): void {
    this.#foregroundArrived = new Promise((resolve) => {
      this.#foregroundQueued = () => {
        resolve();
        this.#resetForegroundSignal();
      };
    });
  }

  #pendingOf(server: ServerQueue): Paper[] {
    return this.#corpus && server.channelId ? pendingPapers(this.#corpus, server.seen) : [];
  }

  #nowMs(): number {
    return (this.#options.now?.() ?? new Date()).getTime();
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
      if (known) {
        if (known.channelId !== settings.announceChannelId) {
          this.#clearRetry(known);
          known.episode = null;
        }
        known.channelId = settings.announceChannelId;
        continue;
      }
      const baseline = await baselineOf(this.#db, settings.guildId);
      const keys = baseline ? await seenKeys(this.#db, settings.guildId) : [];
      this.#servers.set(settings.guildId, {
        guildId: settings.guildId,
        channelId: settings.announceChannelId,
        seen: new SeenPapers(keysToLists(keys)),
        baselined: baseline !== null,
        reconciled: null,
        episode: null,
        cancelRetry: null,
        retryAt: null,
      });
    }
  }

  // A server's first corpus is its baseline (the starting server's minus the backfill); later, the new keys of papers seen and the retitles are recorded.
  async #reconcile(server: ServerQueue, corpus: Corpus): Promise<void> {
    const now = this.#nowMs();
    if (!server.baselined) {
      const starting = this.#options.start?.guildId === server.guildId;
      const backfill = starting ? Math.max(0, Math.floor(this.#options.backfill ?? 0)) : 0;
      const baseline = [...corpus.papers].sort((a, b) => oldestFirst(b, a)).slice(backfill);
      const took = await takeBaseline(this.#db, server.guildId, keysOf(baseline), baseline.length, now);
      const keys = took ? null : await seenKeys(this.#db, server.guildId);
      if (keys) server.seen = new SeenPapers(keysToLists(keys));
      else for (const paper of baseline) server.seen.add(paper);
      server.baselined = true;
      server.reconciled = corpus;
      if (took) {
        this.#options.log.info('announce: took the present corpus as the baseline of a server; only papers added from now on are announced there', {
          guildId: server.guildId,
          baseline: baseline.length,
          backfill: corpus.papers.length - baseline.length,
        });
      }
      return;
    }
    const retitles = await this.#takeIn(server.seen, server.guildId, corpus, server.reconciled);
    server.reconciled = corpus;
    for (const retitle of retitles) {
      this.#options.log.info('announce: a corrected version of an announced paper (not announced again)', { guildId: server.guildId, ...retitleFields(retitle) });
    }
  }

  // Records in `scope` the new keys of the papers already seen (an abstract reworded) and of the retitles of gone papers; returns the retitles.
  async #takeIn(seen: SeenPapers, scope: string, corpus: Corpus, previous: Corpus | null): Promise<Retitle[]> {
    const changed = await seen.refresh(corpus.papers, previous?.papers);
    const retitles = seen.classify(corpus.papers, previous?.papers).retitles;
    for (const retitle of retitles) seen.add(retitle.paper);
    const papers = [...changed, ...retitles.map((retitle) => retitle.paper)];
    if (papers.length > 0) await rememberKeys(this.#db, scope, keysOf(papers), this.#nowMs());
    return retitles;
  }

  // Papers new to the bot (the follows scope): recorded with when they were found, then handed to the listener.
  async #feedFollows(corpus: Corpus): Promise<void> {
    const now = this.#nowMs();
    if (!this.#follows) {
      const baseline = await baselineOf(this.#db, FOLLOWS_SCOPE);
      const keys = baseline ? await seenKeys(this.#db, FOLLOWS_SCOPE) : [];
      this.#follows = { seen: new SeenPapers(keysToLists(keys)), baselined: baseline !== null, reconciled: null };
    }
    const follows = this.#follows;
    if (!follows.baselined) {
      await takeBaseline(this.#db, FOLLOWS_SCOPE, keysOf(corpus.papers), corpus.papers.length, now);
      follows.seen = new SeenPapers(keysToLists(await seenKeys(this.#db, FOLLOWS_SCOPE)));
      follows.baselined = true;
      follows.reconciled = corpus;
      return;
    }
    if (follows.reconciled !== corpus) {
      await this.#takeIn(follows.seen, FOLLOWS_SCOPE, corpus, follows.reconciled);
      follows.reconciled = corpus;
    }
    const found = pendingPapers(corpus, follows.seen);
    if (found.length === 0) return;
    if (!this.#mayPost()) {
      // Found again (and recorded once: new_papers is keyed by paper) when the lease is held again.
      this.#notHolder(found.length);
      this.#scheduleFollowRetry();
      return;
    }
    await recordNewPapers(this.#db, found, now);
    // A big drop is counted, not listed: a log line of thousands of ids helps no one.
    this.#options.log.info('announce: new papers found', { count: found.length, papers: found.slice(0, LOGGED_IDS_MAX).map((paper) => paper.id) });
    // Deliveries are claimed per member and paper: if this stops halfway, the next try finishes the rest, once.
    const complete = (await this.#options.listener?.onNewPapers(found, corpus)) ?? true;
    if (!complete) {
      this.#scheduleFollowRetry();
      return;
    }
    this.#followAttempts = 0;
    await rememberKeys(this.#db, FOLLOWS_SCOPE, keysOf(found), now);
    for (const paper of found) follows.seen.add(paper);
  }

  // Posts the server's pending papers message by message: claim, post with the message's nonce, mark posted. Returns how many were posted.
  async #flush(server: ServerQueue): Promise<number> {
    const pending = this.#corpus ? pendingPapers(this.#corpus, server.seen) : [];
    if (pending.length === 0) return 0;
    const { post, log } = this.#options;
    const channelId = server.channelId;
    if (channelId === null) {
      // Announcements are off here: the papers count as seen, so switching them on later does not flood the channel.
      await rememberKeys(this.#db, server.guildId, keysOf(pending), this.#nowMs());
      for (const paper of pending) server.seen.add(paper);
      return 0;
    }
    const scope = `${server.guildId}:${channelId}`;
    const maxPapers = this.#options.maxPapers;
    let posted = 0;
    for (const message of await this.#messagesFor(server.guildId, channelId, pending)) {
      if (this.#stopped) break;
      if (!this.#mayPost()) {
        this.#notHolder(pending.length - posted);
        this.#scheduleRetry(server, BACKOFF_BASE_MS);
        return posted;
      }
      const ids = message.papers.map((paper) => paper.id);
      const open = new Set(await claimAnnouncements(this.#db, { guildId: server.guildId, channelId, paperIds: ids, nonce: message.body.nonce, now: this.#nowMs() }));
      const papers = message.papers.filter((paper) => open.has(paper.id));
      if (papers.length > 0) {
        try {
          await this.#options.onClaimed?.();
        } catch (error) {
          log.warn('announce: the backup after claiming failed; posting anyway', { error });
        }
      }
      // Papers posted here before (a claim confirmed, keys not yet in memory) are left out; the rest is posted as its own message(s).
      const bodies = papers.length === message.papers.length ? [message] : announcementMessages(papers, maxPapers, scope);
      for (const body of bodies) {
        try {
          await post(channelId, body.body);
        } catch (error) {
          this.#failed(server, error, pending.length - posted);
          return posted;
        }
        if (body.summary) log.info('announce: too many new papers at once; posted one summary and recorded them all', { guildId: server.guildId, channelId, ...summaryFields(body.papers, maxPapers) });
        else log.info('announce: posted', { guildId: server.guildId, channelId, papers: body.papers.map((paper) => paper.id) });
        if (server.episode) {
          log.info('announce: posting works again', { guildId: server.guildId, channelId, failedAttempts: server.episode.attempts });
          server.episode = null;
        }
      }
      try {
        await markAnnounced(this.#db, server.guildId, papers.map((paper) => paper.id), keysOf(message.papers), this.#nowMs());
      } catch (error) {
        log.error('announce: could not record what was posted; its claim stays open, so a restart posts it again with the same nonce', { error, guildId: server.guildId });
        this.#scheduleRetry(server, backoffDelay(1, null, this.#options.random));
        return posted;
      }
      for (const paper of message.papers) server.seen.add(paper);
      posted += papers.length;
    }
    return posted;
  }

  // The messages for the pending papers. Papers claimed before but never confirmed posted (a process stopped
  // between posting and recording it) come first, in the messages they were claimed in: the same papers under the
  // same nonce, which Discord deduplicates if that post did land. Batching them with newer papers would change the
  // nonce and post them twice.
  async #messagesFor(guildId: string, channelId: string, pending: readonly Paper[]): Promise<AnnouncementMessage[]> {
    const scope = `${guildId}:${channelId}`;
    const maxPapers = this.#options.maxPapers;
    const claimed = await unconfirmedClaims(this.#db, guildId, channelId);
    if (claimed.size === 0) return announcementMessages(pending, maxPapers, scope);
    const groups = new Map<string, Paper[]>();
    const fresh: Paper[] = [];
    for (const paper of pending) {
      const nonce = claimed.get(paper.id);
      if (nonce === undefined) fresh.push(paper);
      else groups.set(nonce, [...(groups.get(nonce) ?? []), paper]);
    }
    const again = [...groups].flatMap(([nonce, papers]) => {
      const messages = announcementMessages(papers, maxPapers, scope);
      const only = messages.length === 1 ? messages[0] : undefined;
      return only ? [{ ...only, body: { ...only.body, nonce } }] : messages;
    });
    return [...again, ...announcementMessages(fresh, maxPapers, scope)];
  }

  // Without the lease another process may be announcing: post nothing until it is renewed (or for good, once lost).
  #mayPost(): boolean {
    const held = this.#options.lease?.held() ?? true;
    if (held && this.#waitingForLease) {
      this.#waitingForLease = false;
      this.#options.log.info('announce: holding the announcer lease again; posting');
    }
    return held;
  }

  #notHolder(stillPending: number): void {
    if (!this.#waitingForLease) this.#options.log.warn('announce: not posting: this process does not hold the announcer lease right now', { pending: stillPending });
    this.#waitingForLease = true;
  }

  // One log line per failure episode (and again only if the kind of failure changes), then a jittered, growing wait.
  #failed(server: ServerQueue, error: unknown, stillPending: number): void {
    const failure = describeFailure(error);
    const sameKind = server.episode?.failure.key === failure.key;
    const attempts = (server.episode?.attempts ?? 0) + 1;
    server.episode = { failure, attempts };
    const delay = backoffDelay(attempts, failure.retryAfterMs, this.#options.random);
    const fields = { guildId: server.guildId, channelId: server.channelId, reason: failure.message, pending: stillPending, retryInMs: delay, error };
    if (sameKind) this.#options.log.debug('announce: post failed again', { ...fields, attempts });
    else this.#options.log.warn('announce: posting failed; the papers stay pending and are retried with backoff', fields);
    this.#scheduleRetry(server, delay);
  }

  // Follow deliveries that failed for a passing reason are handed over again after a growing wait.
  #scheduleFollowRetry(): void {
    this.#cancelFollowRetry?.();
    this.#followAttempts += 1;
    this.#cancelFollowRetry = this.#schedule(() => {
      this.#cancelFollowRetry = null;
      void this.#enqueue(async () => {
        try {
          if (this.#corpus) await this.#feedFollows(this.#corpus);
        } catch (error) {
          this.#options.log.warn('announce: follow deliveries failed; retrying', { error });
          this.#scheduleFollowRetry();
        }
      }, true);
    }, Math.min(backoffDelay(this.#followAttempts, null, this.#options.random), TAKE_IN_RETRY_MAX_MS));
  }

  #scheduleRetry(server: ServerQueue, delayMs: number): void {
    this.#clearRetry(server);
    const now = this.#options.now?.() ?? new Date();
    server.retryAt = new Date(now.getTime() + delayMs);
    server.cancelRetry = this.#schedule(() => {
      server.cancelRetry = null;
      server.retryAt = null;
      void this.#enqueue(async () => {
        try {
          await this.#flush(server);
        } catch (error) {
          // The database failed (a post failing is handled in #flush): tried again, as any failed work is.
          this.#options.log.warn('announce: posting the pending papers failed; retrying', { guildId: server.guildId, error });
          this.#scheduleRetry(server, Math.min(backoffDelay(2, null, this.#options.random), TAKE_IN_RETRY_MAX_MS));
        }
      }, true);
    }, delayMs);
  }

  #clearRetry(server: ServerQueue): void {
    server.cancelRetry?.();
    server.cancelRetry = null;
    server.retryAt = null;
  }
}

/** The longest wait between two tries to take a corpus in: a database that comes back is used within this. */
const TAKE_IN_RETRY_MAX_MS = 30_000;

/** How long `stop` waits for a post in flight by default. */
const STOP_GRACE_MS = 5_000;

function defaultSchedule(run: () => void, delayMs: number): () => void {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}
