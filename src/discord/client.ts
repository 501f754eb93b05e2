/**
 * The discord.js client as the bot runs it: the Guilds intent only, mentions disabled, REST at `DISCORD_API_URL`
 * (discord.js resends a request unanswered for `DISCORD_REST_TIMEOUT_MS`; announcements carry a nonce so Discord keeps
 * one), and SHARD_COUNT shards in this one process (so the announcer, once per process, posts once).
 */
import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { Agent } from 'undici';
import type { Config } from '../config.js';

/**
 * Connections to Discord's API at most, kept alive and reused. Left unbounded (undici's default), a burst of
 * acknowledgements opens one new connection per request, and opening them costs more CPU than the requests.
 */
export const REST_CONNECTIONS = 64;

/** The HTTP agent of the bot's REST clients. */
export function restAgent(): Agent {
  return new Agent({ connections: REST_CONNECTIONS });
}

/** A client for `config`; not logged in. */
export function createClient(config: Pick<Config, 'discordApiUrl' | 'discordRestTimeoutMs'> & Partial<Pick<Config, 'shardCount'>>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: config.discordApiUrl, timeout: config.discordRestTimeoutMs, agent: restAgent() },
    ...shardOptions(config.shardCount ?? null),
  });
}

// SHARD_COUNT → discord.js's options: 'auto' asks Discord (GET /gateway/bot) how many; a number runs shards 0 … n-1.
function shardOptions(count: Config['shardCount']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (count === null) return {};
  if (count === 'auto') return { shards: 'auto' };
  return { shards: Array.from({ length: count }, (_, id) => id), shardCount: count };
}
