/**
 * /announce preview — what would be announced next, and where (only the asker sees it).
 * /announce now — post the waiting papers at once.
 * Both need Manage Server: by default (default_member_permissions) and checked here too,
 * since server admins can give the command to anyone in the integration settings.
 */
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { batchEmbeds } from '../src/announce/messages.js';
import type { Paper } from '../src/corpus/schema.js';
import { UserError, type AnnouncementControl, type Command, type CommandContext, type Invoker, type Reply } from '../src/discord/command.js';
import { escapeText, formatPaperDate, paperEmbed } from '../src/discord/embeds.js';
import { LIMITS, truncate } from '../src/discord/limits.js';
import { SUBCOMMAND_OPTION } from '../src/discord/options.js';

/** Offline (`npm run ask`) there is no announcer: it lives in the running bot. */
const OFFLINE =
  'Announcements run only in the bot itself: start it with `npm start` and ANNOUNCE_CHANNEL_ID set, then use /announce in Discord. `ask` runs commands offline, with no announcer.';

/** Longest title shown on one line of the preview. */
const PREVIEW_TITLE_MAX = 120;

export default {
  data: new SlashCommandBuilder()
    .setName('announce')
    .setDescription('New-paper announcements: see what is waiting, or post it now')
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) => sub.setName('preview').setDescription('Show the papers that would be announced next, and where'))
    .addSubcommand((sub) => sub.setName('now').setDescription('Post the waiting papers to the announcement channel now'))
    .toJSON(),

  async execute(request, ctx) {
    const announcements = control(request.invoker, ctx);
    const subcommand = request.options[SUBCOMMAND_OPTION];
    if (subcommand === 'preview') return previewReply(announcements, request.invoker.guildId);
    if (subcommand === 'now') return nowReply(announcements, request.invoker.guildId, await announcements.postNow(request.invoker.guildId));
    throw new UserError('Use /announce preview or /announce now.');
  },
} satisfies Command;

// The permission check comes first: a member without Manage Server learns nothing about the setup.
function control(invoker: Invoker, ctx: CommandContext): AnnouncementControl {
  const permissions = invoker.permissions;
  const allowed = permissions !== null && (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!allowed) throw new UserError('Only members with the Manage Server permission can use /announce.');
  if (!ctx.announcements) throw new UserError(ctx.offline ? OFFLINE : 'Announcements are not running in this bot process.');
  return ctx.announcements;
}

function previewReply(announcements: AnnouncementControl, guildId: string | null): Reply {
  const { channelId, pending, retryAt, lastError } = announcements.preview(guildId);
  const where = channelId ? `<#${channelId}>` : 'no channel (set one with /settings announce)';
  const lines: string[] = [];
  if (pending.length === 0) {
    lines.push(`Nothing is waiting to be announced in ${where}. Papers added to the corpus are posted there as their page is read.`);
  } else {
    const messages = batchEmbeds(pending.map((paper) => ({ item: paper, embed: paperEmbed(paper) }))).length;
    lines.push(`${countOf(pending.length, 'paper')} would be announced next in ${where}, oldest first, in ${countOf(messages, 'message')}:`);
  }
  if (lastError) {
    const when = retryAt ? ` The next try is <t:${Math.ceil(retryAt.getTime() / 1_000)}:R>; /announce now tries at once.` : '';
    lines.push(`Posting is failing: ${lastError}.${when}`);
  }
  return { content: withPaperLines(lines, pending), ephemeral: true };
}

function nowReply(announcements: AnnouncementControl, guildId: string | null, result: { posted: number; pending: number; error: string | null }): Reply {
  const { channelId } = announcements.preview(guildId);
  const where = channelId ? `<#${channelId}>` : 'the announcement channel';
  if (result.error !== null) {
    const posted = result.posted > 0 ? `Posted ${countOf(result.posted, 'paper')} to ${where}, then posting failed` : `Posting to ${where} failed`;
    const retried = result.pending === 1 ? 'it is' : 'they are';
    return { content: `${posted}: ${result.error}. ${countOf(result.pending, 'paper')} still waiting; ${retried} retried automatically.`, ephemeral: true };
  }
  if (result.posted === 0) return { content: `Nothing was waiting to be announced in ${where}.`, ephemeral: true };
  return { content: `Posted ${countOf(result.posted, 'paper')} to ${where}.`, ephemeral: true };
}

// The header lines, then one line per paper while they fit in a message, then how many more.
function withPaperLines(header: string[], papers: Paper[]): string {
  let content = header.join('\n');
  for (const [index, paper] of papers.entries()) {
    const line = `\n• ${escapeText(truncate(paper.title, PREVIEW_TITLE_MAX))} (${formatPaperDate(paper)})`;
    const rest = papers.length - index - 1;
    const more = rest > 0 ? `\n… and ${rest} more` : '';
    const moreIfStopped = `\n… and ${rest + 1} more`;
    if (content.length + line.length + more.length > LIMITS.messageContent) return `${content}${moreIfStopped}`;
    content += line;
  }
  return content;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
