/**
 * Live updates for the running bot: the live library follows the pages (always), and the announcer (when
 * ANNOUNCE_CHANNEL_ID is set) is handed each corpus once its pages have settled. Prepared before login (so a
 * second process on the same STATE_DIR is refused before it connects), started after it (so the first posts have
 * a logged-in client).
 */
import { Routes, type Client } from 'discord.js';
import type { Kysely } from 'kysely';
import { createAnnouncer, type Announcer } from '../announce/announcer.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
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
  client: Client;
  /** The state store; the announcer holds its lease. */
  db: Kysely<Database>;
  library: LiveLibrary;
  log: Logger;
}

/** Takes the announcer lease and reads the record (throws LeaseHeldError when another process keeps the lease); follows nothing yet. */
export async function prepareLiveUpdates({ config, client, db, library, log }: LiveUpdateOptions): Promise<LiveUpdates> {
  const announcer = config.announceChannelId
    ? await createAnnouncer({
        stateDir: config.stateDir,
        db,
        leaseMs: config.announceLeaseMs,
        channelId: config.announceChannelId,
        backfill: config.announceBackfill,
        maxPapers: config.announceMaxPapers,
        log: log.child({ component: 'announce' }),
        post: async (channelId, body) => {
          await client.rest.post(Routes.channelMessages(channelId), { body });
        },
      })
    : null;
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
