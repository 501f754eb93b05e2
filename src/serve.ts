/**
 * The HTTP interactions entry (`npm run serve`): the start-up core over HTTP, Discord POSTing to `/interactions`.
 * Any number of these can answer behind a load balancer; one of them announces while the others stand by.
 */
import { REST } from 'discord.js';
import { readConfigOrExit, type Config } from './config.js';
import { runUntilSignalled, startCore, type Running } from './core.js';
import { restAgent } from './discord/client.js';
import { SHUTDOWN_GRACE_MS } from './discord/router.js';
import { publicKeyFromHex, startHttpServer } from './http/server.js';
import type { Logger } from './log.js';
import { countRateLimits } from './metrics.js';

/** Starts the core and answers interactions over HTTP; the announcer lease is waited for in the background. */
async function startServer(config: Config, log: Logger): Promise<Running> {
  if (!config.discordPublicKey) throw new Error('startServer: DISCORD_PUBLIC_KEY is required');
  const publicKey = publicKeyFromHex(config.discordPublicKey);
  // Webhook calls authenticate with the interaction's token; announcements and /settings's channel check need the bot's.
  const rest = new REST({ api: config.discordApiUrl, timeout: config.discordRestTimeoutMs, agent: restAgent() });
  if (config.discordToken) rest.setToken(config.discordToken);
  countRateLimits(rest);
  const core = await startCore(config, { log, rest: config.discordToken ? rest : null, standby: true });
  const { router, holder, commands } = core;

  const http = await startHttpServer({ log, readiness: core.readiness, interactions: { router, publicKey, rest }, site: core.site }, config.port, config.host);
  await core.start();
  const { address, port } = http.address();
  log.info('listening', { url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/interactions`, papers: holder.current.index.size, commands: [...commands.keys()] });
  return {
    router,
    async stop() {
      const answered = await http.close(SHUTDOWN_GRACE_MS);
      if (!answered) log.warn('shutdown: requests still open after the grace period');
      await core.stop();
    },
  };
}

async function main(): Promise<void> {
  const config = readConfigOrExit({ requireToken: false, requirePublicKey: true });
  if (config.announceChannelId && !config.discordToken) {
    process.stderr.write('config: ANNOUNCE_CHANNEL_ID is set but DISCORD_TOKEN is missing: announcements are posted with the bot token.\n');
    process.exit(1);
  }
  await runUntilSignalled(config, (log) => startServer(config, log));
}

void main();
