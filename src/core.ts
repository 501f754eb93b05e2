/**
 * What both entry points (src/index.ts, src/serve.ts) start before their transport: the state store, the live library
 * and its announcing, the commands and their router, the sources' refresh; and the life of their process.
 */
import type { REST } from 'discord.js';
import { openCitationStyles } from './cite/index.js';
import type { Config } from './config.js';
import { backupScheduler, recoverSqliteFile, stateProblem } from './db/backups.js';
import { databaseAnswers, DatabaseError, openDatabase, parseDatabaseUrl, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { databasePagingStore } from './db/paging.js';
import { cachedWorks } from './db/works.js';
import { guildAccess } from './discord/access.js';
import type { CommandContext } from './discord/command.js';
import { COMPONENT_LIFETIME_MS } from './discord/components.js';
import { loadRenderers } from './discord/pictures.js';
import { loadCommands } from './discord/registry.js';
import { InteractionRouter, SHUTDOWN_GRACE_MS } from './discord/router.js';
import { liveUpdates, type AnnouncingOptions } from './live/announcing.js';
import { startSourceRefresh } from './live/sources.js';
import { openLiveLibrary } from './live/watch.js';
import { createLogger, type Logger } from './log.js';
import { makeSources, sourceLookup } from './sources/cache.js';
import { readLab } from './sources/lab.js';
import { cachedPaper } from './sources/papers.js';
import { liveSite } from './web/site.js';

/** Opens the state store and live library, loads the commands, prepares announcing (none if `rest` is null); follows nothing yet. */
export async function startCore(config: Config, { log, rest, standby }: { log: Logger; rest: REST | null; standby: boolean }) {
  // With DATA_DIR/lab.yaml, the sources' works are served and /cite looks papers up; its errors stop the start.
  const lab = await readLab(config.dataDir);
  const { database, backups } = await openState(config, log);
  const closeState = async (): Promise<void> => {
    await backups?.stop();
    await database.close();
  };
  const sources = lab ? makeSources(config, lab, log) : null;
  // With lab.yaml, the works cached by the last read serve from the start, whether or not a source answers now.
  const library = await (lab ? cachedWorks(database.db, cachedPaper) : Promise.resolve([]))
    .then((works) => openLiveLibrary({ dir: config.profilesDir, stateDir: config.stateDir, asOf: config.corpusAsOf, settleMs: config.announceSettleMs, log, works }))
    .catch(async (error: unknown) => {
      await closeState();
      throw error;
    });
  const holder = library.holder;
  const { corpus, index } = holder.current;
  log.info('corpus loaded', { papers: index.size, profiles: corpus.profiles.length, diagnostics: corpus.diagnostics.length, dir: config.profilesDir });
  const commands = await loadCommands();
  await loadRenderers();
  const context: CommandContext = {
    library: () => holder.current,
    log,
    now: () => new Date(),
    citationStyles: openCitationStyles(config.dataDir, (problem) => log.warn('citation style left out', { problem })),
    pagingState: databasePagingStore(database.db, COMPONENT_LIFETIME_MS),
    db: database.db,
    ...(rest ? { guilds: guildAccess(rest) } : {}),
    ...(sources ? { lookup: sourceLookup(sources) } : {}),
  };
  const announcing: AnnouncingOptions | null = rest && {
    config,
    rest,
    db: database.db,
    log,
    standby,
    onAnnouncing: (announcer) => void (context.announcements = announcer),
    ...(backups ? { onWritten: () => backups.changed(), onClaimed: () => backups.flush() } : {}),
  };
  const updates = await liveUpdates(library, announcing).catch(async (error: unknown) => {
    await library.stop();
    await closeState();
    const file = (error as { path?: unknown } | null)?.path;
    throw isStateError(error) ? new Error(stateProblem(error, typeof file === 'string' ? file : config.stateDir), { cause: error }) : error;
  });
  // A standby's /settings is written to the shared database; the announcer reads it at its next corpus.
  context.settingsChanged = (guildId) => updates.settingsChanged(guildId);
  const router = new InteractionRouter({ commands, context, log });
  let refresh: ReturnType<typeof startSourceRefresh> | null = null;
  return {
    holder,
    commands,
    router,
    updates,
    /** /readyz's checks of the corpus and the state store. */
    readiness: { corpus: () => holder.current.index.size > 0, database: () => databaseAnswers(database) },
    site: liveSite(() => holder.current, { title: config.siteTitle, siteUrl: config.siteUrl }),
    /** Starts following the pages, announcing (or standing by for it) and the sources' refresh: once the transport is up. */
    async start() {
      await updates.start();
      if (lab && sources) refresh = startSourceRefresh({ lab, db: database.db, library, clients: sources, log, everyMs: config.sourcesRefreshMs, announcer: () => updates.announcer() });
    },
    /** Stops taking interactions, drains the replies in flight, stops the rest, then `disconnect`s; the state store closes last. */
    async stop(disconnect?: () => Promise<void>) {
      router.close();
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) log.warn('shutdown: replies still in flight after the grace period', { inFlight: router.inFlight });
      await refresh?.stop();
      await updates.stop();
      await backups?.stop();
      await context.citationStyles?.close();
      await disconnect?.();
      await database.close();
    },
  };
}

/** What an entry point runs: it stops, and its router counts the replies in flight. */
export interface Running {
  stop(): Promise<void>;
  readonly router: { readonly inFlight: number };
}

/** Runs `start(log)` until the first SIGINT or SIGTERM; exits 1 if starting or stopping fails, else 0. Resolves once started. */
export async function runUntilSignalled(config: Config, start: (log: Logger) => Promise<Running>): Promise<Logger> {
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));
  const running = await start(log).catch((error: unknown) => {
    log.error('start failed', { error: error instanceof Error ? error.message : String(error) });
    return process.exit(1);
  });
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: NodeJS.Signals): void => {
    log.info('shutting down', { signal, inFlight: running.router.inFlight });
    stopping ??= running.stop();
    void stopping.then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return log;
}

// The state store, migrated; an SQLite file is recovered if damaged, then backed up (src/db/backups.ts).
async function openState(config: Config, log: Logger): Promise<{ database: DatabaseHandle; backups: ReturnType<typeof backupScheduler> | null }> {
  const target = parseDatabaseUrl(config.databaseUrl);
  const sqliteFile = target.kind === 'sqlite' && target.file !== ':memory:' ? target.file : null;
  if (sqliteFile) recoverSqliteFile(sqliteFile, log);
  const database = await openDatabase(config.databaseUrl);
  let migrated;
  try {
    migrated = await migrateToLatest(database.db, database.label);
  } catch (error) {
    await database.close();
    throw sqliteFile && isStateError(error) ? new DatabaseError(stateProblem(causeOf(error), sqliteFile), { cause: error }) : error;
  }
  log.info('database ready', { database: database.label, applied: migrated.applied, schema: migrated.current });
  const backups = sqliteFile ? backupScheduler(sqliteFile, log) : null;
  await backups?.flush();
  return { database, backups };
}

/** File-system and SQLite error codes that mean the state folder cannot be used as it is. */
const STATE_ERROR_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'ENOTDIR', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_CANTOPEN']);

function isStateError(error: unknown): boolean {
  const code = (causeOf(error) as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STATE_ERROR_CODES.has(code);
}

// A DatabaseError wraps the driver's error as its cause; the code is there.
function causeOf(error: unknown): unknown {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause !== undefined && typeof (cause as { code?: unknown }).code === 'string' ? cause : error;
}
