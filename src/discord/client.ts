/**
 * The discord.js client as the bot runs it: the Guilds intent only (no privileged intents), mentions
 * disabled for every message it sends, REST pointed at `DISCORD_API_URL` with `DISCORD_REST_TIMEOUT_MS` (a request
 * unanswered that long is sent again by discord.js; announcements carry a nonce so Discord keeps one), and the
 * gateway split into SHARD_COUNT shards (discord.js's internal sharding: one process holds every shard, so the
 * announcer, which runs once per process, posts once whatever the shard count).
 */
import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { Agent } from 'undici';
import type { Config } from '../config.js';

/**
 * Connections to Discord's API at most, kept alive and reused. Left unbounded (undici's default), a burst of
 * acknowledgements opens one new connection per request, and opening them costs more CPU than the requests.
 */
export const REST_CONNECTIONS = 64;

/** The HTTP agent the bot's REST clients share settings of: at most REST_CONNECTIONS connections, kept alive. */
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
