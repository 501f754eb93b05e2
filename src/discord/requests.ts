/**
 * Interactions → the plain requests command handlers take: the option tree has one shape in discord.js's parsed
 * options (the gateway bot) and in Discord's raw JSON (the HTTP endpoint), so one set of functions reads both.
 */
import { ApplicationCommandOptionType, InteractionType, SnowflakeUtil } from 'discord.js';
import { z } from 'zod';
import type { AutocompleteRequest, CommandRequest, ComponentRequest, Invoker, OptionValues } from './command.js';
import { SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from './options.js';

/** One node of a command's option tree, as discord.js (`interaction.options.data`) and the raw JSON both carry it. */
export interface OptionNode {
  readonly name: string;
  readonly type: number;
  readonly value?: unknown;
  readonly focused?: boolean | undefined;
  readonly options?: readonly OptionNode[] | undefined;
}

/** Flattens an option tree: subcommand (group) names under `subcommand`/`subcommand_group`, values by name. */
export function optionValues(data: readonly OptionNode[]): OptionValues {
  const values: OptionValues = {};
  for (const option of data) {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      values[SUBCOMMAND_GROUP_OPTION] = option.name;
      Object.assign(values, optionValues(option.options ?? []));
    } else if (option.type === ApplicationCommandOptionType.Subcommand) {
      values[SUBCOMMAND_OPTION] = option.name;
      Object.assign(values, optionValues(option.options ?? []));
    } else if (typeof option.value === 'string' || typeof option.value === 'number' || typeof option.value === 'boolean') {
      values[option.name] = option.value;
    }
  }
  return values;
}

/** The option being typed into during an autocomplete (searched through subcommands); empty when there is none. */
export function focusedOption(data: readonly OptionNode[]): { name: string; value: string } {
  for (const option of data) {
    if (option.focused) return { name: option.name, value: option.value === undefined || option.value === null ? '' : String(option.value) };
    const nested = option.options ? focusedOption(option.options) : null;
    if (nested && nested.name) return nested;
  }
  return { name: '', value: '' };
}

/** What a raw interaction is, read into the request its handler takes. */
export type ApiRequest =
  | { kind: 'ping' }
  | { kind: 'command'; request: CommandRequest }
  | { kind: 'autocomplete'; request: AutocompleteRequest }
  | { kind: 'component'; request: ComponentRequest }
  | { kind: 'unsupported'; type: number };

/** The parts of an interaction's JSON that are used; the rest is ignored. */
const OptionSchema: z.ZodType<OptionNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(OptionSchema).optional(),
  }),
);
const UserSchema = z.object({ id: z.string() });
const InteractionSchema = z.object({
  id: z.string(),
  application_id: z.string(),
  type: z.number().int(),
  token: z.string(),
  guild_id: z.string().optional(),
  channel_id: z.string().optional(),
  channel: z.object({ id: z.string() }).optional(),
  user: UserSchema.optional(),
  member: z.object({ user: UserSchema, permissions: z.string().regex(/^\d{1,40}$/) }).optional(),
  message: z.object({ id: z.string().regex(/^\d{1,20}$/) }).optional(),
  data: z
    .object({
      name: z.string().optional(),
      options: z.array(OptionSchema).optional(),
      custom_id: z.string().optional(),
      values: z.array(z.string()).optional(),
    })
    .optional(),
});

/** The envelope of a raw interaction: what a reply to it needs. */
export type ApiInteraction = z.infer<typeof InteractionSchema>;

/** Reads Discord's interaction JSON; throws a plain Error naming the first problem when it is not one. */
export function parseApiInteraction(json: unknown): ApiInteraction {
  const parsed = InteractionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`interaction: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'not an interaction'}`);
  }
  return parsed.data;
}

/** The handler's request for a raw interaction (checked by `parseApiInteraction`). */
export function requestOfApi(interaction: ApiInteraction): ApiRequest {
  const data = interaction.data ?? {};
  const invoker = invokerOfApi(interaction);
  switch (interaction.type) {
    case InteractionType.Ping:
      return { kind: 'ping' };
    case InteractionType.ApplicationCommand:
      return { kind: 'command', request: { command: data.name ?? '', options: optionValues(data.options ?? []), invoker } };
    case InteractionType.ApplicationCommandAutocomplete:
      return {
        kind: 'autocomplete',
        request: { command: data.name ?? '', options: optionValues(data.options ?? []), invoker, focused: focusedOption(data.options ?? []) },
      };
    case InteractionType.MessageComponent: {
      const messageId = interaction.message?.id;
      return {
        kind: 'component',
        request: {
          customId: data.custom_id ?? '',
          values: data.values ?? [],
          invoker,
          messageCreatedAt: messageId ? new Date(SnowflakeUtil.timestampFrom(messageId)) : null,
        },
      };
    }
    default:
      return { kind: 'unsupported', type: interaction.type };
  }
}

function invokerOfApi(interaction: ApiInteraction): Invoker {
  return {
    userId: interaction.member?.user.id ?? interaction.user?.id ?? '',
    guildId: interaction.guild_id ?? null,
    channelId: interaction.channel?.id ?? interaction.channel_id ?? null,
    permissions: interaction.member ? BigInt(interaction.member.permissions) : null,
    ...(/^\d{1,20}$/.test(interaction.id) ? { createdAt: SnowflakeUtil.timestampFrom(interaction.id) } : {}),
  };
}
