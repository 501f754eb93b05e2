/** The per-server digest: daily or weekly at a UTC hour, the papers new since the last, claimed first so it goes out once; a missed one at start. */
import { Cron } from 'croner';
import type { APIEmbedField } from 'discord.js';
import type { Kysely } from 'kysely';
import { newestFirst } from '../corpus/merge.js';
import type { Corpus, Paper } from '../corpus/schema.js';
import { newPapersBetween } from '../db/announcements.js';
import { claimDigest, lastDigestUntil, markDigestPosted } from '../db/digests.js';
import type { Database } from '../db/schema.js';
import { allGuildSettings, guildSettings, type GuildSettings } from '../db/settings.js';
import { escapeText, fitEmbed, formatDate, paperLink } from '../discord/embeds.js';
import { LIMITS } from '../discord/limits.js';
import type { Logger } from '../log.js';
import type { Announcer, LeaseCheck, PostMessage } from './announcer.js';
import { messageBody, nonceOf, pushTo, type AnnouncementBody } from './messages.js';
import { describeFailure, Retry, type RetryOptions } from './retry.js';

/** What the digest scheduler needs; the clock, and the retries' timers and jitter, are the tests' to set. */
export interface DigestOptions extends Omit<RetryOptions, 'maxMs'> {
  db: Kysely<Database>;
  post: PostMessage;
  log: Logger;
  /** The corpus being served (papers are shown as they are now). */
  corpus: () => Corpus | null;
  /** The announcer lease: nothing is claimed or posted while it is not held (the next check posts the digest). */
  lease?: LeaseCheck;
  /** Runs a task on the announcer's queue, so a digest never interleaves with announcing. */
  run: Announcer['run'];
  /** Re-reads every server's schedule this often, for settings another process wrote; absent: only on `refresh`. */
  pollMs?: number;
}

/** The croner pattern of a schedule (minute 0 of the hour, UTC); null when off. */
function cronPattern(digest: GuildSettings['digest']): string | null {
  if (digest.schedule === 'daily') return `0 ${digest.hour} * * *`;
  if (digest.schedule === 'weekly') return `0 ${digest.hour} * * ${digest.weekday}`;
  return null;
}

/** The last time the digest was due at or before `now`; null when off. */
export function lastDue(digest: GuildSettings['digest'], now: Date): Date | null {
  const pattern = cronPattern(digest);
  if (pattern === null) return null;
  // Croner (without a function, it schedules nothing) lists runs strictly before the reference: a second on includes now.
  return new Cron(pattern, { timezone: 'UTC' }).previousRuns(1, new Date(now.getTime() + 1_000))[0] ?? null;
}

