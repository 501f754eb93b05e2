/**
 * INTERACTION_CREATE payloads built as Discord sends them (checked against discord-api-types at compile time):
 * slash commands with typed and resolved options, autocomplete with the focused option, button clicks and
 * string-select choices carrying the message they came from.
 */
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIGuildMember,
  APIInteractionDataResolved,
  APIMessage,
  APIMessageComponentInteraction,
  APIUser,
  GuildMemberFlags,
  Locale,
} from 'discord.js';
import type { CommandBody } from './validate.js';

/** Where and by whom an interaction happens. */
export interface InteractionPlace {
  applicationId: string;
  guildId: string;
  channelId: string;
  user: APIUser;
  /** The member's permissions in the channel, as a decimal bitfield. */
  memberPermissions: string;
  /** The bot's permissions in the channel. */
  appPermissions: string;
}

/** What a test passes for a command's options: values by option name. */
export type OptionInput = Record<string, string | number | boolean>;

type CommandOption = NonNullable<CommandBody['options']>[number];

/** A registered command as the stand-in stored it (with the id Discord assigned). */
export type RegisteredCommand = CommandBody & { id: string; application_id: string; version: string; guild_id?: string };

const EN_US = 'en-US' as Locale;

/** The slash command `line` ("search" or "announce now") with `input`, checked the way Discord's client checks it. */
export function chatInputInteraction(
  ids: { id: string; token: string },
  command: RegisteredCommand,
  line: string,
  input: OptionInput,
  place: InteractionPlace,
): APIChatInputApplicationCommandInteraction {
  const { options, resolved } = commandOptions(command, line, input, null);
  return {
    ...base(ids, place),
    type: 2,
    data: { id: command.id, name: command.name, type: 1, options, ...(resolved ? { resolved } : {}), ...(command.guild_id ? { guild_id: command.guild_id } : {}) },
  } satisfies APIChatInputApplicationCommandInteraction;
}

/** An autocomplete request while the member types `typed` into option `focused` of `line`. */
export function autocompleteInteraction(
  ids: { id: string; token: string },
  command: RegisteredCommand,
  line: string,
  input: OptionInput,
  focused: { name: string; typed: string },
  place: InteractionPlace,
): { payload: APIApplicationCommandAutocompleteInteraction; focusedType: number } {
  const { options, focusedType } = commandOptions(command, line, input, focused);
  const payload = {
    ...base(ids, place),
    type: 4,
    data: { id: command.id, name: command.name, type: 1, options, ...(command.guild_id ? { guild_id: command.guild_id } : {}) },
  } satisfies APIApplicationCommandAutocompleteInteraction;
  return { payload, focusedType: focusedType ?? 3 };
}

/** A click on the button `customId` of `message`. */
export function buttonInteraction(ids: { id: string; token: string }, message: APIMessage, customId: string, place: InteractionPlace): APIMessageComponentInteraction {
  return {
    ...base(ids, place),
    type: 3,
    message,
    data: { custom_id: customId, component_type: 2 },
  } satisfies APIMessageComponentInteraction;
}

/** Choosing `values` in the string select `customId` of `message`. */
export function selectInteraction(
  ids: { id: string; token: string },
  message: APIMessage,
  customId: string,
  values: string[],
  place: InteractionPlace,
): APIMessageComponentInteraction {
  return {
    ...base(ids, place),
    type: 3,
    message,
    data: { custom_id: customId, component_type: 3, values },
  } satisfies APIMessageComponentInteraction;
}

