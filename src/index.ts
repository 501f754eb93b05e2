/**
 * The bot's entry: config → corpus → index → client → login. `startBot` does the wiring and returns
 * handles (client, library holder, context) that other parts (announcements, live reload) hook into.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Events, type Client } from 'discord.js';
import { openCitationStyles } from './cite/index.js';
import { readConfigOrExit, type Config } from './config.js';
import { DatabaseError, openDatabase, parseDatabaseUrl, type DatabaseHandle } from './db/connect.js';
import { backupScheduler, recoverSqliteFile, stateProblem } from './db/generations.js';
import { databaseAnswers } from './db/health.js';
import { migrateToLatest } from './db/migrate.js';
import { makeSources } from './sources/cache.js';
import { readLab } from './sources/lab.js';
import { sourceLookup } from './sources/lookup.js';
import { databasePagingStore } from './db/paging.js';
import { guildAccess } from './discord/access.js';
import { createClient } from './discord/client.js';
import { assertTokenShape, explainDiscordFailure } from './discord/failures.js';
import type { CommandContext } from './discord/command.js';
import { COMPONENT_LIFETIME_MS } from './discord/components.js';
import { OperationsLog } from './discord/operations.js';
import { loadRenderers } from './discord/pictures.js';
import { loadCommands, type CommandMap } from './discord/registry.js';
import { InteractionRouter, SHUTDOWN_GRACE_MS } from './discord/router.js';
import { startHttpServer, type PaperbotHttpServer } from './http/server.js';
import type { LibraryHolder } from './library.js';
import { prepareLiveUpdates } from './live/updates.js';
import { startSourceRefresh, startingWorks, type SourceRefresh } from './live/sources.js';
import { openLiveLibrary } from './live/watch.js';
import { runUntilSignalled } from './lifecycle.js';
import { createLogger, type Logger } from './log.js';
import { countRateLimits } from './metrics.js';
import { liveSite } from './web/live.js';

/** The first wait before retrying a login that failed on a 5xx or the network; it doubles up to LOGIN_RETRY_MAX_MS. */
const LOGIN_RETRY_FIRST_MS = 1_000;
const LOGIN_RETRY_MAX_MS = 60_000;

/** A running bot. */
export interface Bot {
  client: Client;
  holder: LibraryHolder;
  /** The state store (DATABASE_URL), migrated to the newest schema. */
  database: DatabaseHandle;
  commands: CommandMap;
  /** The context every handler gets; `announcements` may be set on it once an announcer runs. */
  context: CommandContext;
  router: InteractionRouter;
  /** /healthz, /readyz and /metrics on HEALTH_PORT, where it is set. */
  health: PaperbotHttpServer | null;
  /** The publication site on WEB_PORT, where it is set. */
  web: PaperbotHttpServer | null;
  /** Stops taking interactions, waits (bounded) for replies in flight, disconnects. */
  stop(): Promise<void>;
}

