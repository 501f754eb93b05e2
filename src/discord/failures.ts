/** Discord's answers at start-up (`register`, `start`) in words a lab admin can act on, and whether retrying can help. */
import { RESTJSONErrorCodes } from 'discord.js';

/** Network error codes that mean DISCORD_API_URL could not be reached at all. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);

/** A bot token's shape: three dot-separated base64url parts (the user id, a timestamp, an HMAC). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Throws, before any request, when `token` cannot be a bot token: refused as a 401 would be, not retried. */
export function assertTokenShape(token: string): void {
  if (!TOKEN_SHAPE.test(token)) throw Object.assign(new Error('DISCORD_TOKEN is not three dot-separated parts'), { code: 'TokenInvalid' });
}

/** Explains a failed request or login to Discord, naming the settings to fix, and whether retrying can help. */
export function explainDiscordFailure(
  error: unknown,
  context: { apiUrl: string; clientId?: string | null; guildId?: string | null },
): { explanation: string; retryable: boolean } {
  const found = field(error, 'status');
  const status = typeof found === 'number' ? found : null;
  const code = field(error, 'code');
  const network = networkCode(error);
  if (status === 401 || code === 'TokenInvalid') {
    return { explanation: 'the token was rejected: copy it again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN', retryable: false };
  }
  if (status === 403 || code === RESTJSONErrorCodes.MissingAccess) {
    const server = context.guildId ? `server ${context.guildId} (DISCORD_GUILD_ID)` : 'that server';
    const invite = `https://discord.com/oauth2/authorize?client_id=${context.clientId ?? '<application id>'}&scope=bot+applications.commands`;
    return { explanation: `the bot is not in ${server}, or lacks the applications.commands scope: invite it with ${invite}`, retryable: false };
  }
  if (network !== null) {
    return { explanation: `Discord could not be reached at DISCORD_API_URL (${context.apiUrl}): ${network}. Check the network and DISCORD_API_URL in .env`, retryable: true };
  }
  if (status !== null && status >= 500) {
    return { explanation: `Discord answered ${status} (a problem on Discord's side, usually brief)`, retryable: true };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { explanation: status === null ? message : `Discord answered ${status}: ${message}`, retryable: false };
}

// The network error code of the error or any error in its cause chain, or null.
function networkCode(error: unknown): string | null {
  for (let at: unknown = error, depth = 0; at && depth < 5; at = field(at, 'cause'), depth++) {
    const code = field(at, 'code');
    if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
  }
  return null;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
