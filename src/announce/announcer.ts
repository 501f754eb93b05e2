/** The announcer: each server's new papers posted oldest first, once across restarts, then the follow deliveries; one task at a time, leased. */
import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { claimAnnouncements, markAnnounced, recordNewPapers, unconfirmedClaims } from '../db/announcements.js';
import type { HeldLease } from '../db/lease.js';
import type { Database } from '../db/schema.js';
import { FOLLOWS_SCOPE, rememberKeys, takeBaseline } from '../db/seen.js';
import { allGuildSettings, ensureGuild } from '../db/settings.js';
import type { AnnouncementControl } from '../discord/command.js';
import { backgroundTurn } from '../foreground.js';
import type { Logger } from '../log.js';
import { announcementMessages, papersByOwner, pushTo, type AnnouncementBody, type AnnouncementMessage } from './messages.js';
import { DATABASE_RETRY_MAX_MS, describeFailure, Retry, type PostFailure, type RetryOptions } from './retry.js';
import { keysOf, oldestFirst, pendingPapers, prepareKeys, SeenScope, type ImportedSeen } from './seen.js';

/** Sends one message to a channel; rejects on any failure (the bot passes discord.js's REST post). */
export type PostMessage = (channelId: string, body: AnnouncementBody) => Promise<void>;

/** Whether this process may post now: the announcer lease (src/db/lease.ts) as the announcer sees it. */
export type LeaseCheck = Pick<HeldLease, 'held'>;

/** Told on the announcer's queue of the papers new after a corpus (not in the first baseline), oldest first; false: hand them over again. */
export type OnNewPapers = (papers: readonly Paper[], corpus: Corpus) => Promise<boolean>;

/** What `createAnnouncer` needs; the retries' clock, timers and jitter are the tests' to set. */
export interface AnnouncerOptions extends Omit<RetryOptions, 'maxMs'> {
  db: Kysely<Database>;
  post: PostMessage;
  log: Logger;
  /** More papers than this waiting at once in a server are announced there as one summary (ANNOUNCE_MAX_PAPERS); default 10. */
  maxPapers?: number;
  /** Called between claiming papers and posting them: a backup taken here holds the claim, so a restore reposts under its nonce. */
  onClaimed?: () => Promise<void>;
  /** The announcer lease this process holds; nothing is posted while it is not held. Without one (tests), always. */
  lease?: LeaseCheck;
  /** The server the environment configures (DISCORD_GUILD_ID), and its starting channel (ANNOUNCE_CHANNEL_ID). */
  start?: { guildId: string; channelId: string | null } | null;
  /** On the very first start, post the N newest papers once in the starting server (ANNOUNCE_BACKFILL); default 0. */
  backfill?: number;
  /** Keys seen before the database existed (announced.json), taken as the starting server's baseline if it has none. */
  imported?: ImportedSeen | null;
  onNewPapers?: OnNewPapers;
  /** Called after work that wrote to the database (for backups). */
  onWritten?: () => void;
}

/** The running announcer: the control /announce uses, plus feeding it corpora, adding servers and stopping it. */
export interface Announcer extends AnnouncementControl {
  /** Hands over the corpus now being served; new papers in it are queued and posted. Never throws. */
  update(corpus: Corpus): void;
  /** Makes sure the server is known (its baseline: the corpus then served) and re-reads every server's settings. */
  refreshServers(guildId?: string): Promise<void>;
  /** Settles once the work queued so far is done (a retry timer may still be waiting). */
  idle(): Promise<void>;
  /** Runs `task` on the announcer's queue (after the work queued so far); its result, or undefined once stopped or on error. */
  run<T>(task: () => Promise<T>): Promise<T | undefined>;
  /** Records papers as seen everywhere without announcing them (a source's first read: src/live/sources.ts); false if not written. */
  remember(papers: readonly Paper[]): Promise<boolean>;
  /** The corpus last taken in; null before the first. */
  readonly corpus: Corpus | null;
  /** Cancels retries and waits (at most `graceMs`, default 5 s) for a post in flight. */
  stop(graceMs?: number): Promise<void>;
}

