/**
 * Live updates for the running bot: the live library follows the pages (always), and the announcing part (the
 * per-server announcer with follow deliveries, and the digest timers) is handed each corpus once its pages have
 * settled. Announcing holds the announcer lease in the database, so one process announces however many run.
 * Prepared before login (so a second process is refused, or stands by, before it connects), started after it
 * (so the first posts have a logged-in client).
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Routes, type REST } from 'discord.js';
import type { Kysely } from 'kysely';
import { createAnnouncer, type Announcer, type PostMessage } from '../announce/announcer.js';
import { createFollowDeliverer } from '../announce/deliveries.js';
import { createDigestScheduler } from '../announce/digest.js';
import { STATE_FILE, isCode, loadState } from '../announce/state.js';
import type { Config } from '../config.js';
import type { Corpus } from '../corpus/schema.js';
import { ANNOUNCER_LEASE, holdLease } from '../db/lease.js';
import type { Database } from '../db/schema.js';
import { directMessages, isGuildMember } from '../discord/access.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { PaperSearch } from '../search/types.js';
import type { LiveLibrary } from './watch.js';

/** How often the announcing process re-reads every server's digest schedule (settings another process wrote). */
export const DIGEST_POLL_MS = 60_000;

/** The live library and the announcing part of one bot process. */
export interface LiveUpdates {
  /** The announcer; put it in the command context. */
  announcer: Announcer;
  /** Re-reads a server's settings (a new server starts from its own baseline) and its digest timer. */
  settingsChanged(guildId: string): Promise<void>;
  /** Starts following the pages (the announcer gets the corpus once they have settled) and the digests. */
  start(): Promise<void>;
  /** Stops following the pages, announcing and the digests, and gives the announcer lease up. */
  stop(): Promise<void>;
}

/** What the live updates need from the bot. */
export interface LiveUpdateOptions {
  config: Pick<Config, 'stateDir' | 'announceChannelId' | 'announceBackfill' | 'announceMaxPapers' | 'announceLeaseMs' | 'discordGuildId'>;
  /** Discord's REST API with the bot token (the gateway client's `client.rest`, or a REST of its own in `serve`). */
  rest: REST;
  /** The state store; the announcer lease is held in it. */
  db: Kysely<Database>;
  library: LiveLibrary;
  log: Logger;
  /** Called after the announcer wrote to the database (the bot backs the database up). */
  onWritten?: () => void;
  /** Called after papers were claimed and before their message is posted (the bot backs the database up: see AnnouncerOptions). */
  onClaimed?: () => Promise<void>;
}

/** What announcing needs from the bot. */
export interface AnnouncingOptions extends Omit<LiveUpdateOptions, 'library'> {
  /** While another process holds the lease: wait to see whether it lapses (default), or until it can be taken (`forever`: a standby replica, until `signal`). */
  leaseWait?: 'lapse' | 'forever';
  /** Stops a `forever` wait (the replica shuts down). */
  signal?: AbortSignal;
  /** Told when the lease turns out to be held by another process and the wait begins. */
  onLeaseWait?: () => void;
  /** The index the commands use: follows are matched on it (building one over a big drop's papers would hold the event loop). */
  search?: () => PaperSearch;
}

/** The announcer, the follow deliveries and the digests of the process holding the announcer lease. */
export interface Announcing {
  announcer: Announcer;
  /** Takes a settled corpus in (the baseline on a first start). */
  update(corpus: Corpus): void;
  /** See `LiveUpdates.settingsChanged`. */
  settingsChanged(guildId: string): Promise<void>;
  /** Starts the digest timers (and posts a digest that came due while no process announced). */
  start(): Promise<void>;
  /** Stops announcing and the digests, and gives the lease up. */
  stop(): Promise<void>;
}

/**
 * Takes the announcer lease (throws LeaseHeldError while another process keeps renewing it), imports
 * STATE_DIR/announced.json into the starting server once, and prepares the announcer with its follow deliverer and
 * the digest scheduler. Posts through `rest`, counted in /metrics.
 */
