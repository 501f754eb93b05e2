/**
 * /settings show | announce channel channel: | announce off | digest schedule: [weekday] [hour] — this server's
 * announcement channel and digest. Needs Manage Server: by default (default_member_permissions) and checked
 * here too, since server admins can give the command to anyone in the integration settings. Replies are private.
 */
import { ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { DIGEST_SCHEDULES, ensureGuild, guildSettings, setAnnounceChannel, setDigest, type DigestSchedule, type GuildSettings } from '../src/db/settings.js';
import { UserError, type Command, type CommandContext, type CommandRequest } from '../src/discord/command.js';
import { integerOption, stringOption } from '../src/discord/options.js';
import { SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from '../src/discord/options.js';

/** Weekdays as the option offers them, Sunday = 0 as cron counts. */
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const DEFAULT_WEEKDAY = 1;
const DEFAULT_HOUR = 9;

export default {
  data: new SlashCommandBuilder()
    .setName('settings')
    .setDescription("This server's announcement channel and digest")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) => sub.setName('show').setDescription("Show this server's settings"))
    .addSubcommandGroup((group) =>
      group
        .setName('announce')
        .setDescription('Where new papers are announced')
        .addSubcommand((sub) =>
          sub
            .setName('channel')
            .setDescription('Announce new papers in this channel')
            .addChannelOption((option) =>
              option.setName('channel').setDescription('A text or announcement channel the bot can post in').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
            ),
        )
        .addSubcommand((sub) => sub.setName('off').setDescription('Stop announcing new papers in this server')),
    )
    .addSubcommand((sub) =>
      sub
        .setName('digest')
        .setDescription('A daily or weekly message listing the new papers, in the announcement channel')
        .addStringOption((option) =>
          option
            .setName('schedule')
            .setDescription('off, daily or weekly')
            .setRequired(true)
            .addChoices(...DIGEST_SCHEDULES.map((value) => ({ name: value, value }))),
        )
        .addStringOption((option) =>
          option
            .setName('weekday')
            .setDescription('For a weekly digest: the day (default monday)')
            .addChoices(...WEEKDAYS.map((value) => ({ name: value, value }))),
        )
        .addIntegerOption((option) => option.setName('hour').setDescription(`The hour, UTC, 0–23 (default ${DEFAULT_HOUR})`).setMinValue(0).setMaxValue(23)),
    )
    .toJSON(),

  async execute(request, ctx) {
    const { db, guildId } = allowed(request, ctx);
    const now = ctx.now().getTime();
    await ensureGuild(db, guildId, { announceChannelId: null }, now);
    const group = request.options[SUBCOMMAND_GROUP_OPTION];
    const subcommand = request.options[SUBCOMMAND_OPTION];
    if (group === 'announce' && subcommand === 'channel') {
      const channelId = stringOption(request.options, 'channel') ?? '';
      if (!/^\d{1,20}$/.test(channelId)) throw new UserError('Pick a channel from the list.');
      const problem = ctx.guilds ? await ctx.guilds.channelProblem(guildId, channelId) : null;
      if (problem) throw new UserError(`I can't announce in <#${channelId}>: ${problem}.`);
      await setAnnounceChannel(db, guildId, channelId, now);
      await ctx.settingsChanged?.(guildId);
      return { content: `New papers will be announced in <#${channelId}>, each once, as their page is read.`, ephemeral: true };
    }
    if (group === 'announce' && subcommand === 'off') {
      await setAnnounceChannel(db, guildId, null, now);
      await ctx.settingsChanged?.(guildId);
      return { content: 'Announcements are off in this server (and so is the digest, which is posted in the announcement channel). /settings announce channel turns them back on.', ephemeral: true };
    }
    if (subcommand === 'digest') {
      const schedule = parseSchedule(stringOption(request.options, 'schedule'));
      const weekdayName = stringOption(request.options, 'weekday');
      const weekday = weekdayName === undefined ? DEFAULT_WEEKDAY : WEEKDAYS.indexOf(weekdayName as (typeof WEEKDAYS)[number]);
      if (weekday < 0) throw new UserError(`\`weekday\` must be one of ${WEEKDAYS.join(', ')}.`);
      const hour = integerOption(request.options, 'hour', 0, 23, DEFAULT_HOUR);
      await setDigest(db, guildId, { schedule, weekday, hour }, now);
      await ctx.settingsChanged?.(guildId);
      const settings = await guildSettings(db, guildId);
      if (schedule === 'off') return { content: 'The digest is off in this server.', ephemeral: true };
      const where = settings?.announceChannelId ? `in <#${settings.announceChannelId}>` : 'once an announcement channel is set (/settings announce channel)';
      return { content: `The digest will be posted ${whenText(schedule, weekday, hour)} ${where}, listing the papers found since the one before; none is posted when nothing new came in.`, ephemeral: true };
    }
    if (subcommand === 'show') return { content: showText(await guildSettings(db, guildId)), ephemeral: true };
    throw new UserError('Use /settings show, /settings announce channel, /settings announce off or /settings digest.');
  },
} satisfies Command;

// The permission check comes first: a member without Manage Server learns nothing about the setup.
function allowed(request: CommandRequest, ctx: CommandContext): { db: Kysely<Database>; guildId: string } {
  const permissions = request.invoker.permissions;
  const manage = permissions !== null && (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!manage) throw new UserError('Only members with the Manage Server permission can use /settings.');
  if (request.invoker.guildId === null) throw new UserError('Use /settings in a server: the settings are per server.');
  if (!ctx.db) throw new UserError('Settings are not available: the bot has no database open.');
  return { db: ctx.db, guildId: request.invoker.guildId };
}

function parseSchedule(text: string | undefined): DigestSchedule {
  const schedule = DIGEST_SCHEDULES.find((value) => value === text);
  if (!schedule) throw new UserError(`\`schedule\` must be one of ${DIGEST_SCHEDULES.join(', ')}.`);
  return schedule;
}

function whenText(schedule: DigestSchedule, weekday: number, hour: number): string {
  const at = `${String(hour).padStart(2, '0')}:00 UTC`;
  return schedule === 'weekly' ? `every ${capital(WEEKDAYS[weekday] ?? 'monday')} at ${at}` : `every day at ${at}`;
}

function showText(settings: GuildSettings | null): string {
  const channel = settings?.announceChannelId ? `<#${settings.announceChannelId}>` : 'off';
  const digest = settings && settings.digest.schedule !== 'off' ? whenText(settings.digest.schedule, settings.digest.weekday, settings.digest.hour) : 'off';
  return [`**Announcements:** ${channel}`, `**Digest:** ${digest}${digest !== 'off' && !settings?.announceChannelId ? ' (waiting for an announcement channel)' : ''}`, '', 'Change them with /settings announce and /settings digest.'].join('\n');
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
