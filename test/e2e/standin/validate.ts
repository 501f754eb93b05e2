/**
 * What Discord accepts, written from Discord's documentation (not from the bot's own limits module):
 * https://discord.com/developers/docs/resources/message#create-message,
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits,
 * https://discord.com/developers/docs/components/reference,
 * https://discord.com/developers/docs/interactions/receiving-and-responding,
 * https://discord.com/developers/docs/interactions/application-commands.
 * Each check returns a list of problems ("path: what is wrong"); an empty list means Discord would accept it.
 */
import { z } from 'zod';
import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbedField,
  APISelectMenuOption,
} from 'discord.js';

// Message flags a bot may set when sending (SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS).
const FLAG_SUPPRESS_EMBEDS = 1 << 2;
/** The EPHEMERAL message flag. */
export const FLAG_EPHEMERAL = 1 << 6;
const FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12;
const SENDABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS;

const snowflake = z.string().regex(/^\d{17,20}$/, 'not a snowflake');
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'scheme must be http or https');
const mediaUrl = z.string().regex(/^(https?:\/\/|attachment:\/\/)\S+$/, 'scheme must be http, https or attachment');

const embedField = z.strictObject({
  name: z.string().min(1).max(256),
  value: z.string().min(1).max(1_024),
  inline: z.boolean().optional(),
});

const embed = z.strictObject({
  type: z.literal('rich').optional(),
  title: z.string().max(256).optional(),
  description: z.string().max(4_096).optional(),
  url: httpUrl.optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  color: z.int().min(0).max(0xff_ff_ff).optional(),
  footer: z.strictObject({ text: z.string().min(1).max(2_048), icon_url: mediaUrl.optional() }).optional(),
  image: z.strictObject({ url: mediaUrl }).optional(),
  thumbnail: z.strictObject({ url: mediaUrl }).optional(),
  author: z.strictObject({ name: z.string().min(1).max(256), url: httpUrl.optional(), icon_url: mediaUrl.optional() }).optional(),
  fields: z.array(embedField).max(25).optional(),
});

const emoji = z.strictObject({ id: snowflake.optional(), name: z.string().optional(), animated: z.boolean().optional() });

const buttonBase = {
  type: z.literal(2),
  id: z.int().optional(),
  label: z.string().max(80).optional(),
  emoji: emoji.optional(),
  disabled: z.boolean().optional(),
};
const actionButton = z.strictObject({
  ...buttonBase,
  style: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  custom_id: z.string().min(1).max(100),
});
const linkButton = z.strictObject({ ...buttonBase, style: z.literal(5), url: httpUrl });

const selectOption = z.strictObject({
  label: z.string().min(1).max(100),
  value: z.string().min(1).max(100),
  description: z.string().min(1).max(100).optional(),
  emoji: emoji.optional(),
  default: z.boolean().optional(),
});

const stringSelect = z.strictObject({
  type: z.literal(3),
  id: z.int().optional(),
  custom_id: z.string().min(1).max(100),
  options: z.array(selectOption).min(1).max(25),
  placeholder: z.string().max(150).optional(),
  min_values: z.int().min(0).max(25).optional(),
  max_values: z.int().min(1).max(25).optional(),
  disabled: z.boolean().optional(),
});

const actionRow = z.strictObject({
  type: z.literal(1),
  id: z.int().optional(),
  components: z.array(z.union([actionButton, linkButton, stringSelect])).min(1).max(5),
});

const allowedMentions = z.strictObject({
  parse: z.array(z.enum(['roles', 'users', 'everyone'])).optional(),
  roles: z.array(snowflake).max(100).optional(),
  users: z.array(snowflake).max(100).optional(),
  replied_user: z.boolean().optional(),
});

const attachmentRef = z.looseObject({ id: z.union([snowflake, z.string().regex(/^\d+$/), z.number()]) });

/** A message body as sent to create-message, interaction callbacks and webhooks. */
const messageBody = z.strictObject({
  content: z.string().max(2_000).optional(),
  tts: z.boolean().optional(),
  nonce: z.union([z.string().max(25), z.int()]).optional(),
  enforce_nonce: z.boolean().optional(),
  embeds: z.array(embed).max(10).optional(),
  components: z.array(actionRow).max(5).optional(),
  allowed_mentions: allowedMentions.optional(),
  flags: z.int().optional(),
  attachments: z.array(attachmentRef).optional(),
  message_reference: z.looseObject({}).optional(),
  sticker_ids: z.array(snowflake).max(3).optional(),
  username: z.string().optional(),
  avatar_url: httpUrl.optional(),
  thread_name: z.string().optional(),
  applied_tags: z.array(snowflake).optional(),
  poll: z.looseObject({}).optional(),
  shared_client_theme: z.unknown().optional(),
});

