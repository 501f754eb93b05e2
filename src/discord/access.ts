/** What the bot asks Discord over REST, with no privileged intents: can it announce in a channel, is a member still there; DMs. */
import {
  ChannelType, DiscordAPIError, OverwriteType, PermissionFlagsBits, PermissionsBitField, RESTJSONErrorCodes as Codes, Routes, type REST,
} from 'discord.js';
import type { GuildAccess } from './command.js';

/** What announcing in a channel needs, with the names Discord's settings show. */
const ANNOUNCE_PERMISSIONS: ReadonlyArray<readonly [bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

/** A channel as GET /channels/{id} returns it (the fields read). */
interface ChannelData {
  guild_id?: string;
  type: number;
  permission_overwrites?: Array<{ id: string; type: number; allow: string; deny: string }>;
}

/** Server questions answered over REST, so the gateway bot and the HTTP `serve` replicas check alike. */
export function guildAccess(rest: REST): GuildAccess {
  let botUserId: Promise<string> | null = null;
  const me = (): Promise<string> => {
    botUserId ??= (rest.get(Routes.user('@me')) as Promise<{ id: string }>).then((user) => user.id).catch((error: unknown) => {
      botUserId = null;
      throw error;
    });
    return botUserId;
  };
  return {
    async channelProblem(guildId, channelId) {
      const channel = await unless([Codes.UnknownChannel, Codes.MissingAccess], rest.get(Routes.channel(channelId)) as Promise<ChannelData>, null);
      if (!channel) return 'the bot cannot see that channel: give it View Channel there';
      if (channel.guild_id !== guildId) return 'that channel is not in this server';
      if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) return 'that is not a text or announcement channel';
      const userId = await me();
      const [roles, member] = await Promise.all([
        rest.get(Routes.guildRoles(guildId)) as Promise<Array<{ id: string; permissions: string }>>,
        rest.get(Routes.guildMember(guildId, userId)) as Promise<{ roles: string[] }>,
      ]);
      const granted = channelPermissions(guildId, userId, roles, member.roles, channel.permission_overwrites ?? []);
      const missing = ANNOUNCE_PERMISSIONS.filter(([flag]) => !granted.has(flag, true)).map(([, name]) => name);
      if (missing.length === 0) return null;
      return `the bot is missing ${missing.join(', ')} in that channel: give it ${missing.length === 1 ? 'that permission' : 'those permissions'} there (channel settings → Permissions)`;
    },
  };
}

/** A member's permissions in a channel, by Discord's documented order (the @everyone role's id is the server's). */
export function channelPermissions(
  guildId: string,
  userId: string,
  roles: ReadonlyArray<{ id: string; permissions: string }>,
  memberRoles: readonly string[],
  overwrites: ReadonlyArray<{ id: string; type: number; allow: string; deny: string }>,
): PermissionsBitField {
  const permissionsOf = new Map(roles.map((role) => [role.id, BigInt(role.permissions)]));
  let base = permissionsOf.get(guildId) ?? 0n;
  for (const roleId of memberRoles) base |= permissionsOf.get(roleId) ?? 0n;
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return new PermissionsBitField(PermissionsBitField.All);
  // The @everyone overwrite, then those of the member's roles together, then the member's own.
  const steps = [
    overwrites.filter((overwrite) => overwrite.id === guildId),
    overwrites.filter((overwrite) => overwrite.type === OverwriteType.Role && overwrite.id !== guildId && memberRoles.includes(overwrite.id)),
    overwrites.filter((overwrite) => overwrite.type === OverwriteType.Member && overwrite.id === userId),
  ];
  let permissions = base;
  for (const step of steps) {
    const bits = (kind: 'allow' | 'deny'): bigint => step.reduce((all, overwrite) => all | BigInt(overwrite[kind]), 0n);
    permissions = (permissions & ~bits('deny')) | bits('allow');
  }
  return new PermissionsBitField(permissions);
}

/** True when the member is in the server; false when Discord answers Unknown Member or Unknown Guild. Other errors reject. */
export function isGuildMember(rest: REST, guildId: string, userId: string): Promise<boolean> {
  return unless([Codes.UnknownMember, Codes.UnknownGuild], rest.get(Routes.guildMember(guildId, userId)).then(() => true), false);
}

// The request's answer, or `fallback` where Discord answers with one of `codes`; other errors reject.
async function unless<T, F>(codes: readonly number[], request: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof DiscordAPIError && typeof error.code === 'number' && codes.includes(error.code)) return fallback;
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
