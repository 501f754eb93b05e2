/** The discord.js client: the Guilds intent, no mentions, REST at DISCORD_API_URL, all shards in one process (one announcer). */
import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { Agent } from 'undici';
import type { Config } from '../config.js';

/** The HTTP agent of the bot's REST clients: at most 64 connections, reused (unbounded, a burst opens one per request). */
export function restAgent(): Agent {
  return new Agent({ connections: 64 });
}

/** A client for `config`; not logged in. */
export function createClient(config: Pick<Config, 'discordApiUrl' | 'discordRestTimeoutMs' | 'shardCount'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: config.discordApiUrl, timeout: config.discordRestTimeoutMs, agent: restAgent() },
    ...shardOptions(config.shardCount),
  });
}

// SHARD_COUNT → discord.js's options: 'auto' asks Discord (GET /gateway/bot) how many; a number runs shards 0 … n-1.
function shardOptions(count: Config['shardCount']): Pick<ClientOptions, 'shards' | 'shardCount'> {
  if (count === null) return {};
  if (count === 'auto') return { shards: 'auto' };
  return { shards: Array.from({ length: count }, (_, id) => id), shardCount: count };
}