export async function prepareAnnouncing({ config, rest, db, log, onWritten, onClaimed, search, signal, onLeaseWait, leaseWait = 'lapse' }: AnnouncingOptions): Promise<Announcing> {
  const lease = await holdLease(db, { name: ANNOUNCER_LEASE, lengthMs: config.announceLeaseMs, wait: leaseWait, log, ...(signal ? { signal } : {}), ...(onLeaseWait ? { onWaiting: onLeaseWait } : {}) });
  try {
    const startGuildId = config.discordGuildId ?? (config.announceChannelId ? await guildOfChannel(rest, config.announceChannelId, log) : null);
    const legacy = await loadState(config.stateDir);
    const imported = legacy.state.baseline ? legacy.state : null;
    if (imported && !startGuildId) {
      log.warn('announce: STATE_DIR/announced.json was not imported: it belongs to a server, so set DISCORD_GUILD_ID (or ANNOUNCE_CHANNEL_ID) and restart', { stateDir: config.stateDir });
    }
    const post: PostMessage = async (channelId, body) => {
      try {
        await rest.post(Routes.channelMessages(channelId), { body });
      } catch (error) {
        metrics.announcements.inc({ outcome: 'failed' });
        throw error;
      }
      metrics.announcements.inc({ outcome: 'posted' });
      metrics.announcedPapers.inc(body.embeds.length);
    };
    const announcer = await createAnnouncer({
      db,
      lease,
      start: startGuildId ? { guildId: startGuildId, channelId: config.announceChannelId } : null,
      backfill: config.announceBackfill,
      maxPapers: config.announceMaxPapers,
      imported,
      log: log.child({ component: 'announce' }),
      post,
      listener: createFollowDeliverer({
        db,
        log: log.child({ component: 'follows' }),
        dm: { send: counted(directMessages(rest)), isMember: (guildId, userId) => isGuildMember(rest, guildId, userId) },
        lease,
        ...(search ? { search } : {}),
      }),
      ...(onWritten ? { onWritten } : {}),
      ...(onClaimed ? { onClaimed } : {}),
    });
    if (imported && startGuildId) await setAside(join(config.stateDir, STATE_FILE), log);
    const digests = createDigestScheduler({
      db,
      post,
      lease,
      log: log.child({ component: 'digest' }),
      corpus: () => announcer.corpus,
      run: (task) => announcer.run(task),
      // /settings answered by another replica reaches this one's timers within a minute.
      pollMs: DIGEST_POLL_MS,
    });
    return {
      announcer,
      update(corpus) {
        announcer.update(corpus);
        // A digest that came due before this corpus was taken in (at start) is posted once it has been.
        digests.refresh().catch((error: unknown) => log.error('digest: check failed', { error }));
      },
      async settingsChanged(guildId) {
        await announcer.refreshServers(guildId);
        await digests.refresh();
      },
      start: () => digests.refresh(),
      async stop() {
        digests.stop();
        await announcer.stop();
        await lease.release();
      },
    };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** Takes the announcer lease (throws LeaseHeldError when another process keeps it) and prepares announcing; follows nothing yet. */
export async function prepareLiveUpdates(options: LiveUpdateOptions): Promise<LiveUpdates> {
  const { library } = options;
  const announcing = await prepareAnnouncing({ ...options, search: () => library.holder.current.index });
  return {
    announcer: announcing.announcer,
    settingsChanged: (guildId) => announcing.settingsChanged(guildId),
    async start() {
      await library.start({ onSettled: (corpus) => announcing.update(corpus) });
      await announcing.start();
    },
    async stop() {
      await library.stop();
      await announcing.stop();
    },
  };
}

// A follow's direct message, counted in /metrics as posted or failed.
function counted(send: (userId: string, body: object) => Promise<void>): (userId: string, body: object) => Promise<void> {
  return async (userId, body) => {
    try {
      await send(userId, body);
    } catch (error) {
      metrics.deliveries.inc({ outcome: 'failed' });
      throw error;
    }
    metrics.deliveries.inc({ outcome: 'posted' });
  };
}

// The server a channel is in, asked of Discord; null (logged) when it cannot be found.
async function guildOfChannel(rest: REST, channelId: string, log: Logger): Promise<string | null> {
  try {
    const channel = (await rest.get(Routes.channel(channelId))) as { guild_id?: string };
    return channel.guild_id ?? null;
  } catch (error) {
    log.error('announce: could not find the server of ANNOUNCE_CHANNEL_ID; set DISCORD_GUILD_ID too', { channelId, error });
    return null;
  }
}

// announced.json is imported once; keeping it under another name shows it was, and keeps it for inspection.
async function setAside(file: string, log: Logger): Promise<void> {
  try {
    await rename(file, `${file}.imported`);
  } catch (error) {
    if (!isCode(error, 'ENOENT')) log.warn('announce: could not rename the imported announced.json; it is not read again anyway', { file, error });
  }
}
