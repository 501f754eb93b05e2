/**
 * One server's announcement queue: its channel, what it has seen, and its posting. Each message is claimed in the
 * database before it is posted (src/db/announcements.ts) and marked posted, with its papers' keys, after: a paper
 * posted there is never handed out again, and a claim never confirmed is posted again in the message it was
 * claimed in, under its nonce, which Discord deduplicates. A failed post is retried with backoff (src/announce/retry.ts).
 */
import type { Kysely } from 'kysely';
import type { Corpus, Paper } from '../corpus/schema.js';
import { claimAnnouncements, markAnnounced, unconfirmedClaims } from '../db/announcements.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { describeFailure, type PostFailure } from './failure.js';
import { announcementMessages, summaryFields, type AnnouncementBody, type AnnouncementMessage } from './messages.js';
import { Retry, type RetryOptions } from './retry.js';
import { keysOf, pendingPapers, type SeenScope } from './scope.js';

/** Sends one message to a channel; rejects on any failure (the bot passes discord.js's REST post). */
export type PostMessage = (channelId: string, body: AnnouncementBody) => Promise<void>;

/** What every server's queue shares with the announcer. */
export interface QueueContext {
  db: Kysely<Database>;
  post: PostMessage;
  log: Logger;
  /** More papers than this waiting at once in a server are announced there as one summary (ANNOUNCE_MAX_PAPERS); default 10. */
  maxPapers?: number;
  /**
   * Called after papers were claimed and before their message is posted. The bot backs its SQLite file up here, so a
   * backup restored after a crash is never older than the last post: it holds the claim, and the papers are posted
   * again only in the message they were claimed in, under its nonce (which Discord deduplicates).
   */
  onClaimed?: () => Promise<void>;
  /** False while this process may not post (the announcer lease), told how many papers wait. */
  mayPost(pending: number): boolean;
  /** True once the announcer stops: no further message is started. */
  stopped(): boolean;
  now(): number;
  /** Timers, jitter and clock of the retries. */
  timing: RetryOptions;
}

/** A server's queue. */
export class ChannelQueue {
  /** The last failed post while its retry waits or repeats; null once a post goes through. */
  failure: PostFailure | null = null;
  /** The retry of a failed post; it runs `retry` given to the constructor. */
  readonly retry: Retry;
  readonly #context: QueueContext;

  /** `channelId`: where the server's announcements go, null while they are off there. */
  constructor(readonly scope: SeenScope, public channelId: string | null, context: QueueContext, retry: () => void) {
    this.#context = context;
    this.retry = new Retry(retry, context.timing);
  }

  get guildId(): string {
    return this.scope.name;
  }

  /**
   * Posts the papers of `corpus` the server has not seen, message by message: claim, post with the message's nonce,
   * mark posted. A failed post schedules this queue's retry; a database failure throws. Resolves with how many were
   * posted, and false for `complete` when posting stopped because this process may not post now.
   */
  async flush(corpus: Corpus): Promise<{ posted: number; complete: boolean }> {
    const { db, post, log, maxPapers, now } = this.#context;
    const pending = pendingPapers(corpus, this.scope.seen);
    const channelId = this.channelId;
    if (pending.length === 0) return { posted: 0, complete: true };
    if (channelId === null) {
      // Announcements are off here: the papers count as seen, so switching them on later does not flood the channel.
      await this.scope.remember(db, pending, now());
      return { posted: 0, complete: true };
    }
    const scope = `${this.guildId}:${channelId}`;
    let posted = 0;
    for (const message of await this.#messagesFor(channelId, scope, pending)) {
      if (this.#context.stopped()) break;
      if (!this.#context.mayPost(pending.length - posted)) return { posted, complete: false };
      const ids = message.papers.map((paper) => paper.id);
      const open = new Set(await claimAnnouncements(db, { guildId: this.guildId, channelId, paperIds: ids, nonce: message.body.nonce, now: now() }));
      const papers = message.papers.filter((paper) => open.has(paper.id));
      if (papers.length > 0) {
        try {
          await this.#context.onClaimed?.();
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
          this.#failed(error, pending.length - posted);
          return { posted, complete: true };
        }
        if (body.summary) log.info('announce: too many new papers at once; posted one summary and recorded them all', { guildId: this.guildId, channelId, ...summaryFields(body.papers, maxPapers) });
        else log.info('announce: posted', { guildId: this.guildId, channelId, papers: body.papers.map((paper) => paper.id) });
        const failedAttempts = this.retry.reset();
        if (this.failure) log.info('announce: posting works again', { guildId: this.guildId, channelId, failedAttempts });
        this.failure = null;
      }
      try {
        await markAnnounced(db, this.guildId, papers.map((paper) => paper.id), keysOf(message.papers), now());
      } catch (error) {
        log.error('announce: could not record what was posted; its claim stays open, so the retry posts it again with the same nonce', { error, guildId: this.guildId });
        throw error;
      }
      for (const paper of message.papers) this.scope.seen.add(paper);
      posted += papers.length;
    }
    return { posted, complete: true };
  }

  // The messages for the pending papers. Papers claimed before but never confirmed posted (a process stopped
  // between posting and recording it) come first, in the messages they were claimed in: the same papers under the
  // same nonce, which Discord deduplicates if that post did land. Batching them with newer papers would change the
  // nonce and post them twice.
  async #messagesFor(channelId: string, scope: string, pending: readonly Paper[]): Promise<AnnouncementMessage[]> {
    const maxPapers = this.#context.maxPapers;
    const claimed = await unconfirmedClaims(this.#context.db, this.guildId, channelId);
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

  // One log line per failure episode (and again only if the kind of failure changes), then the retry's growing wait.
  #failed(error: unknown, stillPending: number): void {
    const failure = describeFailure(error);
    const sameKind = this.failure?.key === failure.key;
    this.failure = failure;
    const delay = this.retry.failed(failure.retryAfterMs);
    const fields = { guildId: this.guildId, channelId: this.channelId, reason: failure.message, pending: stillPending, retryInMs: delay, error };
    if (sameKind) this.#context.log.debug('announce: post failed again', { ...fields, attempts: this.retry.failures });
    else this.#context.log.warn('announce: posting failed; the papers stay pending and are retried with backoff', fields);
  }
}
