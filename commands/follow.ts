/**
 * /follow author name: | topic query: [category] [has_code] | category category: | list | clear — a member's own
 * alerts: when a new paper matches a follow, the member gets a direct message about it (src/announce/deliveries.ts).
 * Replies are private. At most 25 follows a member.
 */
import { SlashCommandBuilder } from 'discord.js';
import type { Kysely } from 'kysely';
import { addFollow, clearFollows, followsOf, lastDelivery, MAX_FOLLOWS, type Follow, type NewFollow } from '../src/db/follows.js';
import type { Database } from '../src/db/schema.js';
import { UserError, type Command, type CommandContext, type Invoker } from '../src/discord/command.js';
import { escapeText } from '../src/discord/embeds.js';
import { booleanOption, filterChoices, quote, resolveCategoryOption, resolvePersonOption, stringOption } from '../src/discord/options.js';
import { SUBCOMMAND_OPTION } from '../src/discord/options.js';
import { readQuery } from '../src/search/query.js';

/** How to open DMs, for a member whose DMs were closed. */
export const OPEN_DMS_HINT =
  'I could not send you the last paper: your direct messages are closed. To get follow alerts, open the server menu → Privacy Settings and turn on Direct Messages (from server members); the next paper is tried again.';

export default {
  data: new SlashCommandBuilder()
    .setName('follow')
    .setDescription('Get a direct message when a new paper by someone, or about something, comes in')
    .addSubcommand((sub) =>
      sub
        .setName('author')
        .setDescription('Follow a person: every new paper they are an author of')
        .addStringOption((option) => option.setName('name').setDescription('The person (pick from the suggestions)').setRequired(true).setMaxLength(100).setAutocomplete(true)),
    )
    .addSubcommand((sub) =>
      sub
        .setName('topic')
        .setDescription('Follow a search: every new paper with all of these words')
        .addStringOption((option) => option.setName('query').setDescription('Words, as for /search').setRequired(true).setMaxLength(200))
        .addStringOption((option) => option.setName('category').setDescription('Only this category: a code or arXiv name, e.g. ME or stat.ME').setMaxLength(50).setAutocomplete(true))
        .addBooleanOption((option) => option.setName('has_code').setDescription('Only papers with (true) or without (false) code')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('category')
        .setDescription('Follow a category: every new paper in it')
        .addStringOption((option) => option.setName('category').setDescription('A code or arXiv name, e.g. LG or cs.LG').setRequired(true).setMaxLength(50).setAutocomplete(true)),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription('Your follows, each with its last delivery'))
    .addSubcommand((sub) => sub.setName('clear').setDescription('Remove all your follows and what the bot kept about them'))
    .toJSON(),

  async execute(request, ctx) {
    const db = databaseOf(ctx);
    const subcommand = request.options[SUBCOMMAND_OPTION];
    if (subcommand === 'list') return { content: await listReply(db, request.invoker.userId, ctx), ephemeral: true };
    if (subcommand === 'clear') {
      const removed = await clearFollows(db, request.invoker.userId);
      const content = removed === 0 ? 'You had no follows; nothing was kept about you.' : `Removed your ${countOf(removed, 'follow')} and every delivery record about you.`;
      return { content, ephemeral: true };
    }
    const follow = newFollow(subcommand, request.options, request.invoker, ctx);
    const result = await addFollow(db, follow, ctx.now().getTime());
    if ('full' in result) {
      throw new UserError(`You already have ${MAX_FOLLOWS} follows, the most one member can have. Remove one with /unfollow first (/follow list shows them).`);
    }
    if ('duplicate' in result) return { content: `You already follow ${result.duplicate.label}.`, ephemeral: true };
    const count = (await followsOf(db, request.invoker.userId)).length;
    return {
      content: `Following ${result.added.label}. When a new paper matches, I'll send you a direct message (${count} of ${MAX_FOLLOWS} follows used).`,
      ephemeral: true,
    };
  },

  autocomplete(request, ctx) {
    return filterChoices(ctx.library().index, request.focused);
  },
} satisfies Command;

/** The database, or why follows are not available. */
function databaseOf(ctx: CommandContext): Kysely<Database> {
  if (!ctx.db) throw new UserError('Follows are not available: the bot has no database open.');
  return ctx.db;
}

// The follow the options describe, checked against the corpus; its label is how the member will see it.
function newFollow(subcommand: unknown, options: Record<string, string | number | boolean>, invoker: Invoker, ctx: CommandContext): NewFollow {
  if (invoker.guildId === null) throw new UserError('Use /follow in a server: alerts go to members of the servers the bot is in.');
  const index = ctx.library().index;
  const base = { userId: invoker.userId, guildId: invoker.guildId, category: null, hasCode: null };
  if (subcommand === 'author') {
    const person = resolvePersonOption(index, stringOption(options, 'name') ?? '', 'name');
    return { ...base, kind: 'author', value: person.key, label: `author ${escapeText(person.name)}` };
  }
  if (subcommand === 'category') {
    const category = resolveCategoryOption(index, stringOption(options, 'category') ?? '');
    return { ...base, kind: 'category', value: category.code, label: `category ${escapeText(category.label)} (${escapeText(category.arxiv)})` };
  }
  if (subcommand === 'topic') {
    const query = (stringOption(options, 'query') ?? '').replace(/\s+/g, ' ');
    if (!/[\p{L}\p{N}]/u.test(query)) throw new UserError('Give some words to follow, e.g. `slot attention`.');
    const read = readQuery(query);
    if (read.terms.length === 0 && read.years === null) {
      if (read.common.length > 0) throw new UserError(`${quote(query)} has only words too common to follow (like “the” or “of”): add a more specific word.`);
      throw new UserError(`${quote(query)} has no words to follow once mentions, links and one-letter words are left out: add a word about the topic.`);
    }
    const categoryText = stringOption(options, 'category');
    const category = categoryText === undefined ? null : resolveCategoryOption(index, categoryText);
    const hasCode = booleanOption(options, 'has_code') ?? null;
    const filters = [category ? `in ${escapeText(category.label)}` : '', hasCode === null ? '' : hasCode ? 'with code' : 'without code'].filter(Boolean);
    return {
      ...base,
      kind: 'topic',
      value: query,
      category: category?.code ?? null,
      hasCode,
      label: `topic ${quote(query)}${filters.length ? ` (${filters.join(', ')})` : ''}`,
    };
  }
  throw new UserError('Use /follow author, /follow topic, /follow category, /follow list or /follow clear.');
}

async function listReply(db: Kysely<Database>, userId: string, ctx: CommandContext): Promise<string> {
  const follows = await followsOf(db, userId);
  if (follows.length === 0) return 'You follow nothing yet. Try /follow author, /follow topic or /follow category.';
  const lines = [`You follow ${countOf(follows.length, 'thing')} (of ${MAX_FOLLOWS}):`];
  for (const follow of follows) lines.push(`• ${follow.label}: ${lastOf(follow, ctx)}`);
  const last = await lastDelivery(db, userId);
  if (last?.status === 'failed') lines.push('', `⚠️ ${OPEN_DMS_HINT}`);
  lines.push('', '/unfollow removes one; /follow clear removes all.');
  return lines.join('\n');
}

function lastOf(follow: Follow, ctx: CommandContext): string {
  if (follow.lastPaperId === null || follow.lastDeliveredAt === null) return 'nothing delivered yet';
  const paper = ctx.library().index.get(follow.lastPaperId);
  const what = paper ? quote(paper.title) : `paper ${follow.lastPaperId}`;
  return `last sent ${what} <t:${Math.floor(follow.lastDeliveredAt / 1_000)}:R>`;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
