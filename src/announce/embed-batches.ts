/**
 * Splits announcements into messages Discord accepts: at most 10 embeds and at most
 * 6000 characters over all embeds of one message, keeping the order and dropping nothing.
 */
import type { APIEmbed } from 'discord.js';
import { embedLength, fitEmbed } from '../discord/embeds.js';
import { LIMITS } from '../discord/limits.js';

/** One message's worth: the items and their embeds, in order. */
export interface Batch<T> {
  items: T[];
  embeds: APIEmbed[];
}

/**
 * Groups `entries` (in order) into consecutive batches within the per-message limits.
 * Every entry lands in exactly one batch; an embed too long on its own is first cut to fit a message alone.
 */
export function batchEmbeds<T>(entries: ReadonlyArray<{ item: T; embed: APIEmbed }>): Batch<T>[] {
  const batches: Batch<T>[] = [];
  let current: Batch<T> = { items: [], embeds: [] };
  let length = 0;
  for (const entry of entries) {
    const embed = fitEmbed(entry.embed, LIMITS.embedTotal);
    const size = embedLength(embed);
    const full = current.embeds.length >= LIMITS.embedsPerMessage || length + size > LIMITS.embedTotal;
    if (current.embeds.length > 0 && full) {
      batches.push(current);
      current = { items: [], embeds: [] };
      length = 0;
    }
    current.items.push(entry.item);
    current.embeds.push(embed);
    length += size;
  }
  if (current.embeds.length > 0) batches.push(current);
  return batches;
}