/** The guild member object Discord attaches to interactions in a guild. */
export function guildMember(user: APIUser, permissions?: string): APIGuildMember & { permissions?: string } {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

function base(ids: { id: string; token: string }, place: InteractionPlace) {
  return {
    id: ids.id,
    application_id: place.applicationId,
    token: ids.token,
    version: 1 as const,
    guild: { id: place.guildId, locale: EN_US, features: [] },
    guild_id: place.guildId,
    channel: {
      id: place.channelId,
      type: 0 as const,
      guild_id: place.guildId,
      name: 'papers',
      position: 0,
      permission_overwrites: [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
      permissions: place.memberPermissions,
    },
    channel_id: place.channelId,
    member: { ...guildMember(place.user), permissions: place.memberPermissions },
    app_permissions: place.appPermissions,
    locale: EN_US,
    guild_locale: EN_US,
    entitlements: [],
    authorizing_integration_owners: { '0': place.guildId },
    context: 0 as const,
    attachment_size_limit: 26_214_400,
  };
}

// Resolves "announce now" to the subcommand path and types each value from the registered definition.
function commandOptions(
  command: RegisteredCommand,
  line: string,
  input: OptionInput,
  focused: { name: string; typed: string } | null,
): { options: APIApplicationCommandInteractionDataOption[]; resolved: APIInteractionDataResolved | null; focusedType: number | null } {
  const [, ...path] = line.trim().split(/\s+/);
  let definitions: CommandOption[] = command.options ?? [];
  const chain: CommandOption[] = [];
  for (const name of path) {
    const next = definitions.find((o) => o.name === name && (o.type === 1 || o.type === 2));
    if (!next) throw new Error(`stand-in: /${command.name} has no subcommand "${name}"`);
    chain.push(next);
    definitions = next.options ?? [];
  }
  if (definitions.some((o) => o.type === 1 || o.type === 2)) throw new Error(`stand-in: /${line} needs a subcommand`);
  const resolved: APIInteractionDataResolved = {};
  let focusedType: number | null = null;
  const leaf: APIApplicationCommandInteractionDataBasicOption[] = [];
  for (const [name, value] of Object.entries(input)) {
    const definition = definitions.find((o) => o.name === name);
    if (!definition) throw new Error(`stand-in: /${line} has no option "${name}" (it has ${definitions.map((o) => o.name).join(', ') || 'none'})`);
    if (focused?.name === name) continue;
    leaf.push(typedOption(line, definition, value, resolved));
  }
  if (focused) {
    const definition = definitions.find((o) => o.name === focused.name);
    if (!definition?.autocomplete) throw new Error(`stand-in: option "${focused.name}" of /${line} does not autocomplete`);
    focusedType = definition.type;
    leaf.push({ name: focused.name, type: definition.type as 3, value: focused.typed, focused: true });
  } else {
    for (const definition of definitions) {
      if (definition.required && !(definition.name in input)) throw new Error(`stand-in: /${line} needs option "${definition.name}"`);
    }
  }
  let options: APIApplicationCommandInteractionDataOption[] = leaf;
  for (const sub of [...chain].reverse()) {
    options = [sub.type === 1 ? { name: sub.name, type: 1, options: options as APIApplicationCommandInteractionDataBasicOption[] } : { name: sub.name, type: 2, options: options as never }];
  }
  return { options, resolved: Object.keys(resolved).length > 0 ? resolved : null, focusedType };
}

// The Discord client only lets a member send values that fit the option; so does the stand-in.
function typedOption(line: string, definition: CommandOption, value: string | number | boolean, resolved: APIInteractionDataResolved): APIApplicationCommandInteractionDataBasicOption {
  const at = `stand-in: /${line} option "${definition.name}"`;
  const choices = definition.choices;
  if (choices && !choices.some((c) => c.value === value)) throw new Error(`${at}: ${JSON.stringify(value)} is not one of its choices`);
  switch (definition.type) {
    case 3: {
      if (typeof value !== 'string') throw new Error(`${at}: needs a string`);
      if (value.length < (definition.min_length ?? 0) || value.length > (definition.max_length ?? 6_000)) throw new Error(`${at}: length ${value.length} is outside its limits`);
      return { name: definition.name, type: 3, value };
    }
    case 4:
    case 10: {
      if (typeof value !== 'number' || (definition.type === 4 && !Number.isInteger(value))) throw new Error(`${at}: needs a ${definition.type === 4 ? 'integer' : 'number'}`);
      if (value < (definition.min_value ?? -(2 ** 53)) || value > (definition.max_value ?? 2 ** 53)) throw new Error(`${at}: ${value} is outside its limits`);
      return { name: definition.name, type: definition.type, value };
    }
    case 5: {
      if (typeof value !== 'boolean') throw new Error(`${at}: needs a boolean`);
      return { name: definition.name, type: 5, value };
    }
    case 6: {
      if (typeof value !== 'string') throw new Error(`${at}: needs a user id`);
      resolved.users = { ...resolved.users, [value]: { id: value, username: `user${value.slice(-4)}`, discriminator: '0', global_name: null, avatar: null } };
      return { name: definition.name, type: 6, value };
    }
    case 7: {
      if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) throw new Error(`${at}: needs a channel id`);
      const types = definition.channel_types;
      // The stand-in's server channels are all text channels (type 0).
      if (types && !types.includes(0)) throw new Error(`${at}: the option takes no text channel`);
      resolved.channels = { ...resolved.channels, [value]: { id: value, type: 0, name: `channel-${value.slice(-4)}`, permissions: '0' } as never };
      return { name: definition.name, type: 7, value };
    }
    default:
      throw new Error(`${at}: option type ${definition.type} is not supported by the stand-in`);
  }
}
