/**
 * The announcing wiring of the live library: every process follows the pages, and the one holding the announcer
 * lease announces (the per-server announcer with follow deliveries, and the digest timers), each settled corpus.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Routes, type REST } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Counter } from 'prom-client';
import { createAnnouncer, type Announcer, type PostMessage } from '../announce/announcer.js';
import { createFollowDeliverer } from '../announce/deliveries.js';
import { createDigestScheduler } from '../announce/digest.js';
import { isCode } from '../announce/retry.js';
import { STATE_FILE, loadState } from '../announce/seen.js';
import type { Config } from '../config.js';
import type { Corpus } from '../corpus/schema.js';
import { ANNOUNCER_LEASE, holdLease, type HoldLeaseOptions } from '../db/lease.js';
import type { Database } from '../db/schema.js';
import { directMessages, isGuildMember } from '../discord/access.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { PaperSearch } from '../search/types.js';
import type { LiveLibrary } from './watch.js';

/** What announcing needs from the process. */
export interface AnnouncingOptions {
  config: Pick<Config, 'stateDir' | 'announceChannelId' | 'announceBackfill' | 'announceMaxPapers' | 'announceLeaseMs' | 'discordGuildId'>;
  /** Discord's REST API with the bot token. */
  rest: REST;
  db: Kysely<Database>;
  log: Logger;
  /** Called after the announcer wrote to the database (an SQLite file is backed up). */
  onWritten?: () => void;
  /** Called after papers were claimed and before their message is posted (an SQLite file is backed up: see AnnouncerOptions). */
  onClaimed?: () => Promise<void>;
  /** Waits for the lease from `start` on, for as long as it takes, while another process announces. */
  standby: boolean;
  /** Told once this process announces, with its announcer (the command context gets it). */
  onAnnouncing(announcer: Announcer): void;
}

/**
 * The live library of one process and its announcing (none without a bot token). The gateway bot takes the lease here,
 * before login, so a second bot is refused (LeaseHeldError); a standby waits for it from `start` on.
 */
export async function liveUpdates(library: LiveLibrary, announcing: AnnouncingOptions | null) {
  const search = (): PaperSearch => library.holder.current.index;
  const abort = new AbortController();
  let current: Awaited<ReturnType<typeof prepareAnnouncing>> | null = null;
  let taking: Promise<void> = Promise.resolve();
  if (announcing && !announcing.standby) {
    current = await prepareAnnouncing(announcing, search, { wait: 'lapse' });
    announcing.onAnnouncing(current.announcer);
  }
  const standBy = async (options: AnnouncingOptions): Promise<void> => {
    let stoodBy = false;
    const onWaiting = (): void => {
      if (!stoodBy) options.log.info('standby: another replica announces; this one answers interactions and takes over when it stops');
      stoodBy = true;
    };
    const taken = await prepareAnnouncing(options, search, { wait: 'forever', signal: abort.signal, onWaiting });
    if (abort.signal.aborted) return void (await taken.stop());
    current = taken;
    options.onAnnouncing(taken.announcer);
    if (library.settled) taken.update(library.settled);
    await taken.start();
    options.log.info(stoodBy ? 'standby: took over announcing' : 'announcing: this replica holds the announcer lease');
  };
  return {
    /** The announcer, while this process announces. */
    announcer: (): Announcer | null => current?.announcer ?? null,
    /** Re-reads a server's settings and its digest timer, where this process announces. */
    async settingsChanged(guildId: string): Promise<void> {
      await current?.settingsChanged(guildId);
    },
    /** Starts following the pages and the digests; a standby starts waiting for the lease. */
    async start(): Promise<void> {
      await library.start((corpus) => current?.update(corpus));
      if (current) await current.start();
      else if (announcing) {
        taking = standBy(announcing).catch((error: unknown) => {
          if (!abort.signal.aborted) announcing.log.error('announcing: could not start; this replica answers interactions only', { error });
        });
      }
    },
    /** Stops waiting for the lease, following the pages, announcing and the digests, and gives the lease up. */
    async stop(): Promise<void> {
      abort.abort(new Error('stopping'));
      await taking;
      await library.stop();
      await current?.stop();
    },
  };
}

// Takes the announcer lease, imports STATE_DIR/announced.json once, and prepares the announcer, its follows and the digests.
async function prepareAnnouncing(
  { config, rest, db, log, onWritten, onClaimed }: AnnouncingOptions,
  search: () => PaperSearch,
  wait: Pick<HoldLeaseOptions, 'wait' | 'signal' | 'onWaiting'>,
) {
  const lease = await holdLease(db, { name: ANNOUNCER_LEASE, lengthMs: config.announceLeaseMs, log, ...wait });
  try {
    const startGuildId = config.discordGuildId ?? (config.announceChannelId ? await guildOfChannel(rest, config.announceChannelId, log) : null);
    const imported = await loadState(config.stateDir);
    if (imported && !startGuildId) {
      log.warn('announce: STATE_DIR/announced.json was not imported: it belongs to a server, so set DISCORD_GUILD_ID (or ANNOUNCE_CHANNEL_ID) and restart', { stateDir: config.stateDir });
    }
    const send = counted(metrics.announcements, (channelId: string, body: object) => rest.post(Routes.channelMessages(channelId), { body }));
    const post: PostMessage = async (channelId, body) => {
      await send(channelId, body);
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
      onNewPapers: createFollowDeliverer({
        db,
        log: log.child({ component: 'follows' }),
        dm: { send: counted(metrics.deliveries, directMessages(rest)), isMember: (guildId, userId) => isGuildMember(rest, guildId, userId) },
        lease,
        search,
      }),
      onWritten,
      onClaimed,
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
      /** Takes a settled corpus in (the baseline on a first start). */
      update(corpus: Corpus): void {
        announcer.update(corpus);
        // A digest that came due before the first corpus was taken in is posted now.
        digests.refresh().catch((error: unknown) => log.error('digest: check failed', { error }));
      },
      async settingsChanged(guildId: string): Promise<void> {
        await announcer.refreshServers(guildId);
        await digests.refresh();
      },
      /** Starts the digest timers (and posts a digest that came due while no process announced). */
      start: (): Promise<void> => digests.refresh(),
      async stop(): Promise<void> {
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

// Sends through `send`, counted in /metrics as posted or failed.
function counted(counter: Counter<'outcome'>, send: (to: string, body: object) => Promise<unknown>): (to: string, body: object) => Promise<void> {
  return async (to, body) => {
    try {
      await send(to, body);
    } catch (error) {
      counter.inc({ outcome: 'failed' });
      throw error;
    }
    counter.inc({ outcome: 'posted' });
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

/** How often the announcing process re-reads every server's digest schedule (settings another process wrote). */
const DIGEST_POLL_MS = 60_000;
