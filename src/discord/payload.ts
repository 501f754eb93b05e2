/** A handler's `Reply` → the message payload Discord gets: every limit enforced, and `allowed_mentions` so nothing in it pings. */
import { ComponentType, MessageFlags, type APIAllowedMentions, type APIEmbed } from 'discord.js';
import type { Reply, ReplyFile } from './command.js';
import type { ActionRow } from './components.js';
import { defuseMentions, fitEmbeds, safeHttpUrl } from './embeds.js';
import { LIMITS, truncate } from './limits.js';

/** The message body Discord receives for a reply, an edit or a follow-up. */
export interface MessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  flags: number;
  allowed_mentions: APIAllowedMentions;
  /** With files only: `id` n names the part `files[n]` (on an edit, also "keep only these": earlier attachments go). */
  attachments?: Array<{ id: number; filename: string; description?: string }>;
  /** With files only: the bytes, sent as multipart parts beside `payload_json`. */
  files?: ReplyFile[];
}

/** The URL by which an embed shows an attached file. */
export function attachmentUrl(name: string): string {
  return `attachment://${name}`;
}

/** The payload of a reply, within every limit. A reply with nothing to show gets a short placeholder. */
export function toPayload(reply: Reply): MessagePayload {
  const files = fitFiles(reply.files ?? []);
  const names = new Set(files.map((file) => file.name));
  const embeds = fitEmbeds((reply.embeds ?? []).map((embed) => withAttachedMediaOnly(embed, names)));
  let content = truncate(reply.content ?? '', LIMITS.messageContent);
  if (!content && embeds.length === 0 && files.length === 0) content = 'Nothing to show.';
  return {
    content,
    embeds,
    components: fitComponents(reply.components ?? []),
    flags: reply.ephemeral ? MessageFlags.Ephemeral : 0,
    allowed_mentions: { parse: [] },
    ...(files.length > 0 ? { attachments: files.map((file, id) => ({ id, filename: file.name, description: file.description })), files } : {}),
  };
}

/** The JSON part of a payload (what goes in `payload_json`, or the whole body without files). */
export function payloadJson(payload: MessagePayload): Omit<MessagePayload, 'files'> {
  const { files: _files, ...json } = payload;
  return json;
}

// Files within Discord's limits (a file too large is dropped: a cut file is a broken one), with safe, unique names.
function fitFiles(files: readonly ReplyFile[]): ReplyFile[] {
  const fitted: ReplyFile[] = [];
  const used = new Set<string>();
  for (const file of files) {
    if (fitted.length >= LIMITS.attachmentsPerMessage) break;
    if (file.data.byteLength === 0 || file.data.byteLength > LIMITS.attachmentBytes) continue;
    const name = uniqueName(safeFileName(file.name), used);
    used.add(name);
    // Alt text pings no one, but a name like "Eve @everyone" stays harmless wherever a client shows it.
    const description = file.description ? truncate(defuseMentions(file.description), LIMITS.attachmentDescription) : '';
    fitted.push({ name, data: file.data, ...(description ? { description } : {}) });
  }
  return fitted;
}

// An embed's image or thumbnail naming a file the message does not carry would show as broken: drop it.
function withAttachedMediaOnly(embed: APIEmbed, names: ReadonlySet<string>): APIEmbed {
  const attached = (url: string): boolean => !url.startsWith('attachment://') || names.has(url.slice('attachment://'.length));
  const fitted = { ...embed };
  if (fitted.image && !attached(fitted.image.url)) delete fitted.image;
  if (fitted.thumbnail && !attached(fitted.thumbnail.url)) delete fitted.thumbnail;
  return fitted;
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-LIMITS.attachmentName);
  return cleaned || 'file';
}

function uniqueName(name: string, used: ReadonlySet<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let unique = name;
  for (let n = 2; used.has(unique); n++) unique = `${stem}-${n}${extension}`;
  return unique;
}

/** Components cut to Discord's limits; one whose custom id is too long is dropped, never cut (it would route wrongly). */
export function fitComponents(rows: readonly ActionRow[]): ActionRow[] {
  const fitted: ActionRow[] = [];
  for (const row of rows.slice(0, LIMITS.actionRows)) {
    const components: ActionRow['components'] = [];
    for (const component of row.components) {
      if ('custom_id' in component && component.custom_id.length > LIMITS.customId) continue;
      if (component.type === ComponentType.Button) {
        if ('url' in component && !(safeHttpUrl(component.url) && component.url.length <= LIMITS.buttonUrl)) continue;
        components.push('label' in component && component.label !== undefined ? { ...component, label: truncate(component.label, LIMITS.buttonLabel) } : component);
      } else if (component.type === ComponentType.StringSelect) {
        const options = component.options.slice(0, LIMITS.selectOptions).filter((o) => o.value.length <= LIMITS.selectOptionValue);
        if (options.length === 0) continue;
        components.push({
          ...component,
          ...(component.placeholder !== undefined ? { placeholder: truncate(component.placeholder, LIMITS.selectPlaceholder) } : {}),
          options: options.map((option) => ({
            ...option,
            label: truncate(option.label, LIMITS.selectOptionLabel) || option.value,
            ...(option.description !== undefined ? { description: truncate(option.description, LIMITS.selectOptionDescription) } : {}),
          })),
          max_values: Math.min(component.max_values ?? 1, options.length),
          min_values: Math.min(component.min_values ?? 1, options.length),
        });
      } else {
        components.push(component);
      }
    }
    const isSelect = components.some((c) => c.type !== ComponentType.Button);
    const kept = isSelect ? components.slice(0, 1) : components.slice(0, LIMITS.buttonsPerRow);
    if (kept.length > 0) fitted.push({ ...row, components: kept });
  }
  return fitted;
}
