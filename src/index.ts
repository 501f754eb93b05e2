/**
 * The bot's entry: config → corpus → index → client → login. `startBot` does the wiring and returns
 * handles (client, library holder, context) that other parts (announcements, live reload) hook into.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Events, type Client } from 'discord.js';
import { readConfigOrExit, type Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/connect.js';
import { databaseAnswers } from './db/health.js';
import { migrateToLatest } from './db/migrate.js';
import { databasePagingStore } from './db/paging.js';
import { createClient } from './discord/client.js';
import { explainDiscordFailure } from './discord/failures.js';
import type { CommandContext } from './discord/command.js';
import { COMPONENT_LIFETIME_MS } from './discord/components.js';
import { OperationsLog } from './discord/operations.js';
import { loadCommands, type CommandMap } from './discord/registry.js';
import { InteractionRouter, SHUTDOWN_GRACE_MS } from './discord/router.js';
import { startHttpServer, type PaperbotHttpServer } from './http/server.js';
import type { LibraryHolder } from './library.js';
import { prepareLiveUpdates } from './live/updates.js';
import { openLiveLibrary } from './live/watch.js';
import { createLogger, type Logger } from './log.js';
import { countRateLimits } from './metrics.js';

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
  /** Stops taking interactions, waits (bounded) for replies in flight, disconnects. */
  stop(): Promise<void>;
}

/** Loads the corpus and the commands, connects to Discord and starts answering interactions. */
export async function startBot(config: Config, { log }: { log: Logger }): Promise<Bot> {
  if (!config.discordToken) throw new Error('startBot: DISCORD_TOKEN is required');
  const database = await openDatabase(config.databaseUrl);
  const migrated = await migrateToLatest(database.db, database.label);
  log.info('database ready', { database: database.label, applied: migrated.applied, schema: migrated.current });
  const live = await openLiveLibrary({
    dir: config.profilesDir,
    stateDir: config.stateDir,
    asOf: config.corpusAsOf,
    settleMs: config.announceSettleMs,
    log,
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
  const context: CommandContext = {
    library: () => holder.current,
    log,
    now: () => new Date(),
    pagingState: databasePagingStore(database.db, COMPONENT_LIFETIME_MS),
  };
  const router = new InteractionRouter({ commands, context, log });
  const client = createClient(config);
  countRateLimits(client.rest);
  const updates = await prepareLiveUpdates({ config, rest: client.rest, db: database.db, library: live, log }).catch(async (error: unknown) => {
    await live.stop();
    throw error;
  });
  if (updates.announcer) context.announcements = updates.announcer;

  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.once(Events.ClientReady, (ready) => {
    log.info('ready', { user: ready.user.tag, papers: holder.current.index.size, commands: [...commands.keys()] });
  });
  client.on(Events.Error, (error) => log.error('client error', { error: { name: error.name, message: error.message } }));
  client.on(Events.Warn, (message) => log.warn('client warning', { message }));
  new OperationsLog(log).watch(client);

  const health =
    config.healthPort === null
      ? null
      : await startHttpServer({ log, readiness: { corpus: () => holder.current.index.size > 0, database: () => databaseAnswers(database), gateway: () => client.isReady() } }, config.healthPort, config.host);
  if (health) log.info('health endpoints listening', { port: health.address().port });

  await loginWithRetry(client, config, log);
  await updates.start();
  log.info('live updates running', { watching: config.profilesDir, announcing: config.announceChannelId });

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      router.close();
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) log.warn('shutdown: replies still in flight after the grace period', { inFlight: router.inFlight });
      await updates.stop();
      await client.destroy();
      await health?.close(1_000);
      await database.close();
    })();
    return stopping;
  };
  return { client, holder, database, commands, context, router, health, stop };
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

async function main(): Promise<void> {
  const config = readConfigOrExit();
  // discord.js's Client reads SHARD_COUNT from the environment as a ShardingManager's child process would (a
  // number); ours ("auto" or a number) is in config already and reaches the client as options.
  delete process.env['SHARD_COUNT'];
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { error: reason }));

  let bot: Bot;
  try {
    bot = await startBot(config, { log });
  } catch (error) {
    log.error('start failed', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  const shutdown = (signal: NodeJS.Signals): void => {
    log.info('shutting down', { signal, inFlight: bot.router.inFlight });
    void bot.stop().then(
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
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main();
