/**
 * Live updates for the running bot: the corpus watcher (always) and the announcer (when
 * ANNOUNCE_CHANNEL_ID is set), wired so every reload hands the new corpus to the announcer.
 * Prepared before login (so a second process on the same state store is refused before it connects),
 * started after it (so the first posts have a logged-in client).
 */
import { Routes, type REST } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { watchCorpus, type CorpusWatcher } from '../live/watch.js';
import type { Database } from '../db/schema.js';
import type { LibraryHolder } from '../library.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import { createAnnouncer, type Announcer } from './announcer.js';

/** The watcher and announcer of one bot process. */
export interface LiveUpdates {
  /** The announcer, where ANNOUNCE_CHANNEL_ID is set; put it in the command context. */
  announcer: Announcer | null;
  /** Takes the served corpus in (the baseline on a first start) and starts watching the pages. */
  start(): Promise<void>;
  /** Stops watching and announcing, and releases STATE_DIR. */
  stop(): Promise<void>;
}

/** What the live updates need from the bot. */
export interface LiveUpdateOptions {
  config: Pick<Config, 'profilesDir' | 'stateDir' | 'announceChannelId' | 'announceBackfill' | 'announceMaxPapers' | 'announceLeaseMs' | 'corpusAsOf'>;
  /** Discord's REST API with the bot token (the gateway client's `client.rest`, or a REST of its own in `serve`). */
  rest: REST;
  /** The state store; the announcer holds its lease. */
  db: Kysely<Database>;
  holder: LibraryHolder;
  log: Logger;
}

/** Takes the announcer lease and reads the record (throws LeaseHeldError when another process keeps the lease); watches nothing yet. */
export async function prepareLiveUpdates({ config, rest, db, holder, log }: LiveUpdateOptions): Promise<LiveUpdates> {
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
          try {
            await rest.post(Routes.channelMessages(channelId), { body });
          } catch (error) {
            metrics.announcements.inc({ outcome: 'failed' });
            throw error;
          }
          metrics.announcements.inc({ outcome: 'posted' });
          metrics.announcedPapers.inc(body.embeds.length);
        },
      })
    : null;
  let watcher: CorpusWatcher | null = null;
  return {
    announcer,
    async start() {
      announcer?.update(holder.current.corpus);
      watcher = await watchCorpus({
        dir: config.profilesDir,
        holder,
        ...(config.corpusAsOf ? { asOf: config.corpusAsOf } : {}),
        log,
        onChange: (_previous, next) => announcer?.update(next.corpus),
      });
    },
    async stop() {
      await watcher?.stop();
      await announcer?.stop();
    },
  };
}
