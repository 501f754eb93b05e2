import fc from 'fast-check';
import { ButtonStyle, ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_LIFETIME_MS,
  customId,
  isExpired,
  issueStamp,
  memoryPagingStore,
  PAGING_KEY_MAX,
  packState,
  pagedComponents,
  parseCustomId,
  parseIssueStamp,
  unpackState,
} from '../../src/discord/components.js';
import { fitComponents, toPayload } from '../../src/discord/payload.js';

describe('custom ids', () => {
  it('split back into command, action and arguments', () => {
    expect(parseCustomId(customId('search', 'page', '2', 'tp6myv', 'icausal'))).toEqual({ command: 'search', action: 'page', args: ['2', 'tp6myv', 'icausal'] });
  });

  it('refuse to grow past 100 characters', () => {
    expect(() => customId('search', 'page', 'x'.repeat(100))).toThrow(/custom_id of 112 characters/);
  });

  it('round-trip any paging state, inline when it fits and through the store when not', async () => {
    const store = memoryPagingStore(100);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 120 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 80 }), async (fields, room) => {
        const token = await packState(fields, room, store);
        expect(token.length <= room || /^s[\w-]{8}$/.test(token)).toBe(true);
        expect(token).not.toContain(':');
        expect(await unpackState(token, store)).toEqual(fields);
      }),
    );
  });

  it('put a pager of any state within the custom_id limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 200 }), { maxLength: 6 }), fc.integer({ min: 2, max: 99_999 }), async (fields, pages) => {
        const rows = await pagedComponents('coauthor', [], pages - 1, pages, new Date(), fields, memoryPagingStore());
        for (const c of rows.flatMap((row) => row.components)) if ('custom_id' in c) expect(c.custom_id.length).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('find nothing for a stored-state key that is malformed or never stored', async () => {
    const store = memoryPagingStore();
    expect(await unpackState('s', store)).toBeNull();
    expect(await unpackState(`s${'a'.repeat(PAGING_KEY_MAX + 1)}`, store)).toBeNull();
    expect(await unpackState('sab/cd', store)).toBeNull();
    expect(await unpackState('sabcdefgh', store)).toBeNull();
  });
});

describe('the paging store', () => {
  it('forgets the oldest entries past its capacity', async () => {
    const store = memoryPagingStore(2);
    const first = await store.put(['a'], 0);
    const second = await store.put(['b'], 0);
    const third = await store.put(['c'], 0);
    expect([await store.get(first, 0), await store.get(second, 0), await store.get(third, 0)]).toEqual([null, ['b'], ['c']]);
  });

  it('forgets entries older than 15 minutes', async () => {
    const store = memoryPagingStore(10);
    const key = await store.put(['a'], 0);
    expect(await store.get(key, COMPONENT_LIFETIME_MS)).toEqual(['a']);
    expect(await store.get(key, COMPONENT_LIFETIME_MS + 1)).toBeNull();
  });
});

describe('expiry', () => {
  const issued = new Date('2026-11-27T12:00:00Z');
  it('keeps a reply working for 15 minutes after it was issued', () => {
    expect(isExpired(issued, null, new Date(issued.getTime() + COMPONENT_LIFETIME_MS))).toBe(false);
    expect(isExpired(issued, null, new Date(issued.getTime() + COMPONENT_LIFETIME_MS + 1000))).toBe(true);
  });

  it('counts from the message creation time when it is older than the stamp', () => {
    const created = new Date(issued.getTime() - COMPONENT_LIFETIME_MS);
    expect(isExpired(issued, created, new Date(issued.getTime() + 1000))).toBe(true);
  });

  it('reads stamps back to the second', () => {
    expect(parseIssueStamp(issueStamp(issued))?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(parseIssueStamp('not a stamp!')).toBeNull();
  });
});

describe('payloads', () => {
  it('mark ephemeral replies with the flag and never allow mentions', () => {
    expect(toPayload({ content: '@everyone <@&1>', ephemeral: true })).toEqual({ content: '@everyone <@&1>', embeds: [], components: [], flags: 64, allowed_mentions: { parse: [] } });
  });

  it('cut content to 2000 characters without splitting a surrogate pair', () => {
    const content = toPayload({ content: '😀'.repeat(1500) }).content;
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('drop components whose custom id is too long or whose link is not http(s), and cut labels to 80', () => {
    const rows = fitComponents([
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'x'.repeat(100), custom_id: 'ok:1' },
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'long', custom_id: 'x'.repeat(101) },
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'bad', url: 'javascript:alert(1)' },
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'good', url: 'https://example.org/' },
        ],
      },
    ]);
    const labels = rows[0]?.components.map((c) => ('label' in c ? c.label : ''));
    expect(labels).toEqual(['x'.repeat(79) + '…', 'good']);
  });
});
