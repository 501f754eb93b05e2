/**
 * The bot's entry (`npm start`): the start-up core (src/core.ts) over Discord's gateway: the client, its events, and
 * /healthz, /readyz and /metrics on HEALTH_PORT and the publication site on WEB_PORT where they are set.
 */
import { Events, GatewayDispatchEvents, type Client } from 'discord.js';
import { readConfigOrExit, type Config } from './config.js';
import { runUntilSignalled, startCore, type Running } from './core.js';
import { createClient } from './discord/client.js';
import { assertTokenShape, explainDiscordFailure } from './discord/failures.js';
import { operationsLog } from './discord/operations.js';
import { startHttpServer } from './http/server.js';
import type { Logger } from './log.js';
import { countRateLimits } from './metrics.js';

/** The first wait before retrying a login that failed on a 5xx or the network; it doubles up to the max. */
const LOGIN_RETRY_FIRST_MS = 1_000;
const LOGIN_RETRY_MAX_MS = 60_000;

/** Starts the core, connects to Discord and starts answering interactions; the announcer lease is taken before login. */
async function startBot(config: Config, log: Logger): Promise<Running> {
  if (!config.discordToken) throw new Error('startBot: DISCORD_TOKEN is required');
  const client = createClient(config);
  countRateLimits(client.rest);
  const core = await startCore(config, { log, rest: client.rest, standby: false });
  const { router, holder, commands, readiness } = core;

  // Read from the gateway's JSON, as the HTTP endpoint reads Discord's, and answered the same way.
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (data) => void router.handleGateway(data, client.rest));
  client.once(Events.ClientReady, (ready) => {
    log.info('ready', { user: ready.user.tag, papers: holder.current.index.size, commands: [...commands.keys()] });
  });
  client.on(Events.Error, (error) => log.error('client error', { error: { name: error.name, message: error.message } }));
  client.on(Events.Warn, (message) => log.warn('client warning', { message }));
  // Every server the bot is in (at start, or joined later) gets its settings row and, once, its own baseline.
  client.on(Events.GuildCreate, (guild) => void core.updates.settingsChanged(guild.id).catch((error: unknown) => log.error('could not set up a server', { guildId: guild.id, error })));
  operationsLog(log).watch(client);

  const health = config.healthPort === null ? null : await startHttpServer({ log, readiness: { ...readiness, gateway: () => client.isReady() } }, config.healthPort, config.host);
  if (health) log.info('health endpoints listening', { port: health.address().port });
  const web = config.webPort === null ? null : await startHttpServer({ log, readiness: { corpus: readiness.corpus }, site: core.site }, config.webPort, config.host);
  if (web) log.info('publication site listening', { port: web.address().port });

  await loginWithRetry(client, config, log);
  await core.start();
  return {
    router,
    stop: () =>
      core.stop(async () => {
        await client.destroy();
        await health?.close(1_000);
        await web?.close(1_000);
      }),
  };
}

// Logs in, retrying a 5xx or a network failure with backoff; anything else (a rejected token) throws, explained.
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

async function main(): Promise<void> {
  const config = readConfigOrExit();
  // discord.js's Client reads SHARD_COUNT as a ShardingManager's child would (a number); ours reaches it as options.
  delete process.env['SHARD_COUNT'];
  const log = await runUntilSignalled(config, (log) => startBot(config, log));
  // Logged once a SIGTERM is handled: whoever waits for this line may stop the bot cleanly from then on.
  log.info('live updates running', { watching: config.profilesDir, announcing: config.announceChannelId });
}

void main();