/** A message body, parsed: what the stand-in stores. */
export type MessageBody = z.infer<typeof messageBody>;

const choice = z.strictObject({
  name: z.string().min(1).max(100),
  name_localizations: z.record(z.string(), z.string().max(100)).nullable().optional(),
  value: z.union([z.string().max(100), z.number()]),
});

/** What the stand-in checks before it accepts an interaction callback of each type. */
const callbackBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal(1) }),
  z.strictObject({ type: z.literal(4), data: messageBody }),
  z.strictObject({ type: z.literal(5), data: z.strictObject({ flags: z.int().optional() }).optional() }),
  z.strictObject({ type: z.literal(6) }),
  z.strictObject({ type: z.literal(7), data: messageBody }),
  z.strictObject({ type: z.literal(8), data: z.strictObject({ choices: z.array(choice).max(25) }) }),
  z.strictObject({ type: z.literal(9), data: z.looseObject({ custom_id: z.string().min(1).max(100), title: z.string().min(1).max(45) }) }),
]);

/** An interaction callback body, parsed. */
export type CallbackBody = z.infer<typeof callbackBody>;

const commandName = z
  .string()
  .regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, 'must be 1-32 letters, digits, - _ or \'')
  .refine((name) => name === name.toLowerCase(), 'must be lower case');
const localizations = z.record(z.string(), z.string()).nullable().optional();

interface OptionShape {
  type: number;
  name: string;
  description: string;
  required?: boolean | undefined;
  choices?: Array<{ name: string; value: string | number }> | undefined;
  options?: OptionShape[] | undefined;
  autocomplete?: boolean | undefined;
  min_value?: number | undefined;
  max_value?: number | undefined;
  min_length?: number | undefined;
  max_length?: number | undefined;
  channel_types?: number[] | undefined;
}

const commandOption: z.ZodType<OptionShape> = z.lazy(() =>
  z.strictObject({
    type: z.int().min(1).max(11),
    name: commandName,
    name_localizations: localizations,
    description: z.string().min(1).max(100),
    description_localizations: localizations,
    required: z.boolean().optional(),
    choices: z.array(choice).max(25).optional(),
    options: z.array(commandOption).max(25).optional(),
    channel_types: z.array(z.int()).optional(),
    min_value: z.number().optional(),
    max_value: z.number().optional(),
    min_length: z.int().min(0).max(6_000).optional(),
    max_length: z.int().min(1).max(6_000).optional(),
    autocomplete: z.boolean().optional(),
  }),
);

const command = z.strictObject({
  id: snowflake.optional(),
  type: z.literal(1).optional(),
  name: commandName,
  name_localizations: localizations,
  description: z.string().min(1).max(100),
  description_localizations: localizations,
  options: z.array(commandOption).max(25).optional(),
  default_member_permissions: z.string().regex(/^\d+$/).nullable().optional(),
  dm_permission: z.boolean().nullable().optional(),
  default_permission: z.boolean().nullable().optional(),
  integration_types: z.array(z.union([z.literal(0), z.literal(1)])).optional(),
  contexts: z.array(z.union([z.literal(0), z.literal(1), z.literal(2)])).nullable().optional(),
  nsfw: z.boolean().optional(),
});

/** A slash command definition, parsed. */
export type CommandBody = z.infer<typeof command>;

// Compile-time: what these schemas accept is what discord-api-types describes.
type Assignable<T extends U, U> = T;
export type SchemaMatchesDiscordTypes = [
  Assignable<z.infer<typeof embedField>, APIEmbedField>,
  Assignable<z.infer<typeof selectOption>, APISelectMenuOption>,
  Assignable<z.infer<typeof choice>, APIApplicationCommandOptionChoice>,
  Assignable<z.infer<typeof actionRow>, APIActionRowComponent<APIComponentInMessageActionRow>>,
];

