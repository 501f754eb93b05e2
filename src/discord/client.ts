/**
 * The discord.js client as the bot runs it: the Guilds intent only (no privileged intents), mentions
 * disabled for every message it sends, and REST pointed at `DISCORD_API_URL` with `DISCORD_REST_TIMEOUT_MS` (a request
 * unanswered that long is sent again by discord.js; announcements carry a nonce so Discord keeps one).
 */
import { Client, GatewayIntentBits } from 'discord.js';
import type { Config } from '../config.js';

/** A client for `config`; not logged in. */
export function createClient(config: Pick<Config, 'discordApiUrl' | 'discordRestTimeoutMs'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [] },
    rest: { api: config.discordApiUrl, timeout: config.discordRestTimeoutMs },
  });
}
