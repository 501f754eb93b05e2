/**
 * The announcement queue, per server: papers new to the corpus, posted to each server's own channel oldest
 * first, each exactly once per server across restarts. "New" means not seen in that server under any key
 * (src/announce/seen.ts: id, normalized title, abstract, or a near title on the same date by the same first
 * author), so a paper whose id changed because its title was corrected is not new.
 *
 * Everything lives in the database (src/db/): each server's baseline and seen keys, and a claim per server and
 * paper taken before its message is posted and marked posted (with the paper's keys) in one transaction after.
 * Nothing is stored as "pending": pending is the corpus minus what the server has seen, so a restart recomputes
 * it; a claim never confirmed is posted again with the same nonce, which Discord deduplicates.
 *
 * The same queue feeds follow deliveries (src/announce/deliveries.ts) and records the papers found new for the
 * digests (src/announce/digest.ts), so posting, DMs and recording never interleave.
 */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { claimAnnouncements, markAnnounced, recordNewPapers } from '../db/announcements.js';
import type { Database } from '../db/schema.js';
import { FOLLOWS_SCOPE, baselineOf, rememberKeys, seenKeys, takeBaseline, type SeenKey } from '../db/seen.js';
import { allGuildSettings, ensureGuild } from '../db/settings.js';
import { paperEmbed } from '../discord/embeds.js';
import type { Logger } from '../log.js';
import { batchEmbeds } from './batch.js';
import { backoffDelay, describeFailure, type PostFailure } from './failure.js';
import { SeenPapers, type SeenLists } from './seen.js';
import type { AnnouncementControl, AnnouncementPreview } from './types.js';

/** The body of one channel message; mentions are always off (a title can hold `@everyone`). */
export interface AnnouncementBody {
  content?: string;
  embeds: APIEmbed[];
  components?: unknown[];
  allowed_mentions: { parse: [] };
  /** Derived from the message's papers: a repeat of the same post is one message to Discord. */
  nonce?: string;
  enforce_nonce?: boolean;
}

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

/** What `createAnnouncer` needs. */
export interface AnnouncerOptions {
  db: Kysely<Database>;
  /** The server the environment configures (DISCORD_GUILD_ID), and its starting channel (ANNOUNCE_CHANNEL_ID). */
  start?: { guildId: string; channelId: string | null } | null;
  /** On the very first start, post the N newest papers once in the starting server (ANNOUNCE_BACKFILL); default 0. */
  backfill?: number;
  /** Keys seen before the database existed (announced.json), taken as the starting server's baseline if it has none. */
  imported?: SeenLists | null;
  post: PostMessage;
  log: Logger;
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

/** Papers of `corpus` not yet seen, oldest first; of two papers that are one (src/announce/seen.ts), the older only. */
export function pendingPapers(corpus: Corpus, seen: SeenPapers): Paper[] {
  const taken = new SeenPapers();
  const pending: Paper[] = [];
  for (const paper of [...corpus.papers].sort(oldestFirst)) {
    if (seen.has(paper) || taken.has(paper)) continue;
    taken.add(paper);
    pending.push(paper);
  }
  return pending;
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

/** A message's nonce: the same scope and papers give the same nonce (Discord allows 25 characters). */
export function nonceOf(scope: string, paperIds: readonly string[]): string {
  return createHash('sha256').update(`${scope}|${paperIds.join(',')}`).digest('base64url').slice(0, 25);
}

interface FailureEpisode {
  failure: PostFailure;
  attempts: number;
}

// One server's queue: its channel, what it has seen, and its failure episode.
interface ServerQueue {
  guildId: string;
  channelId: string | null;
  seen: SeenPapers;
  baselined: boolean;
  episode: FailureEpisode | null;
  cancelRetry: (() => void) | null;
  retryAt: Date | null;
}

class ServerAnnouncer implements Announcer {
  readonly #options: AnnouncerOptions;
  readonly #db: Kysely<Database>;
  readonly #schedule: Scheduler;
  readonly #servers = new Map<string, ServerQueue>();
  #follows: { seen: SeenPapers; baselined: boolean } | null = null;
  #followAttempts = 0;
  #cancelFollowRetry: (() => void) | null = null;
  #corpus: Corpus | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(options: AnnouncerOptions) {
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
    void this.#enqueue(async () => {
      this.#corpus = corpus;
      await this.#syncServers();
      await this.#feedFollows(corpus);
      for (const server of this.#servers.values()) {
        await this.#reconcile(server, corpus);
        if (server.cancelRetry === null) await this.#flush(server);
      }
      this.#options.onWritten?.();
    });
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

