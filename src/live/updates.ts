/**
 * Live updates for the running bot: the live library follows the pages (always), and the announcer (when
 * ANNOUNCE_CHANNEL_ID is set) is handed each corpus once its pages have settled. Prepared before login (so a
 * second process on the same STATE_DIR is refused before it connects), started after it (so the first posts have
 * a logged-in client).
 */
import { Routes, type REST } from 'discord.js';
import type { Kysely } from 'kysely';
import { createAnnouncer, type Announcer } from '../announce/announcer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { LiveLibrary } from './watch.js';

/** The live library and announcer of one bot process. */
export interface LiveUpdates {
  /** The announcer, where ANNOUNCE_CHANNEL_ID is set; put it in the command context. */
  announcer: Announcer | null;
  /** Starts following the pages; the announcer gets the corpus once the pages have settled. */
  start(): Promise<void>;
  /** Stops following the pages and announcing, and releases STATE_DIR. */
  stop(): Promise<void>;
}

/** What the live updates need from the bot. */
export interface LiveUpdateOptions {
  config: Pick<Config, 'stateDir' | 'announceChannelId' | 'announceBackfill' | 'announceMaxPapers' | 'announceLeaseMs'>;
  /** Discord's REST API with the bot token (the gateway client's `client.rest`, or a REST of its own in `serve`). */
  rest: REST;
  /** The state store; the announcer holds its lease. */
  db: Kysely<Database>;
  library: LiveLibrary;
  log: Logger;
}

/** What the announcer needs from the bot. */
export type AnnouncerOptions = Omit<LiveUpdateOptions, 'library'>;

/**
 * The announcer of ANNOUNCE_CHANNEL_ID (null where it is not set), holding the announcer lease: throws
 * LeaseHeldError while another process keeps it. Posts through `rest`, counted in /metrics.
 */
export async function prepareAnnouncer({ config, rest, db, log }: AnnouncerOptions): Promise<Announcer | null> {
  if (!config.announceChannelId) return null;
  return createAnnouncer({
    stateDir: config.stateDir,
    db,
    leaseMs: config.announceLeaseMs,
    channelId: config.announceChannelId,
    backfill: config.announceBackfill,
    maxPapers: config.announceMaxPapers,
    log: log.child({ component: 'announce' }),
    post: async (channelId, body) => {
      try {
        await rest.post(Routes.channelMessages(channelId), { body });
      } catch (error) {
        metrics.announcements.inc({ outcome: 'failed' });
        throw error;
      }
      metrics.announcements.inc({ outcome: 'posted' });
      metrics.announcedPapers.inc(body.embeds.length);
    },
  });
}

/** Takes the announcer lease and reads the record (throws LeaseHeldError when another process keeps the lease); follows nothing yet. */
export async function prepareLiveUpdates(options: LiveUpdateOptions): Promise<LiveUpdates> {
  const { library } = options;
  const announcer = await prepareAnnouncer(options);
  return {
    announcer,
    async start() {
      await library.start({ onSettled: (corpus) => announcer?.update(corpus) });
    },
    async stop() {
      await library.stop();
      await announcer?.stop();
    },
  };
}