/** Problems with a message body the bot sends; `creates` when it makes a new message (it then must not be empty). */
export function checkMessage(body: unknown, where: { creates: boolean; interaction: boolean }): { problems: string[]; message: MessageBody | null } {
  const parsed = messageBody.safeParse(body);
  if (!parsed.success) return { problems: zodProblems(parsed.error), message: null };
  const message = parsed.data;
  const problems: string[] = [];
  const embeds = message.embeds ?? [];
  const total = embeds.reduce((sum, e) => sum + embedCharacters(e), 0);
  if (total > 6_000) problems.push(`embeds: ${total} characters over all embeds, Discord allows 6000`);
  embeds.forEach((e, i) => {
    if (embedCharacters(e) === 0 && !e.image && !e.thumbnail && !e.url) problems.push(`embeds.${i}: an empty embed`);
  });
  problems.push(...componentProblems(message.components ?? []));
  if (message.flags !== undefined) {
    if ((message.flags & ~SENDABLE_FLAGS) !== 0) problems.push(`flags: ${message.flags} sets flags a bot cannot send`);
    if (!where.interaction && (message.flags & FLAG_EPHEMERAL) !== 0) problems.push('flags: EPHEMERAL outside an interaction response');
  }
  if (where.creates && !message.content && embeds.length === 0 && (message.components ?? []).length === 0 && !message.sticker_ids?.length && !message.attachments?.length && !message.poll) {
    problems.push('Cannot send an empty message (code 50006)');
  }
  const sendsSomething = message.content !== undefined || message.embeds !== undefined || message.components !== undefined;
  if (sendsSomething) problems.push(...mentionPolicyProblems(message));
  return { problems, message };
}

