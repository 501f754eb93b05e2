/** The one retry policy of announcement work (jittered doubling, never giving up), and why a post failed, in words. */

/** The first retry waits about this long. */
export const BACKOFF_BASE_MS = 5_000;
/** No retry waits longer than this, jitter included. */
export const BACKOFF_MAX_MS = 10 * 60_000;
/** The ceiling for work that waits on the database: one that comes back is used within this. */
export const DATABASE_RETRY_MAX_MS = 30_000;

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Scheduler = (run: () => void, delayMs: number) => () => void;

/** How a `Retry` waits: its ceiling (default BACKOFF_MAX_MS), timers, jitter in [0, 1] and clock (tests pass their own). */
export interface RetryOptions {
  maxMs?: number;
  schedule?: Scheduler;
  random?: () => number;
  now?: () => Date;
}

/** The wait before retry number `attempt` (1 = first retry): doubling from 5 s to at most `maxMs`, jittered to 50–100 %, at least retry-after. */
export function backoffDelay(attempt: number, retryAfterMs: number | null, random: () => number = Math.random, maxMs = BACKOFF_MAX_MS): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(maxMs, BACKOFF_BASE_MS * 2 ** exponent);
  const jittered = Math.round(ceiling * (0.5 + 0.5 * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, maxMs));
}

/** One piece of work's retries: at most one try waiting, the failures since the last success, when the next is due. */
export class Retry {
  failures = 0;
  #waiting: { dueAt: Date; cancel: () => void } | null = null;

  /** `run` is the try itself; it reports back with `failed` or `reset`. */
  constructor(private readonly run: () => void, private readonly options: RetryOptions = {}) {}

  /** When the next try is due; null when none waits. */
  get dueAt(): Date | null {
    return this.#waiting?.dueAt ?? null;
  }

  /** Counts a failed try and schedules the next one (replacing any waiting), at least `retryAfterMs` away; returns the wait. */
  failed(retryAfterMs: number | null = null): number {
    this.cancel();
    this.failures += 1;
    const delay = backoffDelay(this.failures, retryAfterMs, this.options.random, this.options.maxMs);
    const dueAt = new Date((this.options.now?.() ?? new Date()).getTime() + delay);
    const cancel = (this.options.schedule ?? defaultSchedule)(() => {
      this.#waiting = null;
      this.run();
    }, delay);
    this.#waiting = { dueAt, cancel };
    return delay;
  }

  /** The work succeeded (or changed): no try waits, and the next failure waits the first step again. Returns the failures before. */
  reset(): number {
    const failures = this.failures;
    this.cancel();
    this.failures = 0;
    return failures;
  }

  /** Drops the waiting try, keeping the count (the work runs now, or stops). */
  cancel(): void {
    this.#waiting?.cancel();
    this.#waiting = null;
  }
}

// Discord JSON error codes worth naming (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
const KNOWN_CODES: Record<number, string> = {
  10003: 'the channel does not exist (deleted?); pick another with /settings announce channel',
  50001: 'the bot cannot see the channel (Missing Access); give it View Channel there',
  50013: 'the bot may not post in the channel (Missing Permissions); give it Send Messages and Embed Links there',
};

/** A failed post in words; equal `key`s are one kind of failure (one log line per run), `retryAfterMs` is Discord's 429 wait. */
export type PostFailure = ReturnType<typeof describeFailure>;

/** Describes an error thrown by `post` (a discord.js REST error, a network error, anything). */
export function describeFailure(error: unknown): { key: string; message: string; retryAfterMs: number | null } {
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
  const seconds = (fields.rawError as { retry_after?: unknown } | null | undefined)?.retry_after;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : null;
}

/** True when `error` carries this `code` (a Node system error's, or Discord's JSON error code). */
export function isCode(error: unknown, code: string | number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function defaultSchedule(run: () => void, delayMs: number): () => void {
  const timer = setTimeout(run, delayMs);
  timer.unref();
  return () => clearTimeout(timer);
}