  #pendingOf(server: ServerQueue): Paper[] {
    return this.#corpus && server.channelId ? pendingPapers(this.#corpus, server.seen) : [];
  }

  #nowMs(): number {
    return (this.#options.now?.() ?? new Date()).getTime();
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
        episode: null,
        cancelRetry: null,
        retryAt: null,
      });
    }
  }

  // A server's first corpus is its baseline (the starting server's minus the backfill); later, a retitled paper's new keys are recorded.
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
      if (took) {
        this.#options.log.info('announce: took the present corpus as the baseline of a server; only papers added from now on are announced there', {
          guildId: server.guildId,
          baseline: baseline.length,
          backfill: corpus.papers.length - baseline.length,
        });
      }
      return;
    }
    const fresh: Paper[] = [];
    for (const paper of corpus.papers) {
      if (server.seen.has(paper) && server.seen.add(paper)) fresh.push(paper);
    }
    if (fresh.length > 0) await rememberKeys(this.#db, server.guildId, keysOf(fresh), now);
  }

  // Papers new to the bot (the follows scope): recorded with when they were found, then handed to the listener.
  async #feedFollows(corpus: Corpus): Promise<void> {
    const now = this.#nowMs();
    if (!this.#follows) {
      const baseline = await baselineOf(this.#db, FOLLOWS_SCOPE);
      const keys = baseline ? await seenKeys(this.#db, FOLLOWS_SCOPE) : [];
      this.#follows = { seen: new SeenPapers(keysToLists(keys)), baselined: baseline !== null };
    }
    const follows = this.#follows;
    if (!follows.baselined) {
      await takeBaseline(this.#db, FOLLOWS_SCOPE, keysOf(corpus.papers), corpus.papers.length, now);
      follows.seen = new SeenPapers(keysToLists(await seenKeys(this.#db, FOLLOWS_SCOPE)));
      follows.baselined = true;
      return;
    }
    const found = pendingPapers(corpus, follows.seen);
    if (found.length === 0) return;
    await recordNewPapers(this.#db, found, now);
    this.#options.log.info('announce: new papers found', { papers: found.map((paper) => paper.id) });
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

  // Posts the server's pending papers batch by batch: claim, post with the batch's nonce, mark posted. Returns how many were posted.
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
    let posted = 0;
    for (const batch of batchEmbeds(pending.map((paper) => ({ item: paper, embed: paperEmbed(paper) })))) {
      if (this.#stopped) break;
      const ids = batch.items.map((paper) => paper.id);
      const nonce = nonceOf(server.guildId, ids);
      const open = new Set(await claimAnnouncements(this.#db, { guildId: server.guildId, channelId, paperIds: ids, nonce, now: this.#nowMs() }));
      const papers = batch.items.filter((paper) => open.has(paper.id));
      if (papers.length > 0) {
        const embeds = papers.length === batch.items.length ? batch.embeds : papers.map((paper) => paperEmbed(paper));
        try {
          await post(channelId, { embeds, allowed_mentions: { parse: [] }, nonce: nonceOf(server.guildId, papers.map((paper) => paper.id)), enforce_nonce: true });
        } catch (error) {
          this.#failed(server, error, pending.length - posted);
          return posted;
        }
        log.info('announce: posted', { guildId: server.guildId, channelId, papers: papers.map((paper) => paper.id) });
        if (server.episode) {
          log.info('announce: posting works again', { guildId: server.guildId, channelId, failedAttempts: server.episode.attempts });
          server.episode = null;
        }
      }
      try {
        await markAnnounced(this.#db, server.guildId, papers.map((paper) => paper.id), keysOf(batch.items), this.#nowMs());
      } catch (error) {
        log.error('announce: could not record what was posted; its claim stays open, so a restart posts it again with the same nonce', { error, guildId: server.guildId });
        this.#scheduleRetry(server, backoffDelay(1, null, this.#options.random));
        return posted;
      }
      for (const paper of batch.items) server.seen.add(paper);
      posted += papers.length;
    }
    return posted;
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
        if (this.#corpus) await this.#feedFollows(this.#corpus);
      });
    }, backoffDelay(this.#followAttempts, null, this.#options.random));
  }

  #scheduleRetry(server: ServerQueue, delayMs: number): void {
    this.#clearRetry(server);
    const now = this.#options.now?.() ?? new Date();
    server.retryAt = new Date(now.getTime() + delayMs);
    server.cancelRetry = this.#schedule(() => {
      server.cancelRetry = null;
      server.retryAt = null;
      void this.#enqueue(() => this.#flush(server));
    }, delayMs);
  }

  #clearRetry(server: ServerQueue): void {
    server.cancelRetry?.();
    server.cancelRetry = null;
    server.retryAt = null;
  }
}

/** How long `stop` waits for a post in flight by default. */
const STOP_GRACE_MS = 5_000;

function defaultSchedule(run: () => void, delayMs: number): () => void {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}
