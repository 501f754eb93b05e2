/**
 * The HTTP interactions entry (`npm run serve`): config → corpus → index → router → HTTP server. Discord
 * POSTs each interaction to `/interactions`; no gateway connection is made. Any number of these processes
 * can answer behind a load balancer: nothing an interaction needs later lives in one process's memory.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REST } from 'discord.js';
import { openCitationStyles } from './cite/index.js';
import { readConfigOrExit, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { databaseAnswers } from './db/health.js';
import { migrateToLatest } from './db/migrate.js';
import { databasePagingStore } from './db/paging.js';
import type { CommandContext } from './discord/command.js';
import { guildAccess } from './discord/access.js';
import { COMPONENT_LIFETIME_MS } from './discord/components.js';
import { loadRenderers } from './discord/pictures.js';
import { loadCommands } from './discord/registry.js';
import { InteractionRouter, SHUTDOWN_GRACE_MS } from './discord/router.js';
import { publicKeyFromHex } from './http/signature.js';
import { startHttpServer, type PaperbotHttpServer } from './http/server.js';
import type { LibraryHolder } from './library.js';
import type { Announcer } from './announce/announcer.js';
import { startSourceRefresh, startingWorks, type SourceRefresh } from './live/sources.js';
import { prepareAnnouncing, type Announcing } from './live/updates.js';
import { openLiveLibrary, type LiveLibrary } from './live/watch.js';
import { runUntilSignalled } from './lifecycle.js';
import { createLogger, type Logger } from './log.js';
import { countRateLimits } from './metrics.js';
import { makeSources } from './sources/cache.js';
import { readLab } from './sources/lab.js';
import { sourceLookup } from './sources/lookup.js';
import { liveSite } from './web/live.js';

/** A running HTTP endpoint. */
export interface Server {
  http: PaperbotHttpServer;
  router: InteractionRouter;
  holder: LibraryHolder;
  database: DatabaseHandle;
  /** Stops accepting, finishes the requests and webhook calls in flight (bounded), stops the live updates. */
  stop(): Promise<void>;
}

