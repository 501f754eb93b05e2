import fc from 'fast-check';
import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffDelay, describeFailure } from '../../src/announce/failure.js';

const apiError = (code: number, status: number, message: string): DiscordAPIError =>
  new DiscordAPIError({ code, message }, code, status, 'POST', '/channels/1/messages', {});

describe('describing a failed post', () => {
  it('names the fix for the channel errors Discord gives', () => {
    expect(describeFailure(apiError(50001, 403, 'Missing Access')).message).toMatchInlineSnapshot(
      `"the bot cannot see the channel (Missing Access); give it View Channel there (403, code 50001)"`,
    );
    expect(describeFailure(apiError(50013, 403, 'Missing Permissions')).message).toMatchInlineSnapshot(
      `"the bot may not post in the channel (Missing Permissions); give it Send Messages and Embed Links there (403, code 50013)"`,
    );
    expect(describeFailure(apiError(10003, 404, 'Unknown Channel')).message).toMatchInlineSnapshot(
      `"the channel does not exist (deleted?); pick another with /settings announce channel (404, code 10003)"`,
    );
  });

  it('reads retry-after from a raw 429 body in seconds', () => {
    const error = new DiscordAPIError({ code: 0, message: 'You are being rate limited.', retry_after: 2.5 } as never, 0, 429, 'POST', '/x', {});
    expect(describeFailure(error)).toMatchObject({ key: 'rate-limited', retryAfterMs: 2_500 });
  });

  it('groups server errors by status and network errors by name', () => {
    expect(describeFailure(new HTTPError(502, 'Bad Gateway', 'POST', '/x', {})).key).toBe('http-502');
    expect(describeFailure(new TypeError('fetch failed'))).toMatchObject({ key: 'error-TypeError', message: 'the post failed: fetch failed' });
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).key).toBe('error-ECONNREFUSED');
  });
});

describe('backoff', () => {
  it('grows from about 5 s and never exceeds 10 min, nor falls below half its step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, random) => {
        const delay = backoffDelay(attempt, null, () => random);
        const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 30));
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(BACKOFF_MAX_MS);
      }),
    );
  });

  it('doubles with each attempt at full jitter', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, null, () => 1))).toEqual([5_000, 10_000, 20_000, 40_000, 600_000]);
  });

  it('honours a retry-after longer than the backoff, up to the cap', () => {
    expect(backoffDelay(1, 30_000, () => 0)).toBe(30_000);
    expect(backoffDelay(1, 3_600_000, () => 0)).toBe(BACKOFF_MAX_MS);
  });
});
