import { describe, expect, it } from 'vitest';
import { operationsLog } from '../../src/discord/operations.js';
import { createLogger } from '../../src/log.js';

function logged(): { ops: ReturnType<typeof operationsLog>; lines: Array<Record<string, unknown>>; at: (ms: number) => void } {
  const lines: Array<Record<string, unknown>> = [];
  let clock = 0;
  const ops = operationsLog(createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)), () => clock);
  return { ops, lines, at: (ms) => (clock = ms) };
}

const limit = { global: false, route: '/channels/:id/messages', method: 'post', majorParameter: '123', limit: 5, scope: 'user' as const };

describe('the operations log', () => {
  it('logs a gateway episode once, when it ends, with how long the bot was disconnected', () => {
    const { ops, lines, at } = logged();
    ops.connected(0, 'new session', 0);
    at(1_000);
    ops.reconnecting(0);
    at(1_500);
    ops.reconnecting(0);
    at(3_250);
    ops.connected(0, 'resumed', 4);
    ops.connected(0, 'new session', 0);
    expect(lines.map(({ level, msg, downMs, attempts, replayedEvents }) => ({ level, msg, downMs, attempts, replayedEvents }))).toEqual([
      { level: 'info', msg: 'gateway: reconnected and resumed the session', downMs: 2_250, attempts: 2, replayedEvents: 4 },
    ]);
  });

  it('says when a reconnect needed a new session', () => {
    const { ops, lines, at } = logged();
    ops.reconnecting(0);
    at(700);
    ops.connected(0, 'new session', 0);
    expect(lines.map((line) => [line.msg, line.downMs])).toEqual([['gateway: reconnected with a new session (events while disconnected are lost)', 700]]);
  });

  it('logs a rate limit once per episode with how long requests wait, and again once it is over', () => {
    const { ops, lines, at } = logged();
    ops.rateLimited({ ...limit, timeToReset: 2_000 });
    at(500);
    ops.rateLimited({ ...limit, timeToReset: 1_500 });
    at(1_999);
    ops.rateLimited({ ...limit, timeToReset: 1 });
    at(2_100);
    ops.rateLimited({ ...limit, timeToReset: 12_000 });
    ops.rateLimited({ ...limit, global: true, timeToReset: 800 });
    expect(lines.map(({ level, msg, waitMs, global }) => ({ level, msg, waitMs, global }))).toEqual([
      { level: 'info', msg: 'discord: rate limited; requests wait', waitMs: 2_000, global: false },
      { level: 'warn', msg: 'discord: rate limited; requests wait', waitMs: 12_000, global: false },
      { level: 'warn', msg: 'discord: rate limited; requests wait', waitMs: 800, global: true },
    ]);
  });
});
