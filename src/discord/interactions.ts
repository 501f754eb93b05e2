/** An interaction as Discord sends it (gateway or HTTP): read into its handler's request, answered by callback then webhook. */
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  SnowflakeUtil,
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  type REST,
} from 'discord.js';
import { z } from 'zod';
import type { AutocompleteRequest, CommandRequest, ComponentRequest, Invoker, OptionValues } from './command.js';
import { SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from './options.js';
import { payloadJson, type MessagePayload } from './payload.js';

// The parts of an interaction's JSON that are used.
const OptionSchema = z.object({
  name: z.string(),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  focused: z.boolean().optional(),
  get options() {
    return z.array(OptionSchema).optional();
  },
});
type OptionNode = z.infer<typeof OptionSchema>;
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

// Flattens an option tree: subcommand (group) names under `subcommand`/`subcommand_group`, values by name.
function optionValues(data: OptionNode[]): OptionValues {
  const values: OptionValues = {};
  for (const option of data) {
    const group = option.type === ApplicationCommandOptionType.SubcommandGroup;
    if (group || option.type === ApplicationCommandOptionType.Subcommand) {
      values[group ? SUBCOMMAND_GROUP_OPTION : SUBCOMMAND_OPTION] = option.name;
      Object.assign(values, optionValues(option.options ?? []));
    } else if (option.value !== undefined) {
      values[option.name] = option.value;
    }
  }
  return values;
}

// The option being typed into during an autocomplete (searched through subcommands); empty when there is none.
function focusedOption(data: readonly OptionNode[]): { name: string; value: string } {
  for (const option of data) {
    if (option.focused) return { name: option.name, value: String(option.value ?? '') };
    const nested = focusedOption(option.options ?? []);
    if (nested.name) return nested;
  }
  return { name: '', value: '' };
}

/** What an interaction is, read into the request its handler takes. */
export type ApiRequest =
  | { kind: 'ping' }
  | { kind: 'command'; request: CommandRequest }
  | { kind: 'autocomplete'; request: AutocompleteRequest }
  | { kind: 'component'; request: ComponentRequest }
  | { kind: 'unsupported'; type: number };

/** An interaction's JSON, checked. */
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

/** The handler's request for an interaction (checked by `parseApiInteraction`). */
export function requestOfApi(interaction: ApiInteraction): ApiRequest {
  const data = interaction.data ?? {};
  const invoker = invokerOfApi(interaction);
  const command = { command: data.name ?? '', options: optionValues(data.options ?? []), invoker };
  switch (interaction.type) {
    case InteractionType.Ping:
      return { kind: 'ping' };
    case InteractionType.ApplicationCommand:
      return { kind: 'command', request: command };
    case InteractionType.ApplicationCommandAutocomplete:
      return { kind: 'autocomplete', request: { ...command, focused: focusedOption(data.options ?? []) } };
    case InteractionType.MessageComponent: {
      const messageId = interaction.message?.id;
      const messageCreatedAt = messageId ? new Date(SnowflakeUtil.timestampFrom(messageId)) : null;
      return { kind: 'component', request: { customId: data.custom_id ?? '', values: data.values ?? [], invoker, messageCreatedAt } };
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

/** The acknowledgement calls the router makes for one interaction. */
export interface Responder {
  reply(payload: MessagePayload): Promise<unknown>;
  /** Acknowledges now, answers later: a "thinking…" message (ephemeral or not). */
  deferReply(ephemeral: boolean): Promise<unknown>;
  /** Acknowledges a component now, edits its message later. */
  deferUpdate(): Promise<unknown>;
  /** Edits the component's message in place (first acknowledgement). */
  update(payload: MessagePayload): Promise<unknown>;
  /** Replaces the deferred response (or, after `deferUpdate`, the component's message). */
  editReply(payload: MessagePayload): Promise<unknown>;
  followUp(payload: MessagePayload): Promise<unknown>;
  deleteReply(): Promise<unknown>;
  choices(choices: APIApplicationCommandOptionChoice[]): Promise<unknown>;
}

/** Answers one interaction: first to `respond` (the HTTP response; no files, so a reply with files is deferred) or the callback, then the webhook. */
export function interactionResponder(
  interaction: ApiInteraction,
  rest: REST,
  respond?: (body: APIInteractionResponse) => Promise<void>,
): Responder {
  const { id, application_id: applicationId, token } = interaction;
  const isComponent = interaction.type === InteractionType.MessageComponent;
  let acknowledged = false;
  const first = async (body: APIInteractionResponse, payload?: MessagePayload): Promise<unknown> => {
    if (acknowledged) throw new Error('interaction: already acknowledged');
    acknowledged = true;
    if (respond) return respond(body);
    return rest.post(Routes.interactionCallback(id, token), { body, files: payload && rawFiles(payload), auth: false });
  };
  const withFiles = (payload: MessagePayload): boolean => respond !== undefined && (payload.files?.length ?? 0) > 0;
  const responder: Responder = {
    async reply(payload) {
      if (!withFiles(payload)) return first({ type: InteractionResponseType.ChannelMessageWithSource, data: payloadJson(payload) }, payload);
      await responder.deferReply((payload.flags & MessageFlags.Ephemeral) !== 0);
      return responder.editReply(payload);
    },
    deferReply: (ephemeral) =>
      first({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} }),
    async deferUpdate() {
      if (!isComponent) throw new Error('interaction: deferUpdate on a command');
      return first({ type: InteractionResponseType.DeferredMessageUpdate });
    },
    async update(payload) {
      if (!isComponent) throw new Error('interaction: update on a command');
      if (!withFiles(payload)) return first({ type: InteractionResponseType.UpdateMessage, data: editBody(payload) }, payload);
      await responder.deferUpdate();
      return responder.editReply(payload);
    },
    editReply: (payload) =>
      rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body: editBody(payload), files: rawFiles(payload), auth: false }),
    followUp: (payload) => rest.post(Routes.webhook(applicationId, token), { body: payloadJson(payload), files: rawFiles(payload), auth: false }),
    deleteReply: () => rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false }),
    choices: (choices) => first({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } }),
  };
  return responder;
}

// An edit: a message's flags cannot change, so they are left out.
function editBody(payload: MessagePayload): Omit<MessagePayload, 'files' | 'flags'> {
  const { flags: _flags, ...body } = payloadJson(payload);
  return body;
}

// The files as multipart parts `files[n]`, matching the payload's `attachments` entries.
function rawFiles(payload: MessagePayload): Array<{ name: string; data: Uint8Array; key: string }> | undefined {
  return payload.files?.map((file, n) => ({ name: file.name, data: file.data, key: `files[${n}]` }));
}
