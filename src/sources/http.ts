/** How the sources call other people's APIs: one request at a time, spaced, timed out, Retry-After honoured, backoff on failure. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { Logger } from '../log.js';

type SourceFailure = 'not-found' | 'http' | 'timeout' | 'network' | 'shape' | 'rate-limited';

/** A request that failed after its retries, or whose answer was unusable: the service, the URL and why. */
export class SourceError extends Error {
  override name = 'SourceError';

  constructor(service: string, url: string, readonly kind: SourceFailure, detail: string, options?: { cause?: unknown }) {
    super(`${service}: ${detail} (${redact(url)})`, options);
  }
}

/** What each service's client is made with: its base URL, the lab's contact, and the etiquette's knobs. */
export interface ServiceOptions {
  baseUrl: string;
  contact: string;
  log: Logger;
  /** The least time between two requests; each service has its own default. */
  intervalMs?: number;
  /** The first backoff; each retry doubles it (with up to a quarter of jitter). */
  backoffMs?: number;
}

/** A successful answer's text and content type. */
export interface SourceResponse {
  contentType: string;
  text: string;
}

/** One attempt's failure, and whether (and after how long, where the service said) to try again. */
interface Failure {
  kind: SourceFailure;
  detail: string;
  retry: boolean;
  retryAfterMs?: number | null;
  cause?: unknown;
}

/** One service's requests, queued one at a time and spaced. */
export class PoliteClient {
  readonly #etiquette: { service: string; intervalMs: number; mailto: boolean };
  readonly #options: ServiceOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #lastDone = 0;
  /** Until when the service counts as unreachable (it could not be reached after the retries): requests fail at once. */
  #downUntil = 0;

  /** `etiquette`: the service's name, the least time between two requests it asks for, and whether it takes `mailto`. */
  constructor(etiquette: { service: string; intervalMs: number; mailto: boolean }, options: ServiceOptions) {
    this.#etiquette = { ...etiquette, intervalMs: options.intervalMs ?? etiquette.intervalMs };
    this.#options = options;
  }

  /** `path` under the service's base URL, with `params` and, where the service takes it, the contact as `mailto`. */
  url(path: string, params: Record<string, string> = {}): URL {
    const url = new URL(`${this.#options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    if (this.#etiquette.mailto) url.searchParams.set('mailto', this.#options.contact);
    return url;
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
    const shape = (detail: string, cause?: unknown): SourceError => new SourceError(this.#etiquette.service, url.href, 'shape', detail, { cause });
    if (!/json/i.test(response.contentType)) {
      const type = isHtml(response) ? 'an HTML page' : response.contentType ? `"${response.contentType.split(';')[0]}"` : 'no content type';
      throw shape(`answered ${type} instead of JSON`);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch (error) {
      throw shape('answered malformed JSON', error);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw shape(`answered JSON of the wrong shape at ${firstIssue(parsed.error)}`, parsed.error);
    return parsed.data;
  }

  async #attempts(url: URL, accept: string): Promise<SourceResponse> {
    const { service } = this.#etiquette;
    if (Date.now() < this.#downUntil) throw new SourceError(service, url.href, 'network', 'cannot be reached (it could not a moment ago); not tried again until later');
    for (let attempt = 0; ; attempt += 1) {
      // Counted from the last answer, not the request: the gap holds as the service sees it.
      const gap = this.#lastDone + this.#etiquette.intervalMs - Date.now();
      if (gap > 0) await sleep(gap);
      const outcome = await this.#once(url, accept);
      this.#lastDone = Date.now();
      if ('response' in outcome) return outcome.response;
      const error = (more = ''): SourceError =>
        new SourceError(service, url.href, outcome.kind, `${outcome.detail}${more}`, { cause: outcome.cause });
      if (!outcome.retry) throw error();
      // A service that cannot be reached at all is tried less often than one that answers with an error.
      const unreachable = outcome.kind === 'network' || outcome.kind === 'timeout';
      if (attempt >= (unreachable ? UNREACHABLE_RETRIES : RETRIES)) {
        if (unreachable) this.#downUntil = Date.now() + DOWN_MS;
        throw error(', and again after every retry');
      }
      const retryAfter = outcome.retryAfterMs ?? null;
      // A longer wait than this is not waited for: the request fails, and is tried at the next refresh.
      if (retryAfter !== null && retryAfter > MAX_RETRY_AFTER_MS) {
        throw new SourceError(service, url.href, 'rate-limited', `asked to wait ${Math.round(retryAfter / 1000)} s (Retry-After); tried again at the next refresh`);
      }
      const wait = retryAfter ?? (this.#options.backoffMs ?? BACKOFF_MS) * 2 ** attempt * (1 + Math.random() / 4);
      this.#options.log.info('sources: request failed; trying again', { service, url: redact(url.href), reason: error().message, waitMs: Math.round(wait), attempt: attempt + 1 });
      await sleep(wait);
    }
  }

  async #once(url: URL, accept: string): Promise<{ response: SourceResponse } | Failure> {
    let response: Response;
    let text: string;
    try {
      // The User-Agent names the application and the contact, as OpenAlex and Crossref ask.
      const headers = { accept, 'user-agent': `paperbot/${VERSION} (mailto:${this.#options.contact})` };
      response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
      text = await response.text();
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      if (timedOut) return { kind: 'timeout', detail: `no answer within ${TIMEOUT_MS} ms`, retry: true, cause };
      return { kind: 'network', detail: `cannot be reached: ${describeCause(cause)}`, retry: true, cause };
    }
    const status = response.status;
    const contentType = response.headers.get('content-type') ?? '';
    if (response.ok) return { response: { contentType, text } };
    if (status === 404) return { kind: 'not-found', detail: 'has no such record (404)', retry: false };
    if (status === 429 || status === 503) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return { kind: status === 429 ? 'rate-limited' : 'http', detail: `answered ${status}`, retry: true, retryAfterMs };
    }
    if (status >= 500 || status === 408) return { kind: 'http', detail: `answered ${status}`, retry: true };
    return { kind: 'http', detail: `answered ${status}${/html/i.test(contentType) ? ' (an HTML page)' : ''}`, retry: false };
  }
}

/** For a request's `.catch`: null where the service has no such record (404); any other error is thrown again. */
export function nullWhenNotFound(error: unknown): null {
  if (error instanceof SourceError && error.kind === 'not-found') return null;
  throw error;
}

/** A zod error's first issue, for a message: `meta.count: Invalid input…`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'unknown';
}

/** True for an HTML page, by its content type or its first tag. */
export function isHtml(response: SourceResponse): boolean {
  return /html/i.test(response.contentType) || /^\s*<(!doctype\s+html|html)/i.test(response.text);
}

/** A `Retry-After` header (delay-seconds or an HTTP date, RFC 9110 §10.2.3) as ms from `now`; null when unreadable. */
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

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

const VERSION = '0.1.0';
const TIMEOUT_MS = 30_000;
/** Attempts after the first. */
const RETRIES = 4;
const BACKOFF_MS = 1_000;
const MAX_RETRY_AFTER_MS = 120_000;
/** Retries of a request whose service could not be reached at all (refused, reset, timed out). */
const UNREACHABLE_RETRIES = 2;
const DOWN_MS = 60_000;
