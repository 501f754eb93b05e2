/** What a command file exports and its handlers get: plain requests in, plain replies out; the router does the Discord part. */
import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Kysely } from 'kysely';
import type { CitationStyles } from '../cite/index.js';
import type { Paper } from '../corpus/schema.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { Library } from '../search/library.js';
import type { PaperLookup } from '../sources/cache.js';

/** Option values of a slash command, by option name; absent options are absent. */
export type OptionValues = Record<string, string | number | boolean>;

/** Who is asking, and where. */
export interface Invoker {
  userId: string;
  guildId: string | null;
  channelId: string | null;
  /** The member's permissions in the channel as Discord sends them (a bitfield); null in DMs and offline. */
  permissions: bigint | null;
  /** When Discord created the interaction (its snowflake's timestamp, ms). */
  createdAt?: number;
}

/** A slash command as the handler sees it. */
export interface CommandRequest {
  command: string;
  options: OptionValues;
  invoker: Invoker;
}

/** An autocomplete request: the focused option and what is typed so far. */
export interface AutocompleteRequest extends CommandRequest {
  focused: { name: string; value: string };
}

/** A button click or select-menu choice on one of the command's messages. */
export interface ComponentRequest {
  customId: string;
  /** The chosen values of a select menu; empty for a button. */
  values: string[];
  invoker: Invoker;
  /** When the message carrying the component was created, for expiry. */
  messageCreatedAt: Date | null;
}

/** A file sent with a reply (a chart, a citation export); an embed shows an image one as `attachment://<name>`. */
export interface ReplyFile {
  name: string;
  data: Uint8Array;
  /** Alt text, for screen readers. */
  description?: string;
}

/** What a handler answers; the router turns it into Discord's payload. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  ephemeral?: boolean;
  /** For a component: edit the message that carries it (paging) instead of sending a new reply. */
  update?: boolean;
  files?: ReplyFile[];
}

/** An expected condition the member should read ("no paper matches …"), shown ephemerally; anything else is a bug. */
export class UserError extends Error {
  override name = 'UserError';
}

/** Everything a handler may use. Tests build one from fixtures; nothing here is mocked. */
export interface CommandContext {
  /** The current corpus and index; read once per interaction (reloads swap it). */
  library(): Library;
  log: Logger;
  /** Now, for expiry checks; tests may fix it. */
  now(): Date;
  announcements?: AnnouncementControl;
  /** Where paging state too long for a button's id is kept; absent: this process's memory. */
  pagingState?: PagingStateStore;
  /** True in the offline `ask` front end: no Discord, and nothing running in the background. */
  offline?: boolean;
  db?: Kysely<Database>;
  guilds?: GuildAccess;
  /** Tells the running announcer and digest timers that a server's settings changed. */
  settingsChanged?(guildId: string): Promise<void>;
  /** Papers outside the corpus by DOI or arXiv id; absent without DATA_DIR/lab.yaml. */
  lookup?: PaperLookup;
  /** The shipped citation styles and DATA_DIR/styles (absent: the shipped ones only). */
  citationStyles?: CitationStyles;
}

/** Paging state kept for `COMPONENT_LIFETIME_MS` under keys of ≤ `PAGING_KEY_MAX` `[A-Za-z0-9_-]`; `get` gives null once gone. */
export interface PagingStateStore {
  put(fields: readonly string[], now: number): Promise<string>;
  get(key: string, now: number): Promise<string[] | null>;
}

/** What would be announced next (oldest first), where, and when a failed post is retried. */
export interface AnnouncementPreview {
  channelId: string | null;
  pending: Paper[];
  retryAt?: Date | null;
  /** Why the last post failed, while posts keep failing. */
  lastError?: string | null;
}

/** What /announce asks of the announcer (src/announce/announcer.ts implements it). */
export interface AnnouncementControl {
  preview(guildId: string | null): AnnouncementPreview;
  postNow(guildId: string | null): Promise<{ posted: number; pending: number; error: string | null }>;
}

/** What the bot can ask Discord about a server. */
export interface GuildAccess {
  /** Why the bot cannot announce in the channel; null when it can. */
  channelProblem(guildId: string, channelId: string): Promise<string | null>;
}

/** One slash command: one file in commands/. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(request: CommandRequest, ctx: CommandContext): Reply | Promise<Reply>;
  autocomplete?(request: AutocompleteRequest, ctx: CommandContext): APIApplicationCommandOptionChoice[] | Promise<APIApplicationCommandOptionChoice[]>;
  /** Handles components whose custom_id starts with `<data.name>:`. */
  component?(request: ComponentRequest, ctx: CommandContext): Reply | Promise<Reply>;
}