/** Starts the digest timers (none until `refresh`, which (re)reads every schedule and posts what is due; `check` one server). */
export function createDigestScheduler(options: DigestOptions) {
  const timers = new Map<string, Cron>();
  const now = (): Date => options.now?.() ?? new Date();
  let stopped = false;
  const retries = new Map<string, Retry>();

  // Throws when the database or the post failed.
  const postDue = async (guildId: string): Promise<void> => {
    const settings = await guildSettings(options.db, guildId);
    if (!settings || !settings.announceChannelId || settings.digest.since === null) return;
    if (options.lease && !options.lease.held()) {
      options.log.warn('digest: not posting: this process does not hold the announcer lease right now', { guildId });
      return;
    }
    const corpus = options.corpus();
    // Before the first corpus is taken in there is nothing to list: the check after it decides.
    if (corpus === null) return;
    const at = now();
    const due = lastDue(settings.digest, at);
    // Due before the schedule was set: that period belongs to no digest.
    if (due === null || due.getTime() < settings.digest.since) return;
    const period = `${settings.digest.schedule}:${due.toISOString().slice(0, 10)}`;
    const since = Math.max(settings.digest.since, (await lastDigestUntil(options.db, guildId)) ?? 0);
    const until = at.getTime();
    const papers = papersOf(corpus, await newPapersBetween(options.db, since, until));
    const claim = { guild_id: guildId, period, channel_id: settings.announceChannelId, since, until, claimed_at: at.getTime() };
    const decision = await claimDigest(options.db, { ...claim, papers: papers.length, nonce: nonceOf(`digest:${guildId}`, period) });
    if (!decision.post) return;
    const listed = decision.since === since && decision.until === until ? papers : papersOf(corpus, await newPapersBetween(options.db, decision.since, decision.until));
    if (listed.length === 0) return;
    if (options.lease && !options.lease.held()) return;
    await options.post(settings.announceChannelId, digestMessage(listed, settings.digest.schedule, decision.since, decision.nonce));
    await markDigestPosted(options.db, guildId, period, now().getTime());
    options.log.info('digest: posted', { guildId, period, papers: listed.length });
  };

  const check = async (guildId: string): Promise<void> => {
    await options.run(async () => {
      if (stopped) return;
      const retry = retries.get(guildId) ?? new Retry(() => void check(guildId), options);
      retries.set(guildId, retry);
      try {
        await postDue(guildId);
        retry.reset();
      } catch (error) {
        const failure = describeFailure(error);
        const retryInMs = retry.failed(failure.retryAfterMs);
        options.log.warn('digest: the check failed; a claimed digest stays open and is retried with backoff', { guildId, reason: failure.message, retryInMs, attempts: retry.failures });
      }
    });
  };

  const refresh = async (): Promise<void> => {
    if (stopped) return;
    const wanted = new Set<string>();
    for (const { guildId, announceChannelId, digest } of await allGuildSettings(options.db)) {
      const pattern = announceChannelId ? cronPattern(digest) : null;
      if (pattern === null) continue;
      wanted.add(guildId);
      const timer = timers.get(guildId);
      if (timer?.getPattern() === pattern) continue;
      timer?.stop();
      const cron = new Cron(pattern, { timezone: 'UTC', unref: true, catch: (error) => options.log.error('digest: check failed', { guildId, error }) }, () => check(guildId));
      timers.set(guildId, cron);
    }
    for (const [guildId, timer] of timers) {
      if (wanted.has(guildId)) continue;
      timer.stop();
      timers.delete(guildId);
    }
    for (const guildId of wanted) await check(guildId);
  };
  const poll = options.pollMs ? setInterval(() => void refresh().catch((error: unknown) => options.log.error('digest: re-reading the schedules failed', { error })), options.pollMs) : null;
  poll?.unref();

  return {
    refresh,
    check,
    stop() {
      stopped = true;
      if (poll) clearInterval(poll);
      for (const timer of timers.values()) timer.stop();
      timers.clear();
      for (const retry of retries.values()) retry.cancel();
    },
  };
}

/** The digest message: a count, then the papers newest first, one list per owner when there are several pages. */
export function digestMessage(papers: readonly Paper[], schedule: string, since: number, nonce: string): AnnouncementBody {
  const sorted = [...papers].sort(newestFirst);
  const title = schedule === 'weekly' ? 'New papers this week' : 'New papers today';
  const summary = `**${sorted.length}** new ${sorted.length === 1 ? 'paper' : 'papers'} since <t:${Math.floor(since / 1_000)}:f>, newest first.`;
  const groups = new Map<string, Paper[]>();
  for (const paper of sorted) pushTo(groups, paper.owners[0] ?? '', paper);
  if (groups.size <= 1) {
    return messageBody([fitEmbed({ title, description: listWithin([summary, ...sorted.map(line)], LIMITS.embedDescription) })], nonce);
  }
  const fields: APIEmbedField[] = [...groups].slice(0, LIMITS.embedFields).map(([owner, owned]) => ({
    name: `${escapeText(owner)} (${owned.length})`,
    value: listWithin(owned.map(line), LIMITS.embedFieldValue),
  }));
  const left = [...groups].slice(LIMITS.embedFields).reduce((sum, [, owned]) => sum + owned.length, 0);
  const description = left > 0 ? `${summary}\n…and ${left} more from other pages.` : summary;
  return messageBody([fitEmbed({ title, description, fields })], nonce);
}

function line(paper: Paper): string {
  return `• ${paperLink(paper)} · ${formatDate(paper.date)}`;
}

// Whole lines while they fit, then how many more.
function listWithin(lines: readonly string[], max: number): string {
  let text = '';
  for (const [i, next] of lines.entries()) {
    const candidate = text ? `${text}\n${next}` : next;
    const more = `\n…and ${lines.length - i} more.`;
    if (candidate.length > (i === lines.length - 1 ? max : max - more.length)) return `${text}${more}`;
    text = candidate;
  }
  return text;
}

function papersOf(corpus: Corpus, ids: readonly string[]): Paper[] {
  const byId = new Map(corpus.papers.map((paper) => [paper.id, paper]));
  return ids.map((id) => byId.get(id)).filter((paper): paper is Paper => paper !== undefined);
}
