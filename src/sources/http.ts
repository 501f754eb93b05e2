/**
 * The one polite way the sources call other people's APIs: the platform's fetch with a timeout, one request at a
 * time and spaced as the service asks, `Retry-After` honoured on 429 and 503, exponential backoff on other
 * failures, and a User-Agent that names the lab's contact. A response that is not what was asked for (HTML, not
 * JSON or XML, the wrong shape) is a `SourceError` that costs only that request.
 */
import type { z } from 'zod';
import type { Logger } from '../log.js';

/** Why a request to a source gave nothing usable. */
export type SourceFailure = 'not-found' | 'http' | 'timeout' | 'network' | 'shape' | 'rate-limited';

/** A request that failed after its retries, or whose answer was unusable: the service, the URL and why. */
export class SourceError extends Error {
  override name = 'SourceError';
  readonly kind: SourceFailure;
  readonly status: number | null;
  readonly url: string;

  constructor(service: string, url: string, kind: SourceFailure, detail: string, status: number | null = null, options?: { cause?: unknown }) {
    super(`${service}: ${detail} (${redact(url)})`, options);
    this.kind = kind;
    this.status = status;
    this.url = redact(url);
  }
}

/** How one service wants to be called. */
export interface PoliteOptions {
  /** The service's name, for messages: `OpenAlex`. */
  service: string;
  /** The lab's contact address, sent in the User-Agent (and by the clients as `mailto` where the service takes it). */
  contact: string;
  /** The least time between the starts of two requests: arXiv asks for 3 s, OpenAlex for a few requests a second. */
  intervalMs: number;
  /** How long one attempt may take; default 30 s. */
  timeoutMs?: number;
  /** Attempts after the first; default 4. */
  retries?: number;
  /** The first backoff; each retry doubles it (with up to a quarter of jitter); default 1 s. */
  backoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails (and is tried at the next refresh); default 120 s. */
  maxRetryAfterMs?: number;
  log: Logger;
}

