/** The messages announcing pending papers: one embed each, or one summary past `maxPapers`; nonces enforced (Discord drops a retry's repeat). */
import { createHash } from 'node:crypto';
import type { APIEmbed } from 'discord.js';
import { newestFirst } from '../corpus/merge.js';
import type { Paper } from '../corpus/schema.js';
import { EMBED_COLOUR, embedLength, escapeText, fitEmbed, fitEmbeds, paperEmbed, paperListEntry } from '../discord/embeds.js';
import { LIMITS } from '../discord/limits.js';

/** The body of one message the bot posts on its own (announcement, digest, follow DM); mentions are always off (a title can hold `@everyone`). */
export interface AnnouncementBody {
  content?: string;
  embeds: APIEmbed[];
  components?: unknown[];
  allowed_mentions: { parse: [] };
  /** Derived from what the message is about (`messageNonce`, `nonceOf`). */
  nonce: string;
  enforce_nonce: true;
}

/** One message to post and the papers it announces. */
export interface AnnouncementMessage {
  papers: Paper[];
  body: AnnouncementBody;
  /** True for the one summary of a big drop. */
  summary: boolean;
}

const SUMMARY_NEWEST = 5;

/** The messages announcing `pending` (oldest first): embeds in batches, or one summary over `maxPapers`; `scope` is in each nonce. */
export function announcementMessages(pending: readonly Paper[], maxPapers: number, scope = ''): AnnouncementMessage[] {
  if (pending.length > maxPapers) {
    return [{ papers: [...pending], body: messageBody(summaryEmbeds(pending), messageNonce('summary', pending, scope)), summary: true }];
  }
  return batchEmbeds(pending.map((paper) => ({ item: paper, embed: paperEmbed(paper) }))).map((batch) => ({
    papers: batch.items,
    body: messageBody(batch.embeds, messageNonce('papers', batch.items, scope)),
    summary: false,
  }));
}

/** One message's worth: the items and their embeds, in order. */
type Batch<T> = { items: T[]; embeds: APIEmbed[] };

/** `entries` in consecutive batches within Discord's per-message limits (10 embeds, 6000 characters); an embed too long alone is cut. */
export function batchEmbeds<T>(entries: ReadonlyArray<{ item: T; embed: APIEmbed }>): Batch<T>[] {
  const batches: Batch<T>[] = [];
  let length = 0;
  for (const entry of entries) {
    const embed = fitEmbed(entry.embed, LIMITS.embedTotal);
    const size = embedLength(embed);
    let current = batches.at(-1);
    if (!current || current.embeds.length >= LIMITS.embedsPerMessage || length + size > LIMITS.embedTotal) {
      current = { items: [], embeds: [] };
      batches.push(current);
      length = 0;
    }
    current.items.push(entry.item);
    current.embeds.push(embed);
    length += size;
  }
  return batches;
}

/** The nonce of a message announcing `papers` in `scope`, from the kind and the sorted ids. */
export function messageNonce(kind: 'papers' | 'summary', papers: readonly Paper[], scope = ''): string {
  return nonceOf(scope, `${kind}:${papers.map((paper) => paper.id).sort().join(',')}`);
}

/** The nonce of a message the bot may send again: 25 hex characters (Discord's most) of a hash of the scope and what it is about. */
export function nonceOf(scope: string, about: string): string {
  return createHash('sha256').update(`${scope}|${about}`, 'utf8').digest('hex').slice(0, 25);
}

/** The body of a message of these embeds under `nonce`, mentions off. */
export function messageBody(embeds: APIEmbed[], nonce: string): AnnouncementBody {
  return { embeds, allowed_mentions: { parse: [] }, nonce, enforce_nonce: true };
}

/** Papers per page owner (a paper on two pages counts for both), most papers first, each owner's newest first. */
export function papersByOwner(papers: readonly Paper[]): Array<{ owner: string; papers: Paper[] }> {
  const groups = new Map<string, Paper[]>();
  for (const paper of papers) for (const owner of paper.owners) pushTo(groups, owner, paper);
  return [...groups]
    .map(([owner, list]) => ({ owner, papers: list.sort(newestFirst) }))
    .sort((a, b) => b.papers.length - a.papers.length || a.owner.localeCompare(b.owner));
}

/** Appends `value` to the list at `key` in `map`. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The summary of a big drop: one embed per owner (the ninth on folded into a last one), each owner's newest listed, within Discord's limits. */
export function summaryEmbeds(papers: readonly Paper[]): APIEmbed[] {
  const groups = papersByOwner(papers);
  const shown = groups.length > LIMITS.embedsPerMessage ? groups.slice(0, LIMITS.embedsPerMessage - 1) : groups;
  const rest = groups.slice(shown.length);
  // Fewer newest per owner until every embed of the message fits the 6000 characters together.
  for (const newest of [SUMMARY_NEWEST, 3, 1, 0]) {
    const embeds = [...shown.map((group) => ownerEmbed(group.owner, group.papers, newest)), ...(rest.length > 0 ? [restEmbed(rest)] : [])];
    if (embeds.reduce((sum, embed) => sum + embedLength(embed), 0) <= LIMITS.embedTotal) return embeds;
  }
  return fitEmbeds(shown.map((group) => ownerEmbed(group.owner, group.papers, 0)));
}

function ownerEmbed(owner: string, papers: readonly Paper[], newest: number): APIEmbed {
  const count = papers.length;
  const listed = papers.slice(0, newest);
  const lines = [`**${escapeText(owner)}**'s page added **${count.toLocaleString('en-US')}** ${count === 1 ? 'paper' : 'papers'}.${listed.length > 0 ? ` The ${listed.length} newest:` : ''}`];
  for (const [i, paper] of listed.entries()) lines.push(paperListEntry(paper, i + 1));
  lines.push(`All of them, newest first: \`/search author:${owner.replace(/`/g, '')}\``);
  const description = lines.join('\n\n');
  return {
    title: `${count.toLocaleString('en-US')} new ${count === 1 ? 'paper' : 'papers'} from ${escapeText(owner)}`.slice(0, LIMITS.embedTitle),
    description: description.length <= LIMITS.embedDescription ? description : lines[0]!,
    color: EMBED_COLOUR,
  };
}

function restEmbed(groups: ReadonlyArray<{ owner: string; papers: Paper[] }>): APIEmbed {
  const lines = groups.map((group) => `${escapeText(group.owner)}: ${group.papers.length.toLocaleString('en-US')}`);
  const description = `${lines.join('\n')}\n\nFind each page's papers with \`/search author:\`.`;
  return {
    title: `And ${groups.length.toLocaleString('en-US')} more pages`,
    description: description.length <= LIMITS.embedDescription ? description : `${groups.length} more pages added papers; find them with \`/search author:\`.`,
    color: EMBED_COLOUR,
  };
}
