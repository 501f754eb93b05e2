/**
 * Why a post failed, in words for the log and for /announce now, and how long Discord asked us to wait (the wait
 * itself is the retry policy's: src/announce/retry.ts).
 */

/** A failed post as the announcer records it. */
export interface PostFailure {
  /** Same kind of failure, same key: one log line per run of equal keys. */
  key: string;
  /** For people: what went wrong and what to do about it. */
  message: string;
  /** Discord asked us to wait at least this long (429), if it said. */
  retryAfterMs: number | null;
}

// Discord JSON error codes worth naming (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
const KNOWN_CODES: Record<number, string> = {
  10003: 'the channel does not exist (deleted?); pick another with /settings announce channel',
  50001: 'the bot cannot see the channel (Missing Access); give it View Channel there',
  50013: 'the bot may not post in the channel (Missing Permissions); give it Send Messages and Embed Links there',
};

/** Describes an error thrown by `post` (a discord.js REST error, a network error, anything). */
export function describeFailure(error: unknown): PostFailure {
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const status = typeof fields.status === 'number' ? fields.status : null;
  const code = typeof fields.code === 'number' || typeof fields.code === 'string' ? fields.code : null;
  const text = error instanceof Error ? error.message : String(error);
  const retryAfterMs = retryAfterOf(fields);
  if (retryAfterMs !== null || status === 429) {
    return { key: 'rate-limited', message: `Discord is rate limiting the bot (429)${retryAfterMs !== null ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : ''}`, retryAfterMs };
  }
  const known = typeof code === 'number' ? KNOWN_CODES[code] : undefined;
  if (known) return { key: `discord-${code}`, message: `${known} (${status ?? 'no status'}, code ${code})`, retryAfterMs: null };
  if (status !== null && status >= 500) return { key: `http-${status}`, message: `Discord had a server error (${status}): ${text}`, retryAfterMs: null };
  if (status !== null) return { key: `http-${status}-${code ?? ''}`, message: `Discord refused the post (${status}${code !== null ? `, code ${code}` : ''}): ${text}`, retryAfterMs: null };
  return { key: `error-${code ?? (error instanceof Error ? error.name : typeof error)}`, message: `the post failed: ${text}`, retryAfterMs: null };
}

// discord.js's RateLimitError carries retryAfter in ms; a raw Discord 429 body has retry_after in seconds.
function retryAfterOf(fields: Record<string, unknown>): number | null {
  if (typeof fields.retryAfter === 'number' && Number.isFinite(fields.retryAfter)) return Math.max(0, fields.retryAfter);
  const raw = fields.rawError;
  if (typeof raw === 'object' && raw !== null) {
    const seconds = (raw as Record<string, unknown>).retry_after;
    if (typeof seconds === 'number' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  }
  return null;
}