/** Loads the corpus and the commands, connects to Discord and starts answering interactions. */
export async function startBot(config: Config, { log }: { log: Logger }): Promise<Bot> {
  if (!config.discordToken) throw new Error('startBot: DISCORD_TOKEN is required');
  // With DATA_DIR/lab.yaml, /cite may look papers outside the corpus up (docs/sources.md); its errors stop the start.
  const lab = await readLab(config.dataDir);
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
  // The last good generation, taken at start and after each batch of changes (src/db/generations.ts).
  const backups = sqliteFile ? backupScheduler(sqliteFile, log) : null;
  await backups?.flush();
  const sources = lab ? makeSources(config, lab, log) : null;
  // With lab.yaml, the works cached by the last read serve from the start, whether or not a source answers now.
  const live = await (lab ? startingWorks(database.db) : Promise.resolve([]))
    .then((works) => openLiveLibrary({ dir: config.profilesDir, stateDir: config.stateDir, asOf: config.corpusAsOf, settleMs: config.announceSettleMs, log, works }))
    .catch(async (error: unknown) => {
      await backups?.stop();
      await database.close();
      throw error;
    });
  const holder = live.holder;
  const library = holder.current;
  log.info('corpus loaded', {
    papers: library.index.size,
    profiles: library.corpus.profiles.length,
    diagnostics: library.corpus.diagnostics.length,
    dir: config.profilesDir,
  });
  const commands = await loadCommands();
  await loadRenderers();
  const client = createClient(config);
  countRateLimits(client.rest);
  let updates;
  try {
    updates = await prepareLiveUpdates({ config, rest: client.rest, db: database.db, library: live, log, ...(backups ? { onWritten: () => backups.changed(), onClaimed: () => backups.flush() } : {}) });
  } catch (error) {
    await live.stop();
    await backups?.stop();
    await database.close();
    throw isStateError(error) ? new Error(stateProblem(error, pathOf(error) ?? config.stateDir), { cause: error }) : error;
  }
  const context: CommandContext = {
    library: () => holder.current,
    log,
    now: () => new Date(),
    citationStyles: openCitationStyles(config.dataDir, (problem) => log.warn('citation style left out', { problem })),
    pagingState: databasePagingStore(database.db, COMPONENT_LIFETIME_MS),
    announcements: updates.announcer,
    db: database.db,
    guilds: guildAccess(client.rest),
    settingsChanged: (guildId) => updates.settingsChanged(guildId),
    ...(sources ? { lookup: sourceLookup(sources) } : {}),
  };
  const router = new InteractionRouter({ commands, context, log });

  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.once(Events.ClientReady, (ready) => {
    log.info('ready', { user: ready.user.tag, papers: holder.current.index.size, commands: [...commands.keys()] });
  });
  client.on(Events.Error, (error) => log.error('client error', { error: { name: error.name, message: error.message } }));
  client.on(Events.Warn, (message) => log.warn('client warning', { message }));
  // Every server the bot is in (at start, or joined later) gets its settings row and, once, its own baseline.
  client.on(Events.GuildCreate, (guild) => void updates.settingsChanged(guild.id).catch((error: unknown) => log.error('could not set up a server', { guildId: guild.id, error })));
  new OperationsLog(log).watch(client);

  const health =
    config.healthPort === null
      ? null
      : await startHttpServer({ log, readiness: { corpus: () => holder.current.index.size > 0, database: () => databaseAnswers(database), gateway: () => client.isReady() } }, config.healthPort, config.host);
  if (health) log.info('health endpoints listening', { port: health.address().port });
  const web =
    config.webPort === null
      ? null
      : await startHttpServer({ log, readiness: { corpus: () => holder.current.index.size > 0 }, site: liveSite(() => holder.current, { title: config.siteTitle, siteUrl: config.siteUrl }) }, config.webPort, config.host);
  if (web) log.info('publication site listening', { port: web.address().port });

  await loginWithRetry(client, config, log);
  await updates.start();
  const refresh: SourceRefresh | null =
    lab && sources ? startSourceRefresh({ lab, db: database.db, library: live, clients: sources, log, everyMs: config.sourcesRefreshMs, announcer: () => updates.announcer }) : null;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      router.close();
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) log.warn('shutdown: replies still in flight after the grace period', { inFlight: router.inFlight });
      await refresh?.stop();
      await updates.stop();
      await backups?.stop();
      await client.destroy();
      await health?.close(1_000);
      await web?.close(1_000);
      await context.citationStyles?.close();
      await database.close();
    })();
    return stopping;
  };
  return { client, holder, database, commands, context, router, health, web, stop };
}

/**
 * Logs in; a 5xx or a network failure is retried with backoff (LOGIN_RETRY_FIRST_MS doubling to LOGIN_RETRY_MAX_MS)
 * for as long as it lasts, since Discord or the network comes back. Anything else (a rejected token) throws at
 * once, explained in words an admin can act on.
 */
async function loginWithRetry(client: Client, config: Config, log: Logger): Promise<void> {
  const context = { apiUrl: config.discordApiUrl, clientId: config.discordClientId, guildId: config.discordGuildId };
  for (let attempt = 1, delay = LOGIN_RETRY_FIRST_MS; ; attempt++, delay = Math.min(delay * 2, LOGIN_RETRY_MAX_MS)) {
    try {
      assertTokenShape(config.discordToken ?? '');
      await client.login(config.discordToken ?? '');
      return;
    } catch (error) {
      const failure = explainDiscordFailure(error, context);
      if (!failure.retryable) throw new Error(`login failed: ${failure.explanation}`, { cause: error });
      log.warn('login failed, retrying', { attempt, retryInMs: delay, reason: failure.explanation });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
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

function pathOf(error: unknown): string | null {
  const file = (error as { path?: unknown } | null)?.path;
  return typeof file === 'string' ? file : null;
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  // discord.js's Client reads SHARD_COUNT from the environment as a ShardingManager's child process would (a
  // number); ours ("auto" or a number) is in config already and reaches the client as options.
  delete process.env['SHARD_COUNT'];
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));

  await runUntilSignalled(() => startBot(config, { log }), log);
  // Logged once a SIGTERM is handled: whoever waits for this line may stop the bot cleanly from then on.
  log.info('live updates running', { watching: config.profilesDir, announcing: config.announceChannelId });
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main();
