/**
 * What the bot asks Discord over REST about servers, members and DMs, with the Guilds intent only (no privileged
 * intents): whether it can announce in a channel (the channel, the server's roles and its own member, fetched, and
 * discord.js's permission arithmetic over the overwrites), whether a member is still in a server, and sending a DM.
 */
import { ChannelType, DiscordAPIError, PermissionFlagsBits, Routes, type Client, type REST } from 'discord.js';
import type { GuildAccess } from './command.js';

/** What announcing in a channel needs, with the names Discord's settings show. */
export const ANNOUNCE_PERMISSIONS: ReadonlyArray<readonly [bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/** Discord's codes for a member or server that is not (or no longer) there. */
const UNKNOWN_MEMBER = 10007;
const UNKNOWN_GUILD = 10004;
const UNKNOWN_CHANNEL = 10003;
const MISSING_ACCESS = 50001;

/** Server questions answered by the logged-in client. */
export function guildAccess(client: Client): GuildAccess {
  return {
    async channelProblem(guildId, channelId) {
      let channel;
      try {
        channel = await client.channels.fetch(channelId, { force: true });
      } catch (error) {
        if (error instanceof DiscordAPIError && (error.code === UNKNOWN_CHANNEL || error.code === MISSING_ACCESS)) {
          return 'the bot cannot see that channel: give it View Channel there';
        }
        throw error;
      }
      if (!channel || channel.isDMBased() || channel.guildId !== guildId) return 'that channel is not in this server';
      if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) return 'that is not a text or announcement channel';
      const guild = await client.guilds.fetch(guildId);
      await guild.roles.fetch(undefined, { force: true });
      const me = await guild.members.fetchMe({ force: true });
      const granted = channel.permissionsFor(me);
      const missing = ANNOUNCE_PERMISSIONS.filter(([flag]) => !granted.has(flag, true)).map(([, name]) => name);
      if (missing.length === 0) return null;
      return `the bot is missing ${missing.join(', ')} in that channel: give it ${missing.length === 1 ? 'that permission' : 'those permissions'} there (channel settings → Permissions)`;
    },
  };
}

/** True when the member is in the server; false when Discord answers Unknown Member or Unknown Guild. Other errors reject. */
export async function isGuildMember(rest: REST, guildId: string, userId: string): Promise<boolean> {
  try {
    await rest.get(Routes.guildMember(guildId, userId));
    return true;
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.code === UNKNOWN_MEMBER || error.code === UNKNOWN_GUILD)) return false;
    throw error;
  }
}

/** Sends a message to the member's DM channel, opening it first (Discord returns the same channel every time). */
export function directMessages(rest: REST): (userId: string, body: object) => Promise<void> {
  const channels = new Map<string, string>();
  return async (userId, body) => {
    let channelId = channels.get(userId);
    if (channelId === undefined) {
      const opened = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      channelId = opened.id;
      channels.set(userId, channelId);
    }
    await rest.post(Routes.channelMessages(channelId), { body });
  };
}
