/**
 * The process's Prometheus metrics (prom-client), at the bottom of the imports so every part counts what it does
 * without knowing about the HTTP server that serves `/metrics`.
 */
import type { REST } from 'discord.js';
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

/** The registry `/metrics` prints: prom-client's default one, where each metric below registers itself. */
export const registry = register;
collectDefaultMetrics({ prefix: 'paperbot_' });

// Discord wants an answer within 3 s: buckets around that, finer below a second.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10];
const SEARCH_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Every metric paperbot exports; each one's `help` says what it counts. */
export const metrics = {
  interactions: new Counter({
    name: 'paperbot_interactions_total',
    help: 'Interactions answered, by kind, command and outcome',
    labelNames: ['kind', 'command', 'outcome'] as const,
  }),
  replyLatency: new Histogram({
    name: 'paperbot_reply_latency_seconds',
    help: 'Time from receiving an interaction to its answer being sent, by kind',
    labelNames: ['kind'] as const,
    buckets: LATENCY_BUCKETS,
  }),
  searchLatency: new Histogram({
    name: 'paperbot_search_latency_seconds',
    help: 'Time of one full-text search of the index',
    buckets: SEARCH_BUCKETS,
  }),
  corpusPapers: new Gauge({ name: 'paperbot_corpus_papers', help: 'Papers in the corpus being served' }),
  corpusProfiles: new Gauge({ name: 'paperbot_corpus_profiles', help: 'Profile pages in the corpus being served' }),
  corpusLoaded: new Gauge({ name: 'paperbot_corpus_last_reload_timestamp_seconds', help: 'When the corpus being served was loaded (Unix time)' }),
  /** A message carries up to 10 papers. */
  announcements: new Counter({
    name: 'paperbot_announcements_total',
    help: 'Announcement messages, by outcome (posted or failed)',
    labelNames: ['outcome'] as const,
  }),
  /** Counted once their message was accepted. */
  announcedPapers: new Counter({ name: 'paperbot_announced_papers_total', help: 'Papers announced' }),
  deliveries: new Counter({
    name: 'paperbot_deliveries_total',
    help: 'Follow deliveries, by outcome (posted or failed)',
    labelNames: ['outcome'] as const,
  }),
  /** 401s are bad signatures. */
  httpRequests: new Counter({
    name: 'paperbot_http_requests_total',
    help: 'HTTP requests served, by route and status code',
    labelNames: ['route', 'status'] as const,
  }),
  rateLimits: new Counter({
    name: 'paperbot_discord_rate_limits_total',
    help: 'Discord rate limits hit, by scope (global, route) and whether Discord answered 429',
    labelNames: ['scope', 'kind'] as const,
  }),
};

/** Counts the rate limits a REST client meets: those it waits out itself and the 429s Discord answers. */
export function countRateLimits(rest: REST): void {
  rest.on('rateLimited', (info) => metrics.rateLimits.inc({ scope: info.global ? 'global' : 'route', kind: 'held' }));
  rest.on('response', (_request, response) => {
    if (response.status === 429) metrics.rateLimits.inc({ scope: 'route', kind: '429' });
  });
}

/** Times `work` into `histogram` (seconds), also when it throws. */
export function timed<T>(histogram: Histogram, work: () => T): T {
  const end = histogram.startTimer();
  try {
    return work();
  } finally {
    end();
  }
}
