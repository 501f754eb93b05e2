/**
 * The bot's entry: config → corpus → index → client → login. `startBot` does the wiring and returns
 * handles (client, library holder, context) that other parts (announcements, live reload) hook into.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Events, type Client } from 'discord.js';
import { prepareLiveUpdates } from './announce/live.js';
import { readConfigOrExit, type Config } from './config.js';
import { loadCorpus } from './corpus/load.js';
import { DatabaseError, openDatabase, parseDatabaseUrl, type DatabaseHandle } from './db/connect.js';
import { backupScheduler, recoverSqliteFile, stateProblem } from './db/generations.js';
import { migrateToLatest } from './db/migrate.js';
import type { Corpus } from './corpus/schema.js';
import { guildAccess } from './discord/access.js';
import { createClient } from './discord/client.js';
import type { CommandContext } from './discord/command.js';
import { OperationsLog } from './discord/operations.js';
import { loadCommands, type CommandMap } from './discord/registry.js';
import { InteractionRouter } from './discord/router.js';
import { LibraryHolder, type Library } from './library.js';
import { createLogger, type Logger } from './log.js';
import { PaperIndex } from './search/index.js';

/** How long shutdown waits for replies in flight before disconnecting anyway. */
export const SHUTDOWN_GRACE_MS = 5_000;

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
  /** Stops taking interactions, waits (bounded) for replies in flight, disconnects. */
  stop(): Promise<void>;
}

/** A library snapshot over a corpus: the corpus and its freshly built index. */
export function buildLibrary(corpus: Corpus, loadedAt: Date = new Date()): Library {
  return { corpus, index: PaperIndex.build(corpus), loadedAt };
}

/** Reads `DATA_DIR/profiles` into a library (throws when no paper can be read). */
export async function loadLibrary(config: Pick<Config, 'profilesDir' | 'corpusAsOf'>): Promise<Library> {
  const corpus = await loadCorpus(config.profilesDir, config.corpusAsOf ? { asOf: config.corpusAsOf } : {});
  return buildLibrary(corpus);
}

/** Loads the corpus and the commands, connects to Discord and starts answering interactions. */
export async function startBot(config: Config, { log }: { log: Logger }): Promise<Bot> {
  if (!config.discordToken) throw new Error('startBot: DISCORD_TOKEN is required');
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
  const library = await loadLibrary(config);
  log.info('corpus loaded', {
    papers: library.index.size,
    profiles: library.corpus.profiles.length,
    diagnostics: library.corpus.diagnostics.length,
    dir: config.profilesDir,
  });
  const holder = new LibraryHolder(library);
  const commands = await loadCommands();
  const client = createClient(config);
  let live;
  try {
    live = await prepareLiveUpdates({ config, client, holder, db: database.db, log, ...(backups ? { onWritten: () => backups.changed() } : {}) });
  } catch (error) {
    await database.close();
    throw isStateError(error) ? new Error(stateProblem(error, pathOf(error) ?? config.stateDir), { cause: error }) : error;
  }
  const context: CommandContext = {
    library: () => holder.current,
    log,
    now: () => new Date(),
    announcements: live.announcer,
    db: database.db,
    guilds: guildAccess(client),
    settingsChanged: (guildId) => live.settingsChanged(guildId),
  };
  const router = new InteractionRouter({ commands, context, log });

  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.once(Events.ClientReady, (ready) => {
    log.info('ready', { user: ready.user.tag, papers: holder.current.index.size, commands: [...commands.keys()] });
  });
  client.on(Events.Error, (error) => log.error('client error', { error: { name: error.name, message: error.message } }));
  client.on(Events.Warn, (message) => log.warn('client warning', { message }));
  // Every server the bot is in (at start, or joined later) gets its settings row and, once, its own baseline.
  client.on(Events.GuildCreate, (guild) => void live.settingsChanged(guild.id).catch((error: unknown) => log.error('could not set up a server', { guildId: guild.id, error })));
  new OperationsLog(log).watch(client);

  await client.login(config.discordToken);
  await live.start();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      router.close();
      const drained = await router.drain(SHUTDOWN_GRACE_MS);
      if (!drained) log.warn('shutdown: replies still in flight after the grace period', { inFlight: router.inFlight });
      await live.stop();
      await backups?.stop();
      await client.destroy();
      await database.close();
    })();
    return stopping;
  };
  return { client, holder, database, commands, context, router, stop };
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
  // Logged once a SIGTERM is handled: whoever waits for this line may stop the bot cleanly from then on.
  log.info('live updates running', { watching: config.profilesDir, announcing: config.announceChannelId });
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) void main();