/** The live updates of one replica: announcing, or standing by while another replica announces. */
interface ReplicaLive {
  /** The announcer, while this replica announces. */
  announcer(): Announcer | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every replica follows the pages; one announces. `announcing` takes the announcer's lease, waiting for it as long
 * as it takes (`holdLease({ wait: 'forever' })`): while another replica holds it, this one answers interactions and
 * follows the pages, and takes over once the holder is gone (its lease expired). What was announced is in the shared
 * state, so the new announcer posts only what the old one did not; it starts from the corpus last found settled,
 * never from the one served (a page may be half written). Without `announcing` (no bot token), this replica only
 * follows the pages.
 */
function liveOrStandby(library: LiveLibrary, announcing: ((signal: AbortSignal, onWait: () => void) => Promise<Announcing>) | null, context: CommandContext, log: Logger): ReplicaLive {
  if (!announcing) return { announcer: () => null, start: () => library.start(), stop: () => library.stop() };
  let current: Announcing | null = null;
  // A standby's /settings is written to the shared database; the announcer reads it at its next corpus.
  context.settingsChanged = async (guildId) => {
    await current?.settingsChanged(guildId);
  };
  const abort = new AbortController();
  let taking: Promise<void> = Promise.resolve();
  return {
    announcer: () => current?.announcer ?? null,
    async start() {
      await library.start({ onSettled: (corpus) => current?.update(corpus) });
      taking = (async () => {
        let stoodBy = false;
        const taken = await announcing(abort.signal, () => {
          if (!stoodBy) log.info('standby: another replica announces; this one answers interactions and takes over when it stops');
          stoodBy = true;
        });
        if (abort.signal.aborted) return void (await taken.stop());
        current = taken;
        context.announcements = taken.announcer;
        const settled = library.settled;
        if (settled) taken.update(settled);
        await taken.start();
        log.info(stoodBy ? 'standby: took over announcing' : 'announcing: this replica holds the announcer lease');
      })().catch((error: unknown) => {
        if (!abort.signal.aborted) log.error('announcing: could not start; this replica answers interactions only', { error });
      });
    },
    async stop() {
      abort.abort(new Error('stopping'));
      await taking;
      await library.stop();
      await current?.stop();
    },
  };
}

/** Loads the corpus and the commands and starts answering interactions over HTTP. */
export async function startServer(config: Config, { log }: { log: Logger }): Promise<Server> {
  if (!config.discordPublicKey) throw new Error('startServer: DISCORD_PUBLIC_KEY is required');
  const publicKey = publicKeyFromHex(config.discordPublicKey);
  // With DATA_DIR/lab.yaml, the sources' works are served and refreshed, and /cite looks papers up (docs/sources.md).
  const lab = await readLab(config.dataDir);
  const database = await openDatabase(config.databaseUrl);
  const migrated = await migrateToLatest(database.db, database.label);
  log.info('database ready', { database: database.label, applied: migrated.applied, schema: migrated.current });
  const sources = lab ? makeSources(config, lab, log) : null;
  const works = lab ? await startingWorks(database.db) : [];
  const followed = await openLiveLibrary({ dir: config.profilesDir, stateDir: config.stateDir, asOf: config.corpusAsOf, settleMs: config.announceSettleMs, log, works });
  const holder = followed.holder;
  const library = holder.current;
  log.info('corpus loaded', { papers: library.index.size, profiles: library.corpus.profiles.length, diagnostics: library.corpus.diagnostics.length, dir: config.profilesDir });
  const commands = await loadCommands();
  await loadRenderers();
  const context: CommandContext = {
    library: () => holder.current,
    log,
    now: () => new Date(),
    citationStyles: openCitationStyles(config.dataDir, (problem) => log.warn('citation style left out', { problem })),
    pagingState: databasePagingStore(database.db, COMPONENT_LIFETIME_MS),
    db: database.db,
    ...(sources ? { lookup: sourceLookup(sources) } : {}),
  };
  const router = new InteractionRouter({ commands, context, log });

  // Webhook calls (after the first acknowledgement) authenticate with the interaction's token; posting
  // announcements needs the bot token.
  const rest = new REST({ api: config.discordApiUrl, timeout: config.discordRestTimeoutMs });
  if (config.discordToken) rest.setToken(config.discordToken);
  countRateLimits(rest);
  // /settings checks a channel with the bot token; without one it cannot ask, and says so.
  if (config.discordToken) context.guilds = guildAccess(rest);
  const live = liveOrStandby(
    followed,
    config.discordToken ? (signal, onLeaseWait) => prepareAnnouncing({ config, rest, db: database.db, log, leaseWait: 'forever', signal, onLeaseWait, search: () => holder.current.index }) : null,
    context,
    log,
  );

  const http = await startHttpServer(
    {
      log,
      readiness: { corpus: () => holder.current.index.size > 0, database: () => databaseAnswers(database) },
      interactions: { router, publicKey, rest },
      site: liveSite(() => holder.current, { title: config.siteTitle, siteUrl: config.siteUrl }),
    },
    config.port,
    config.host,
  );
  await live.start();
  const refresh: SourceRefresh | null =
    lab && sources ? startSourceRefresh({ lab, db: database.db, library: followed, clients: sources, log, everyMs: config.sourcesRefreshMs, announcer: () => live.announcer() }) : null;
  const { address, port } = http.address();
  log.info('listening', { url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/interactions`, papers: holder.current.index.size, commands: [...commands.keys()] });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const answered = await http.close(SHUTDOWN_GRACE_MS);
      if (!answered) log.warn('shutdown: requests still open after the grace period');
      router.close();
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) log.warn('shutdown: replies still in flight after the grace period', { inFlight: router.inFlight });
      await refresh?.stop();
      await live.stop();
      await context.citationStyles?.close();
      await database.close();
    })();
    return stopping;
  };
  return { http, router, holder, database, stop };
}

async function main(): Promise<void> {
  const config = readConfigOrExit({ requireToken: false, requirePublicKey: true });
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));
  if (config.announceChannelId && !config.discordToken) {
    process.stderr.write('config: ANNOUNCE_CHANNEL_ID is set but DISCORD_TOKEN is missing: announcements are posted with the bot token.\n');
    process.exit(1);
  }
  await runUntilSignalled(() => startServer(config, { log }), log);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main();