/** What each service's client is made with: its base URL and the lab's contact, and the etiquette's knobs. */
export interface ServiceOptions {
  baseUrl: string;
  contact: string;
  log: Logger;
  /** Between two requests' starts; each service has its own default. */
  intervalMs?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

/** The polite client of one service, with the service's default spacing where the options give none. */
export function politeClientFor(service: string, defaultIntervalMs: number, options: ServiceOptions): PoliteClient {
  return new PoliteClient({
    service,
    contact: options.contact,
    intervalMs: options.intervalMs ?? defaultIntervalMs,
    log: options.log,
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** A successful answer's text and content type. */
export interface SourceResponse {
  status: number;
  contentType: string;
  text: string;
}

/** One service's requests, queued one at a time and spaced. */
export class PoliteClient {
  readonly service: string;
  readonly #options: PoliteOptions;
  #queue: Promise<unknown> = Promise.resolve();
  /** When the last answer (or failure) came in: the next request waits `intervalMs` from there. */
  #lastDone = 0;
  /** Until when the service counts as unreachable (it could not be reached after the retries): requests fail at once. */
  #downUntil = 0;

  constructor(options: PoliteOptions) {
    this.service = options.service;
    this.#options = options;
  }

  /** The User-Agent every request carries: the application and the contact, as OpenAlex and Crossref ask. */
  get userAgent(): string {
    return `paperbot/${VERSION} (mailto:${this.#options.contact})`;
  }

  /** GETs `url` expecting `accept`; retried as the service's etiquette allows. Throws a `SourceError`. */
  get(url: URL, accept: string): Promise<SourceResponse> {
    const run = this.#queue.then(() => this.#attempts(url, accept));
    // The queue goes on whatever this request's fate.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** GETs JSON and checks it against `schema`; anything else is a `SourceError` of kind `shape`. */
  async getJson<T>(url: URL, schema: z.ZodType<T>): Promise<T> {
    const response = await this.get(url, 'application/json');
    if (!/json/i.test(response.contentType)) {
      throw new SourceError(this.service, url.href, 'shape', `answered ${describeType(response)} instead of JSON`, response.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch (error) {
      throw new SourceError(this.service, url.href, 'shape', 'answered malformed JSON', response.status, { cause: error });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'unknown';
      throw new SourceError(this.service, url.href, 'shape', `answered JSON of the wrong shape at ${where}`, response.status, { cause: parsed.error });
    }
    return parsed.data;
  }

  async #attempts(url: URL, accept: string): Promise<SourceResponse> {
    const { retries = DEFAULT_RETRIES, backoffMs = DEFAULT_BACKOFF_MS, maxRetryAfterMs = DEFAULT_MAX_RETRY_AFTER_MS } = this.#options;
    if (Date.now() < this.#downUntil) throw new SourceError(this.service, url.href, 'network', 'cannot be reached (it could not a moment ago); not tried again until later');
    for (let attempt = 0; ; attempt += 1) {
      await this.#spaced();
      const outcome = await this.#once(url, accept);
      this.#lastDone = Date.now();
      if (!(outcome instanceof SourceError)) return outcome.response;
      const retryAfter = outcome instanceof RetryableError ? outcome.retryAfterMs : null;
      const retryable = outcome instanceof RetryableError;
      // A service that cannot be reached at all is tried less often than one that answers with an error.
      const unreachable = outcome.kind === 'network' || outcome.kind === 'timeout';
      if (retryable && unreachable && attempt >= Math.min(retries, UNREACHABLE_RETRIES)) {
        this.#downUntil = Date.now() + DOWN_MS;
        throw outcome.final();
      }
      if (!retryable || attempt >= retries) throw outcome instanceof RetryableError ? outcome.final() : outcome;
      if (retryAfter !== null && retryAfter > maxRetryAfterMs) {
        throw new SourceError(this.service, url.href, 'rate-limited', `asked to wait ${Math.round(retryAfter / 1000)} s (Retry-After); tried again at the next refresh`, outcome.status);
      }
      const wait = retryAfter ?? backoffMs * 2 ** attempt * (1 + Math.random() / 4);
      this.#options.log.info('sources: request failed; trying again', { service: this.service, url: redact(url.href), reason: outcome.message, waitMs: Math.round(wait), attempt: attempt + 1 });
      await sleep(wait);
    }
  }

  // One attempt: the response, or the error (a `RetryableError` where trying again may help).
  async #once(url: URL, accept: string): Promise<{ response: SourceResponse } | SourceError> {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers: { accept, 'user-agent': this.userAgent }, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return timedOut
        ? new RetryableError(this.service, url.href, 'timeout', `no answer within ${timeoutMs} ms`, null, null, { cause: error })
        : new RetryableError(this.service, url.href, 'network', `cannot be reached: ${describeCause(error)}`, null, null, { cause: error });
    }
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok) return { response: { status, contentType, text } };
    if (status === 404) return new SourceError(this.service, url.href, 'not-found', 'has no such record (404)', status);
    if (status === 429 || status === 503) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return new RetryableError(this.service, url.href, status === 429 ? 'rate-limited' : 'http', `answered ${status}`, status, retryAfter);
    }
    if (status >= 500 || status === 408) return new RetryableError(this.service, url.href, 'http', `answered ${status}`, status, null);
    return new SourceError(this.service, url.href, 'http', `answered ${status}${/html/i.test(contentType) ? ' (an HTML page)' : ''}`, status);
  }

  // Waits until `intervalMs` has passed since the last answer came in: counted from the answer, not from the
  // request, the gap holds as the service sees it, whatever the connection's set-up cost the request before.
  async #spaced(): Promise<void> {
    const wait = this.#lastDone + this.#options.intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

/** A failure worth trying again, with the wait the service asked for (ms), where it did. */
class RetryableError extends SourceError {
  readonly retryAfterMs: number | null;
  readonly #args: ConstructorParameters<typeof SourceError>;

  constructor(service: string, url: string, kind: SourceFailure, detail: string, status: number | null, retryAfterMs: number | null, options?: { cause?: unknown }) {
    super(service, url, kind, detail, status, options);
    this.retryAfterMs = retryAfterMs;
    this.#args = [service, url, kind, `${detail}, and again after every retry`, status, options];
  }

  /** The plain error to throw once the retries are spent. */
  final(): SourceError {
    return new SourceError(...this.#args);
  }
}

/**
 * A `Retry-After` header as milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 §10.2.3); null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The URL without its `mailto` (logs need not carry the lab's address). */
function redact(url: string): string {
  return url.replace(/([?&]mailto=)[^&]*/, '$1…');
}

function describeType(response: SourceResponse): string {
  if (/html/i.test(response.contentType) || /^\s*<(!doctype|html)/i.test(response.text)) return 'an HTML page';
  return response.contentType ? `"${response.contentType.split(';')[0]}"` : 'no content type';
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const VERSION = '0.1.0';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 4;
const DEFAULT_BACKOFF_MS = 1_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;
/** Retries of a request whose service could not be reached at all (refused, reset, timed out). */
const UNREACHABLE_RETRIES = 2;
/** How long a service that could not be reached is not asked again. */
const DOWN_MS = 60_000;