/** Creates the announcer; the starting server's row (and an imported baseline) are written at once. */
export async function createAnnouncer(options: AnnouncerOptions): Promise<Announcer> {
  const { db, post, log, maxPapers = 10, start, imported } = options;
  const now = (): number => (options.now?.() ?? new Date()).getTime();
  const servers = new Map<string, Server>();
  // The follows' scope: papers new to the bot, whatever the server; read at the first corpus.
  let follows: SeenScope | null = null;
  let current: Corpus | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  // Lets the background step waiting for its turn go at once: work done for an interaction is queued behind it.
  let wakeBackground = (): void => {};
  let stopped = false;
  let waitingForLease = false;
  const catchUpLater = (): void => void enqueue(catchUp, true);
  const catchUpRetry = new Retry(catchUpLater, { ...options, maxMs: DATABASE_RETRY_MAX_MS });

  // One task at a time, in order: posting and recording never interleave. A task's error is logged, never thrown into the caller.
  function enqueue<T>(task: () => Promise<T>, background = false): Promise<T | undefined> {
    if (!background) wakeBackground();
    const run = queue.then(async () => {
      if (stopped) return undefined;
      // Interactions first (src/foreground.ts), unless an interaction's own work is queued behind this step.
      if (background) {
        await new Promise<void>((resolve) => {
          wakeBackground = resolve;
          void backgroundTurn().then(resolve);
        });
      }
      if (stopped) return undefined;
      try {
        return await task();
      } catch (error) {
        log.error('announce: unexpected failure', { error });
        return undefined;
      }
    });
    queue = run;
    return run;
  }

  async function idle(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = queue;
      await tail;
    } while (tail !== queue);
  }

  // Takes the newest corpus in for each server, then the follows; what failed or waits for the lease is retried until done.
  async function catchUp(): Promise<void> {
    let complete = true;
    try {
      await syncServers();
      if (current) {
        for (const server of servers.values()) {
          await reconcile(server, current);
          if (server.retry.dueAt === null) complete = (await flush(server, current)).complete && complete;
        }
        complete = (await feedFollows(current)) && complete;
      }
      options.onWritten?.();
    } catch (error) {
      const delay = catchUpRetry.failed();
      if (catchUpRetry.failures === 1) log.warn('announce: could not take the corpus in (the papers stay pending); retrying with backoff', { error, retryInMs: delay });
      else log.debug('announce: taking the corpus in failed again', { error, attempts: catchUpRetry.failures, retryInMs: delay });
      return;
    }
    if (!complete) catchUpRetry.failed();
    else if (catchUpRetry.reset() > 0) log.info('announce: caught up with the corpus after failed or waiting tries');
  }

  function pendingOf(server: Server): Paper[] {
    return current && server.channelId ? pendingPapers(current, server.scope.seen) : [];
  }

  // Every server with a row is known (its seen keys read once); channels follow the settings.
  async function syncServers(): Promise<void> {
    for (const settings of await allGuildSettings(db)) {
      const known = servers.get(settings.guildId);
      if (known && known.channelId !== settings.announceChannelId) {
        // Another channel, or none: the old channel's failures are forgotten.
        known.retry.reset();
        known.failure = null;
        known.channelId = settings.announceChannelId;
      } else if (!known) {
        const scope = await SeenScope.load(db, settings.guildId);
        servers.set(settings.guildId, { scope, channelId: settings.announceChannelId, failure: null, retry: new Retry(catchUpLater, options) });
      }
    }
  }

  // A server's first corpus is its baseline (the starting server's minus the backfill); later, the new keys of papers seen and the retitles are recorded.
  async function reconcile(server: Server, corpus: Corpus): Promise<void> {
    if (!server.scope.baselined) {
      const backfill = start?.guildId === server.scope.name ? Math.max(0, Math.floor(options.backfill ?? 0)) : 0;
      const baseline = [...corpus.papers].sort((a, b) => oldestFirst(b, a)).slice(backfill);
      if (await server.scope.takeBaseline(db, baseline, corpus, now())) {
        log.info('announce: took the present corpus as the baseline of a server; only papers added from now on are announced there', {
          guildId: server.scope.name,
          baseline: baseline.length,
          backfill: corpus.papers.length - baseline.length,
        });
      }
      return;
    }
    for (const { paper, previousTitle, matchedBy } of await server.scope.takeIn(db, corpus, now())) {
      const fields = { guildId: server.scope.name, id: paper.id, title: paper.title, previousTitle, matchedBy };
      log.info('announce: a corrected version of an announced paper (not announced again)', fields);
    }
  }

  // Posts the server's unseen papers message by message: claimed, posted with the message's nonce, marked posted. A failed
  // post schedules the server's retry; a database failure throws. Not `complete`: may not post now.
  async function flush(server: Server, corpus: Corpus): Promise<{ posted: number; complete: boolean }> {
    const guildId = server.scope.name;
    const pending = pendingPapers(corpus, server.scope.seen);
    const channelId = server.channelId;
    if (pending.length === 0) return { posted: 0, complete: true };
    if (channelId === null) {
      // Announcements are off here: the papers count as seen, so switching them on later does not flood the channel.
      await server.scope.remember(db, pending, now());
      return { posted: 0, complete: true };
    }
    const scope = `${guildId}:${channelId}`;
    let posted = 0;
    for (const message of await messagesFor(guildId, channelId, scope, pending)) {
      if (stopped) break;
      if (!mayPost(pending.length - posted)) return { posted, complete: false };
      const ids = message.papers.map((paper) => paper.id);
      const open = new Set(await claimAnnouncements(db, { guildId, channelId, paperIds: ids, nonce: message.body.nonce, now: now() }));
      const papers = message.papers.filter((paper) => open.has(paper.id));
      if (papers.length > 0) {
        try {
          await options.onClaimed?.();
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
          postFailed(server, error, pending.length - posted);
          return { posted, complete: true };
        }
        if (body.summary) {
          const perOwner = Object.fromEntries(papersByOwner(body.papers).map((group) => [group.owner, group.papers.length]));
          log.info('announce: too many new papers at once; posted one summary and recorded them all', { guildId, channelId, papers: body.papers.length, perOwner, maxPapers });
        } else log.info('announce: posted', { guildId, channelId, papers: body.papers.map((paper) => paper.id) });
        const failedAttempts = server.retry.reset();
        if (server.failure) log.info('announce: posting works again', { guildId, channelId, failedAttempts });
        server.failure = null;
      }
      try {
        await markAnnounced(db, guildId, papers.map((paper) => paper.id), keysOf(message.papers), now());
      } catch (error) {
        log.error('announce: could not record what was posted; its claim stays open, so the retry posts it again with the same nonce', { error, guildId });
        throw error;
      }
      for (const paper of message.papers) server.scope.seen.add(paper);
      posted += papers.length;
    }
    return { posted, complete: true };
  }

  // The messages for the pending papers: papers claimed but never confirmed posted come first, in the messages they were
  // claimed in under the same nonce (Discord deduplicates it if the post landed); batched with newer ones, they would post twice.
  async function messagesFor(guildId: string, channelId: string, scope: string, pending: readonly Paper[]): Promise<AnnouncementMessage[]> {
    const claimed = await unconfirmedClaims(db, guildId, channelId);
    const groups = new Map<string, Paper[]>();
    const fresh: Paper[] = [];
    for (const paper of pending) {
      const nonce = claimed.get(paper.id);
      if (nonce === undefined) fresh.push(paper);
      else pushTo(groups, nonce, paper);
    }
    const again = [...groups].flatMap(([nonce, papers]) => {
      const messages = announcementMessages(papers, maxPapers, scope);
      const only = messages.length === 1 ? messages[0] : undefined;
      return only ? [{ ...only, body: { ...only.body, nonce } }] : messages;
    });
    return [...again, ...announcementMessages(fresh, maxPapers, scope)];
  }

  // One log line per run of failures of one kind; the retry waits longer each time.
  function postFailed(server: Server, error: unknown, stillPending: number): void {
    const failure = describeFailure(error);
    const sameKind = server.failure?.key === failure.key;
    server.failure = failure;
    const delay = server.retry.failed(failure.retryAfterMs);
    const fields = { guildId: server.scope.name, channelId: server.channelId, reason: failure.message, pending: stillPending, retryInMs: delay, error };
    if (sameKind) log.debug('announce: post failed again', { ...fields, attempts: server.retry.failures });
    else log.warn('announce: posting failed; the papers stay pending and are retried with backoff', fields);
  }

  // Records the papers new to the bot (for the digests), hands them on, and remembers them once all went out; false: again.
  async function feedFollows(corpus: Corpus): Promise<boolean> {
    follows ??= await SeenScope.load(db, FOLLOWS_SCOPE);
    if (!follows.baselined) {
      await follows.takeBaseline(db, corpus.papers, corpus, now());
      return true;
    }
    await follows.takeIn(db, corpus, now());
    const found = pendingPapers(corpus, follows.seen);
    if (found.length === 0) return true;
    // Found again (and recorded once: new_papers is keyed by paper) when the lease is held again.
    if (!mayPost(found.length)) return false;
    await recordNewPapers(db, found, now());
    log.info('announce: new papers found', { count: found.length, papers: found.slice(0, LOGGED_IDS_MAX).map((paper) => paper.id) });
    if (!((await options.onNewPapers?.(found, corpus)) ?? true)) return false;
    await follows.remember(db, found, now());
    return true;
  }

  // Without the lease another process may be announcing: post nothing until it is renewed (or for good, once lost).
  function mayPost(pending: number): boolean {
    const held = options.lease?.held() ?? true;
    if (held && waitingForLease) log.info('announce: holding the announcer lease again; posting');
    else if (!held && !waitingForLease) log.warn('announce: not posting: this process does not hold the announcer lease right now', { pending });
    waitingForLease = !held;
    return held;
  }

  if (start) {
    await ensureGuild(db, start.guildId, { announceChannelId: start.channelId }, now());
    if (imported && imported.papers > 0 && (await takeBaseline(db, start.guildId, imported.keys, imported.papers, now()))) {
      log.info('announce: imported announced.json as the baseline of the starting server; nothing in it is announced again', { guildId: start.guildId, papers: imported.papers });
    }
  }
  await syncServers();

  return {
    get corpus() {
      return current;
    },
    update(next) {
      catchUpRetry.cancel();
      void enqueue(async () => {
        await prepareKeys(next.papers);
        current = next;
        return catchUp();
      }, true);
    },
    async refreshServers(guildId) {
      await enqueue(async () => {
        if (guildId) await ensureGuild(db, guildId, { announceChannelId: null }, now());
        await catchUp();
      });
    },
    preview(guildId) {
      const server = guildId ? servers.get(guildId) : undefined;
      if (!server) return { channelId: null, pending: [] };
      return { channelId: server.channelId, pending: pendingOf(server), retryAt: server.retry.dueAt, lastError: server.failure?.message ?? null };
    },
    postNow(guildId) {
      return enqueue(async () => {
        const server = guildId ? servers.get(guildId) : undefined;
        if (!server || !current) return { posted: 0, pending: 0, error: null };
        server.retry.cancel();
        const { posted, complete } = await flush(server, current);
        if (!complete) catchUpRetry.failed();
        return { posted, pending: pendingOf(server).length, error: server.failure?.message ?? null };
      }).then((result) => result ?? { posted: 0, pending: 0, error: 'announcements have stopped' });
    },
    run: enqueue,
    async remember(papers) {
      if (papers.length === 0) return true;
      const written = await enqueue(async () => {
        await syncServers();
        await rememberAsSeen(db, papers, now());
        for (const server of servers.values()) for (const paper of papers) server.scope.seen.add(paper);
        for (const paper of papers) follows?.seen.add(paper);
        options.onWritten?.();
        return true;
      }, true);
      return written === true;
    },
    idle,
    async stop(graceMs = STOP_GRACE_MS) {
      stopped = true;
      for (const server of servers.values()) server.retry.cancel();
      catchUpRetry.cancel();
      // A post stuck behind a long rate limit must not hold up shutdown.
      const waited = await Promise.race([idle().then(() => true), delay(graceMs, false, { ref: false })]);
      if (!waited) log.warn('announce: stopped with a post still in flight; its claim stays open and the next start posts it again with the same nonce', { graceMs });
    },
  };
}

/** Records papers as seen in every server's scope and the follows' (for a process that does not announce). */
export async function rememberAsSeen(db: Kysely<Database>, papers: readonly Paper[], now: number): Promise<void> {
  const keys = keysOf(papers);
  for (const settings of await allGuildSettings(db)) await rememberKeys(db, settings.guildId, keys, now);
  await rememberKeys(db, FOLLOWS_SCOPE, keys, now);
}

// One server: what it has seen, its channel (null: announcements off), its last failed post (null once one goes through), its retry.
interface Server {
  readonly scope: SeenScope;
  channelId: string | null;
  failure: PostFailure | null;
  readonly retry: Retry;
}

const STOP_GRACE_MS = 5_000;
const LOGGED_IDS_MAX = 20;
