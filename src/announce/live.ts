/**
 * Live updates for the running bot: the corpus watcher, the per-server announcer with follow deliveries, and
 * the digest timers, wired so every reload hands the new corpus to the announcer. Prepared before login (so a
 * second process on the same state store is refused, by the announcer lease, before it connects), started after
 * it (so the first posts have a logged-in client). Announcements, follow messages and digests are posted only
 * while this process holds the lease.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Routes, type Client } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { watchCorpus, type CorpusWatcher } from '../corpus/watch.js';
import { ANNOUNCER_LEASE, holdLease } from '../db/lease.js';
import type { Database } from '../db/schema.js';
import { directMessages, isGuildMember } from '../discord/access.js';
import type { LibraryHolder } from '../library.js';
import type { Logger } from '../log.js';
import { createAnnouncer, type Announcer } from './announcer.js';
import { createFollowDeliverer } from './deliveries.js';
import { createDigestScheduler, type DigestScheduler } from './digest.js';
import { STATE_FILE, isCode, loadState } from './state.js';

/** The watcher, announcer and digests of one bot process. */
export interface LiveUpdates {
  /** The announcer; put it in the command context. */
  announcer: Announcer;
  /** Re-reads a server's settings (a new server starts from its own baseline) and its digest timer. */
  settingsChanged(guildId: string): Promise<void>;
  /** Takes the served corpus in (the baseline on a first start), starts the digests and watching the pages. */
  start(): Promise<void>;
  /** Stops watching, announcing and the digests, and gives the announcer lease up. */
  stop(): Promise<void>;
}

/** What the live updates need from the bot. */
export interface LiveUpdateOptions {
  config: Pick<
    Config,
    'profilesDir' | 'stateDir' | 'announceChannelId' | 'announceBackfill' | 'announceMaxPapers' | 'announceLeaseMs' | 'corpusAsOf' | 'discordGuildId' | 'discordToken'
  >;
  client: Client;
  holder: LibraryHolder;
  /** The state store; the announcer lease is held in it. */
  db: Kysely<Database>;
  log: Logger;
  /** Called after the announcer wrote to the database (the bot backs the database up). */
  onWritten?: () => void;
}

/**
 * Takes the announcer lease (throws LeaseHeldError when another process keeps renewing it), imports announced.json
 * into the starting server once, and prepares the announcer; watches nothing yet.
 */
export async function prepareLiveUpdates({ config, client, holder, db, log, onWritten }: LiveUpdateOptions): Promise<LiveUpdates> {
  const lease = await holdLease(db, { name: ANNOUNCER_LEASE, lengthMs: config.announceLeaseMs, log });
  let announcer: Announcer;
  let digests: DigestScheduler;
  try {
    if (config.discordToken) client.rest.setToken(config.discordToken);
    const startGuildId = config.discordGuildId ?? (config.announceChannelId ? await guildOfChannel(client, config.announceChannelId, log) : null);
    const legacy = await loadState(config.stateDir);
    const imported = legacy.state.baseline ? legacy.state : null;
    if (imported && !startGuildId) {
      log.warn('announce: STATE_DIR/announced.json was not imported: it belongs to a server, so set DISCORD_GUILD_ID (or ANNOUNCE_CHANNEL_ID) and restart', { stateDir: config.stateDir });
    }
    const post = async (channelId: string, body: object): Promise<void> => {
      await client.rest.post(Routes.channelMessages(channelId), { body });
    };
    const sendDm = directMessages(client);
    announcer = await createAnnouncer({
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
        search: () => holder.current.index,
        dm: { send: sendDm, isMember: (guildId, userId) => isGuildMember(client, guildId, userId) },
        lease,
      }),
      ...(onWritten ? { onWritten } : {}),
    });
    if (imported && startGuildId) await setAside(join(config.stateDir, STATE_FILE), log);
    digests = createDigestScheduler({ db, post, lease, log: log.child({ component: 'digest' }), corpus: () => announcer.corpus, run: (task) => announcer.run(task) });
  } catch (error) {
    await lease.release();
    throw error;
  }
  let watcher: CorpusWatcher | null = null;
  return {
    announcer,
    async settingsChanged(guildId) {
      await announcer.refreshServers(guildId);
      await digests.refresh();
    },
    async start() {
      announcer.update(holder.current.corpus);
      await announcer.idle();
      await digests.refresh();
      watcher = await watchCorpus({
        dir: config.profilesDir,
        holder,
        ...(config.corpusAsOf ? { asOf: config.corpusAsOf } : {}),
        log,
        onChange: (_previous, next) => announcer.update(next.corpus),
      });
    },
    async stop() {
      await watcher?.stop();
      digests.stop();
      await announcer.stop();
      await lease.release();
    },
  };
}

// The server a channel is in, asked of Discord; null (logged) when it cannot be found.
async function guildOfChannel(client: Client, channelId: string, log: Logger): Promise<string | null> {
  try {
    const channel = (await client.rest.get(Routes.channel(channelId))) as { guild_id?: string };
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