/** A file part of a multipart request, as the stand-in read it. */
export interface UploadedFile {
  /** The form field: Discord takes `files[n]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** An attachment a message already has (kept on an edit when `attachments` lists its id). */
export interface KnownAttachment {
  id: string;
  filename: string;
}

// Discord's documented upload limits: 10 files a message, 10 MiB a file without server boosts.
const MAX_FILES = 10;
const MAX_FILE_BYTES = 10 * 1_024 * 1_024;

/**
 * Problems with the files of a message request, and the attachments the message ends with. Files are parts
 * `files[n]`; each needs an `attachments` entry with id n (its `filename`, when given, names it); an entry with
 * a snowflake id keeps an existing attachment (edits only). Without `attachments`, new files are added to the
 * existing ones. Every embed image or thumbnail given as `attachment://name` must name a file the message carries.
 */
export function checkUploads(message: MessageBody, files: readonly UploadedFile[], existing: readonly KnownAttachment[]): { problems: string[]; attachments: Array<KnownAttachment & { upload?: UploadedFile; description?: string }> } {
  const problems: string[] = [];
  const byIndex = new Map<number, UploadedFile>();
  for (const file of files) {
    const match = /^files\[(\d+)\]$/.exec(file.field);
    if (!match) {
      problems.push(`multipart: a file in the field "${file.field}"; Discord takes files[n]`);
      continue;
    }
    const n = Number(match[1]);
    if (byIndex.has(n)) problems.push(`multipart: two files in files[${n}]`);
    byIndex.set(n, file);
    if (!file.filename) problems.push(`multipart: files[${n}] has no filename`);
    if (file.data.length > MAX_FILE_BYTES) problems.push(`multipart: files[${n}] is ${file.data.length} bytes; Discord takes at most ${MAX_FILE_BYTES}`);
  }
  if (files.length > MAX_FILES) problems.push(`multipart: ${files.length} files; Discord takes at most ${MAX_FILES} a message`);
  const attachments: Array<KnownAttachment & { upload?: UploadedFile; description?: string }> = [];
  const entries = message.attachments;
  if (entries === undefined) {
    attachments.push(...existing);
    for (const [n, file] of [...byIndex].sort((a, b) => a[0] - b[0])) attachments.push({ id: `upload:${n}`, filename: file.filename, upload: file });
  } else {
    const claimed = new Set<number>();
    entries.forEach((entry, i) => {
      const id = String(entry.id);
      const filename = typeof entry['filename'] === 'string' ? entry['filename'] : undefined;
      const description = typeof entry['description'] === 'string' ? entry['description'] : undefined;
      const kept = existing.find((a) => a.id === id);
      if (kept) {
        attachments.push(kept);
        return;
      }
      const n = Number(id);
      const upload = Number.isInteger(n) ? byIndex.get(n) : undefined;
      if (!upload) {
        problems.push(`attachments.${i}.id: ${id} is neither an uploaded files[n] nor an attachment of the message`);
        return;
      }
      claimed.add(n);
      if (description !== undefined && description.length > 1_024) problems.push(`attachments.${i}.description: longer than 1024`);
      attachments.push({ id: `upload:${n}`, filename: filename ?? upload.filename, upload, ...(description !== undefined ? { description } : {}) });
    });
    for (const n of byIndex.keys()) if (!claimed.has(n)) problems.push(`multipart: files[${n}] has no attachments entry with id ${n}`);
  }
  const names = new Set(attachments.map((a) => a.filename));
  (message.embeds ?? []).forEach((e, i) => {
    for (const [part, media] of [['image', e.image], ['thumbnail', e.thumbnail]] as const) {
      const url = media?.url;
      if (url?.startsWith('attachment://') && !names.has(url.slice('attachment://'.length))) {
        problems.push(`embeds.${i}.${part}.url: ${url} names no file of the message (files: ${[...names].join(', ') || 'none'})`);
      }
    }
  });
  return { problems, attachments };
}

/** Problems with an interaction callback body, given the type of the interaction it answers (and, for autocomplete, the focused option's type). */
export function checkCallback(body: unknown, interactionType: number, focusedOptionType: number | null): { problems: string[]; callback: CallbackBody | null } {
  const parsed = callbackBody.safeParse(body);
  if (!parsed.success) return { problems: zodProblems(parsed.error), callback: null };
  const callback = parsed.data;
  const allowed = ALLOWED_CALLBACKS[interactionType] ?? [];
  const problems: string[] = [];
  if (!allowed.includes(callback.type)) {
    problems.push(`callback type ${callback.type} is not a valid answer to an interaction of type ${interactionType} (allowed: ${allowed.join(', ')})`);
  }
  if (callback.type === 4 || callback.type === 7) {
    problems.push(...checkMessage(callback.data, { creates: callback.type === 4, interaction: true }).problems);
  }
  if (callback.type === 8) {
    callback.data.choices.forEach((c, i) => {
      if (focusedOptionType === 3 && typeof c.value !== 'string') problems.push(`data.choices.${i}.value: a string option needs string values`);
      if ((focusedOptionType === 4 || focusedOptionType === 10) && typeof c.value !== 'number') problems.push(`data.choices.${i}.value: a numeric option needs number values`);
      if (focusedOptionType === 4 && typeof c.value === 'number' && !Number.isInteger(c.value)) problems.push(`data.choices.${i}.value: an integer option needs integers`);
    });
  }
  return { problems, callback };
}

/** Problems with a bulk overwrite of application commands. */
export function checkCommands(body: unknown): { problems: string[]; commands: CommandBody[] } {
  const parsed = z.array(command).max(100).safeParse(body);
  if (!parsed.success) return { problems: zodProblems(parsed.error), commands: [] };
  const problems: string[] = [];
  const names = new Set<string>();
  parsed.data.forEach((c, i) => {
    if (names.has(c.name)) problems.push(`${i}.name: duplicate command name "${c.name}"`);
    names.add(c.name);
    const size = c.name.length + c.description.length + optionCharacters(c.options ?? []);
    if (size > 4_000) problems.push(`${i}: ${size} characters in names, descriptions and choices; Discord allows 4000`);
    problems.push(...optionProblems(c.options ?? [], `${i}.options`, 0));
  });
  return { problems, commands: parsed.data };
}

/** Mentions the content would ping under these allowed_mentions (absent allowed_mentions lets everything ping). */
export function pingsOf(content: string, mentions: MessageBody['allowed_mentions']): string[] {
  const parse = mentions?.parse ?? (mentions ? [] : ['roles', 'users', 'everyone']);
  const pings: string[] = [];
  for (const match of content.matchAll(/@(everyone|here)/g)) if (parse.includes('everyone')) pings.push(`@${match[1]}`);
  for (const match of content.matchAll(/<@!?(\d+)>/g)) {
    if (parse.includes('users') || mentions?.users?.includes(match[1] ?? '')) pings.push(`user ${match[1]}`);
  }
  for (const match of content.matchAll(/<@&(\d+)>/g)) {
    if (parse.includes('roles') || mentions?.roles?.includes(match[1] ?? '')) pings.push(`role ${match[1]}`);
  }
  return pings;
}

// Callback types Discord accepts per interaction type (PING 1, APPLICATION_COMMAND 2, MESSAGE_COMPONENT 3, AUTOCOMPLETE 4, MODAL_SUBMIT 5).
const ALLOWED_CALLBACKS: Record<number, number[]> = { 1: [1], 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };

// The bot must never be able to ping: every message says allowed_mentions { parse: [] } and lists nobody.
function mentionPolicyProblems(message: MessageBody): string[] {
  const mentions = message.allowed_mentions;
  if (!mentions) return ['allowed_mentions: missing (without it every mention in the content pings)'];
  const problems: string[] = [];
  if (!mentions.parse || mentions.parse.length > 0) problems.push(`allowed_mentions.parse: ${JSON.stringify(mentions.parse)}, expected []`);
  if (mentions.users?.length) problems.push('allowed_mentions.users: lists users to ping');
  if (mentions.roles?.length) problems.push('allowed_mentions.roles: lists roles to ping');
  return problems;
}

function componentProblems(rows: z.infer<typeof actionRow>[]): string[] {
  const problems: string[] = [];
  const customIds = new Set<string>();
  rows.forEach((row, r) => {
    const selects = row.components.filter((c) => c.type === 3).length;
    if (selects > 0 && row.components.length > 1) problems.push(`components.${r}: a select menu must be alone in its action row`);
    row.components.forEach((c, k) => {
      const at = `components.${r}.components.${k}`;
      if ('custom_id' in c) {
        if (customIds.has(c.custom_id)) problems.push(`${at}.custom_id: "${c.custom_id}" is used twice in one message`);
        customIds.add(c.custom_id);
      }
      if (c.type === 2) {
        if (!c.label && !c.emoji) problems.push(`${at}: a button needs a label or an emoji`);
      } else {
        const values = c.options.map((o) => o.value);
        if (new Set(values).size !== values.length) problems.push(`${at}.options: duplicate values`);
        const min = c.min_values ?? 1;
        const max = c.max_values ?? 1;
        if (min > max || max > c.options.length) problems.push(`${at}: min_values ${min} / max_values ${max} do not fit ${c.options.length} options`);
      }
    });
  });
  return problems;
}

function optionProblems(options: OptionShape[], at: string, depth: number): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const nested = options.filter((o) => o.type === 1 || o.type === 2).length;
  if (nested > 0 && nested !== options.length) problems.push(`${at}: subcommands cannot sit beside other options`);
  let optionalSeen = false;
  options.forEach((o, i) => {
    const here = `${at}.${i}`;
    if (names.has(o.name)) problems.push(`${here}.name: duplicate option name "${o.name}"`);
    names.add(o.name);
    if (o.required) {
      if (optionalSeen) problems.push(`${here}: a required option after an optional one`);
    } else {
      optionalSeen = true;
    }
    if (o.autocomplete && o.choices?.length) problems.push(`${here}: autocomplete cannot be combined with choices`);
    if (o.autocomplete && ![3, 4, 10].includes(o.type)) problems.push(`${here}: autocomplete on an option of type ${o.type}`);
    if (o.type === 2 && depth > 0) problems.push(`${here}: a subcommand group inside a subcommand or group`);
    if (o.type === 1 && depth > 1) problems.push(`${here}: subcommands nest at most two deep`);
    if (o.type === 2 && (o.options ?? []).some((s) => s.type !== 1)) problems.push(`${here}: a group holds only subcommands`);
    if (o.options && o.type !== 1 && o.type !== 2) problems.push(`${here}: only subcommands and groups have options`);
    if (o.min_value !== undefined && o.max_value !== undefined && o.min_value > o.max_value) problems.push(`${here}: min_value above max_value`);
    if (o.min_length !== undefined && o.max_length !== undefined && o.min_length > o.max_length) problems.push(`${here}: min_length above max_length`);
    o.choices?.forEach((c, k) => {
      if (o.type === 3 && typeof c.value !== 'string') problems.push(`${here}.choices.${k}: a string option needs string values`);
      if ((o.type === 4 || o.type === 10) && typeof c.value !== 'number') problems.push(`${here}.choices.${k}: a numeric option needs number values`);
    });
    if (o.options) problems.push(...optionProblems(o.options, `${here}.options`, depth + 1));
  });
  return problems;
}

function optionCharacters(options: OptionShape[]): number {
  return options.reduce(
    (sum, o) =>
      sum +
      o.name.length +
      o.description.length +
      (o.choices ?? []).reduce((s, c) => s + c.name.length + String(c.value).length, 0) +
      optionCharacters(o.options ?? []),
    0,
  );
}

function embedCharacters(e: z.infer<typeof embed>): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

// A union failure lists every branch's issues; report the branch that came closest.
function zodProblems(error: { issues: readonly z.core.$ZodIssue[] }, prefix: PropertyKey[] = []): string[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      return zodProblems({ issues: closest }, path);
    }
    return [`${path.map(String).join('.') || '(body)'}: ${issue.message}`];
  });
}
