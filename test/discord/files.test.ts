/** Files on a reply: what `toPayload` sends Discord (the `attachments` entries, the parts) within Discord's limits. */
import { describe, expect, it } from 'vitest';
import type { ReplyFile } from '../../src/discord/command.js';
import { payloadJson, toPayload } from '../../src/discord/payload.js';

const bytes = (n: number) => new Uint8Array(n).fill(7);
const file = (name: string, size = 4, description?: string): ReplyFile => ({ name, data: bytes(size), ...(description ? { description } : {}) });

describe('files on a reply', () => {
  it('lists each file under attachments with the id of its files[n] part, and keeps the bytes out of the JSON', () => {
    const payload = toPayload({ embeds: [{ title: 'Chart', image: { url: 'attachment://stats.png' } }], files: [file('stats.png', 4, 'A chart'), file('refs.ris', 2)] });
    expect(payload.attachments).toEqual([
      { id: 0, filename: 'stats.png', description: 'A chart' },
      { id: 1, filename: 'refs.ris' },
    ]);
    expect(payload.files?.map((f) => f.name)).toEqual(['stats.png', 'refs.ris']);
    expect(payload.embeds[0]?.image).toEqual({ url: 'attachment://stats.png' });
    expect(JSON.stringify(payloadJson(payload))).not.toContain('"files"');
  });

  it('sends neither attachments nor files without files, so an edit keeps what the message has', () => {
    const payload = toPayload({ content: 'text' });
    expect('attachments' in payload).toBe(false);
    expect('files' in payload).toBe(false);
  });

  it("drops an embed image naming a file the message does not carry, and keeps other images", () => {
    const payload = toPayload({ embeds: [{ title: 'a', image: { url: 'attachment://missing.png' }, thumbnail: { url: 'https://example.org/x.png' } }], files: [file('other.png')] });
    expect(payload.embeds[0]?.image).toBeUndefined();
    expect(payload.embeds[0]?.thumbnail).toEqual({ url: 'https://example.org/x.png' });
  });

  it('holds Discord limits: 10 files, none empty or over 10 MiB, safe and unique names, descriptions of 1024', () => {
    const many = toPayload({ content: 'x', files: Array.from({ length: 12 }, (_, i) => file(`f${i}.png`)) });
    expect(many.files).toHaveLength(10);
    const sized = toPayload({ content: 'x', files: [file('empty.png', 0), file('big.png', 10 * 1_024 * 1_024 + 1), file('ok.png', 10 * 1_024 * 1_024)] });
    expect(sized.files?.map((f) => f.name)).toEqual(['ok.png']);
    const named = toPayload({ content: 'x', files: [file('../../etc/pass wd.ris'), file('a.png'), file('a.png'), file('')] });
    expect(named.files?.map((f) => f.name)).toEqual(['etc_pass_wd.ris', 'a.png', 'a-2.png', 'file']);
    const described = toPayload({ content: 'x', files: [file('a.png', 1, 'd'.repeat(2_000))] });
    expect(described.attachments?.[0]?.description?.length).toBeLessThanOrEqual(1_024);
    const named2 = toPayload({ content: 'x', files: [file('a.png', 1, 'Network of Eve @everyone <@&123>')] });
    expect(named2.attachments?.[0]?.description).toBe('Network of Eve @\u200beveryone <@\u200b&123>');
  });

  it('needs no placeholder text when the reply is only a file', () => {
    expect(toPayload({ files: [file('refs.ris')] }).content).toBe('');
  });
});
