import { DiscordAPIError, HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/announce/retry.js';

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
