/** The bot's connection to Discord in the log, one line per episode: a gateway outage when it ends, a rate limit when it starts. */
import { Events, RESTEvents, type Client, type RateLimitData } from 'discord.js';
import type { Logger } from '../log.js';

/** A gateway outage lasting this long gets a warning while it lasts. */
const LONG_OUTAGE_MS = 30_000;
/** A rate-limit wait this long (or any global one) is logged as a warning, shorter ones as info. */
const LONG_RATE_LIMIT_MS = 10_000;

/** Turns the client's connection events into one log line per episode (`watch` hooks it in; tests call the rest). */
export function operationsLog(log: Logger, now: () => number = Date.now) {
  const outages = new Map<number, { since: number; attempts: number; timer: NodeJS.Timeout }>();
  const limits = new Map<string, { until: number; requests: number }>();
  const ops = {
    /** Hooks into `client`'s gateway and REST events. */
    watch(client: Client): void {
      client.on(Events.ShardReconnecting, (shardId) => ops.reconnecting(shardId));
      client.on(Events.ShardResume, (shardId, replayed) => ops.connected(shardId, 'resumed', replayed));
      client.on(Events.ShardReady, (shardId) => ops.connected(shardId, 'new session', 0));
      client.on(Events.ShardDisconnect, (event, shardId) => ops.disconnected(shardId, event.code));
      client.rest.on(RESTEvents.RateLimited, (info) => ops.rateLimited(info));
    },

    /** A shard's connection closed and discord.js is reconnecting. */
    reconnecting(shardId: number): void {
      const open = outages.get(shardId);
      if (open) {
        open.attempts += 1;
        return;
      }
      const since = now();
      const timer = setTimeout(() => {
        log.warn('gateway: still disconnected from Discord; discord.js keeps reconnecting', { shardId, downMs: now() - since });
      }, LONG_OUTAGE_MS);
      timer.unref();
      outages.set(shardId, { since, attempts: 1, timer });
      log.debug('gateway: connection closed; reconnecting', { shardId });
    },

    /** A shard is connected again: `resumed` (missed events replayed) or a `new session`. */
    connected(shardId: number, how: 'resumed' | 'new session', replayedEvents: number): void {
      const open = outages.get(shardId);
      if (!open) return;
      clearTimeout(open.timer);
      outages.delete(shardId);
      const fields = { shardId, downMs: now() - open.since, attempts: open.attempts };
      if (how === 'resumed') log.info('gateway: reconnected and resumed the session', { ...fields, replayedEvents });
      else log.info('gateway: reconnected with a new session (events while disconnected are lost)', fields);
    },

    /** A shard closed for good (an unrecoverable close code): the bot is offline until restarted. */
    disconnected(shardId: number, code: number): void {
      clearTimeout(outages.get(shardId)?.timer);
      outages.delete(shardId);
      log.error('gateway: disconnected for good; restart the bot', { shardId, code });
    },

    /** discord.js is holding a request back for a rate limit. */
    rateLimited(info: Pick<RateLimitData, 'global' | 'route' | 'method' | 'majorParameter' | 'timeToReset' | 'limit' | 'scope'>): void {
      const at = now();
      const bucket = info.global ? 'global' : `${info.method} ${info.route} ${info.majorParameter}`;
      const open = limits.get(bucket);
      const until = at + Math.max(0, info.timeToReset);
      if (open && at <= open.until) {
        open.requests += 1;
        open.until = Math.max(open.until, until);
        return;
      }
      limits.set(bucket, { until, requests: 1 });
      const fields = { route: info.route, method: info.method.toUpperCase(), global: info.global, scope: info.scope, limit: info.limit, waitMs: Math.max(0, info.timeToReset) };
      if (info.global || info.timeToReset >= LONG_RATE_LIMIT_MS) log.warn('discord: rate limited; requests wait', fields);
      else log.info('discord: rate limited; requests wait', fields);
    },
  };
  return ops;
}
