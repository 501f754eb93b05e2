/**
 * A local stand-in for Discord: REST API v10 (node:http) and the gateway (ws) on one random port of 127.0.0.1.
 * It speaks enough for discord.js 14, records what the bot sends, checks it against Discord's documented limits
 * (validate.ts), and can be told to fail a route (429 with retry-after, or 500), to answer a route late (after doing
 * what was asked), to send RECONNECT or to drop the connection. Channel messages honour `enforce_nonce` as Discord
 * documents it: a nonce repeated by the same author within a few minutes returns the first message, creating none. Every problem lands in `violations` / `unexpectedRoutes`; `report()` prints them.
 */
import { sign, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { APIMessage, APIUser } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  guildMember,
  selectInteraction,
  type InteractionPlace,
  type OptionInput,
  type RegisteredCommand,
} from './interactions.js';
import { FLAG_EPHEMERAL, checkCallback, checkCommands, checkMessage, checkUploads, pingsOf, type CallbackBody, type KnownAttachment, type MessageBody, type UploadedFile } from './validate.js';

/** How to start the stand-in. */
export interface StandInOptions {
  /** The bot token the stand-in accepts. */
  token?: string;
  /** HELLO's heartbeat_interval; short intervals make heartbeats happen within a test. */
  heartbeatIntervalMs?: number;
  /** Extra text channels (besides the default one) that exist in the guild, e.g. an announcement channel. */
  extraChannelIds?: string[];
  /** How long after an interaction its callback is accepted; Discord's 3 s unless a test of the check shortens it. */
  callbackDeadlineMs?: number;
  /** The shard count GET /gateway/bot recommends (what SHARD_COUNT=auto gets); 1 unless a test of sharding sets it. */
  recommendedShards?: number;
  /** Further servers the bot is in, each with its text channels (ids given or made up). */
  extraGuilds?: Array<{ channelIds: string[] }>;
}

/** Where interactions go instead of the gateway: a bot's HTTP interactions endpoint, signed with the application's key. */
export interface HttpDelivery {
  /** The endpoint, e.g. http://127.0.0.1:8080/interactions. */
  url: string;
  /** The Ed25519 private key whose public half the bot has as DISCORD_PUBLIC_KEY. */
  privateKey: KeyObject;
}

/** A server as the stand-in keeps it: its text channels and who is a member. */
export interface StandInGuild {
  id: string;
  channelIds: string[];
  /** Members (user ids) besides the bot; a member who left is no longer here. */
  members: Set<string>;
}

/** A channel permission overwrite as Discord stores it (type 0: role, 1: member; allow and deny as decimal bitfields). */
export interface PermissionOverwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** A programmed failure: the next `times` requests matching `method` and `path` get `status`. */
export interface Fault {
  method: string;
  /** Matched against the path after /api/v10. */
  path: RegExp;
  /** 429 (rate limited), 500, or 403 with Discord's code 50001 (Missing Access: the bot is not in the server). */
  status: 429 | 500 | 403;
  times?: number;
  /** Seconds, for 429 (the body carries it exactly, the header rounded up as Discord does). */
  retryAfter?: number;
}

/** A programmed slow answer: the next `times` requests matching `method` and `path` are carried out, but answered only after `delayMs`. */
export interface SlowAnswer {
  method: string;
  /** Matched against the path after /api/v10. */
  path: RegExp;
  delayMs: number;
  times?: number;
}

/** One REST request as the stand-in saw it. */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  body: unknown;
  /** Files sent as multipart parts (`files[n]`), bytes included. */
  files: UploadedFile[];
  status: number;
}

/** A message as Discord stores it, plus what the stand-in worked out about it. */
export interface StoredMessage extends APIMessage {
  /** Mentions in the content that would notify someone under the message's allowed_mentions. */
  pings: string[];
  /** allowed_mentions as last sent (null when absent). */
  allowedMentions: MessageBody['allowed_mentions'] | null;
}

/** One interaction the stand-in dispatched, and everything the bot did about it. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: 2 | 3 | 4;
  label: string;
  createdAt: number;
  focusedType: number | null;
  /** The component's message, for button and select interactions. */
  sourceMessageId: string | null;
  callback: CallbackBody | null;
  callbackAt: number | null;
  /** The message `@original` names: the reply, or for type 6/7 the component's message. */
  originalId: string | null;
  followupIds: string[];
  /** Set once a PATCH of @original arrived. */
  edited: boolean;
  /** Delivered over HTTP: where to, and the status the bot answered (null while waiting, 0 when the request failed). */
  http: { url: string; status: number | null } | null;
}

/** What an interaction came to: a message (new or updated) or autocomplete choices. */
export type Answer =
  | { kind: 'reply'; message: StoredMessage; ephemeral: boolean; deferred: boolean }
  | { kind: 'update'; message: StoredMessage; deferred: boolean }
  | { kind: 'choices'; choices: Array<{ name: string; value: string | number }> };

interface Session {
  id: string;
  seq: number;
  intents: number;
  /** IDENTIFY's [shard id, shard count]; [0, 1] when it sent none. */
  shard: [number, number];
  /** Every dispatch of the session, for replay on RESUME. */
  sent: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
  path: string;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const CALLBACK_DEADLINE_MS = 3_000;
// Discord checks an enforced nonce against "the past few minutes".
const NONCE_WINDOW_MS = 5 * 60_000;
// VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | USE_EXTERNAL_EMOJIS | USE_APPLICATION_COMMANDS
const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n) | (1n << 31n));
// ADMINISTRATOR and MANAGE_GUILD on top.
const ADMIN_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | (1n << 3n) | (1n << 5n));
const APP_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 18n));
// GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT need approval in the developer portal.
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

/** The stand-in: start it, point the bot at `apiUrl`, drive interactions, read what came back. */
export class DiscordStandIn {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly channelIds: string[];
  readonly botUser: APIUser;
  readonly member: APIUser;
  /** Every server the bot is in, the main one (guildId) first. */
  readonly guilds = new Map<string, StandInGuild>();
  /** Members who do not accept direct messages from server members (posting to their DM gets 50007). */
  readonly closedDms = new Set<string>();
  /** Permission overwrites per channel (none by default). */
  readonly overwrites = new Map<string, PermissionOverwrite[]>();
  /** DM channel id per user, once the bot opened one. */
  readonly dmChannels = new Map<string, string>();
  readonly #users = new Map<string, APIUser>();
  /** Problems with what the bot sent; a test fails when this is not empty. */
  readonly violations: string[] = [];
  /** Requests to routes Discord does not have (or the stand-in does not serve). */
  readonly unexpectedRoutes: string[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly messages = new Map<string, StoredMessage>();
  /** The bytes of every attachment the bot uploaded, by attachment id. */
  readonly uploads = new Map<string, Buffer>();
  /** Commands as registered: key "global" or the guild id. */
  readonly commands = new Map<string, RegisteredCommand[]>();
  /** Gateway counters. */
  readonly gateway = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, reconnectsSent: 0, drops: 0 };
  /** The [shard id, shard count] of every IDENTIFY, in order. */
  readonly identifiedShards: Array<[number, number]> = [];
  /** Faults that fired, for tests to confirm the fault happened. */
  readonly faultsFired: string[] = [];
  /** Where interactions go: null for the gateway (the default), or a bot's HTTP endpoint. */
  delivery: HttpDelivery | null = null;
  /** Channel messages not created because their nonce repeated an earlier one (`enforce_nonce`): the nonce and the message returned. */
  readonly nonceRepeats: Array<{ nonce: string; messageId: string }> = [];

  readonly #server: http.Server;
  // Connections to a bot's HTTP interactions endpoint, kept alive between deliveries as a client of Discord's size would.
  readonly #deliveryAgent = new http.Agent({ keepAlive: true });
  readonly #wss: WebSocketServer;
  readonly #events = new EventEmitter();
  readonly #faults: Array<Required<Fault>> = [];
  readonly #slow: Array<Required<SlowAnswer>> = [];
  /** `author id:nonce` → the message it created and when, for `enforce_nonce`. */
  readonly #nonces = new Map<string, { messageId: string; at: number }>();
  readonly #sessions = new Map<string, Session>();
  readonly #connections = new Set<Connection>();
  readonly #heartbeatIntervalMs: number;
  readonly #callbackDeadlineMs: number;
  readonly #recommendedShards: number;
  readonly #trace: string[] = [];
  readonly #started = Date.now();
  #sequence = 0n;
  #port = 0;

  private constructor(options: StandInOptions) {
    this.token = options.token ?? 'standin.bot.token';
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.#callbackDeadlineMs = options.callbackDeadlineMs ?? CALLBACK_DEADLINE_MS;
    this.#recommendedShards = options.recommendedShards ?? 1;
    this.applicationId = this.snowflake();
    this.guildId = this.snowflake();
    this.channelId = this.snowflake();
    this.channelIds = [this.channelId, ...(options.extraChannelIds ?? [])];
    this.botUser = { id: this.applicationId, username: 'paperbot', discriminator: '0', global_name: null, avatar: null, bot: true };
    this.member = { id: this.snowflake(), username: 'member', discriminator: '0', global_name: 'A Member', avatar: null };
    this.#users.set(this.member.id, this.member);
    this.guilds.set(this.guildId, { id: this.guildId, channelIds: this.channelIds, members: new Set([this.member.id]) });
    for (const extra of options.extraGuilds ?? []) {
      const id = this.snowflake();
      this.guilds.set(id, { id, channelIds: extra.channelIds.length > 0 ? extra.channelIds : [this.snowflake()], members: new Set([this.member.id]) });
    }
    this.#events.setMaxListeners(0);
    this.#server = http.createServer((req, res) => void this.#handleRest(req, res));
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server.on('upgrade', (req, socket, head) => this.#handleUpgrade(req, socket as Socket, head));
  }

  /** Starts a stand-in on a random port of 127.0.0.1. */
  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    const standIn = new DiscordStandIn(options);
    await new Promise<void>((resolve, reject) => {
      standIn.#server.once('error', reject);
      standIn.#server.listen(0, '127.0.0.1', () => resolve());
    });
    standIn.#port = (standIn.#server.address() as AddressInfo).port;
    return standIn;
  }

  /** The REST base to give the bot as DISCORD_API_URL (discord.js appends /v10). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  /** The gateway URL GET /gateway/bot hands out. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}/gateway`;
  }

  /** Stops everything: closes sockets and the server. */
  async close(): Promise<void> {
    for (const connection of this.#connections) connection.socket.terminate();
    this.#deliveryAgent.destroy();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Makes the next `times` (default 1) matching requests fail with `status`. */
  fault(fault: Fault): void {
    this.#faults.push({ times: 1, retryAfter: 1, ...fault });
  }

  /** Makes the next `times` (default 1) matching requests succeed but get their answer only after `delayMs`. */
  slow(slow: SlowAnswer): void {
    this.#slow.push({ times: 1, ...slow });
  }

  /** A new snowflake whose timestamp is now. */
  snowflake(): string {
    this.#sequence += 1n;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (this.#sequence & 0xfffn)).toString();
  }

  /** Registered chat commands that count: the guild's when there are any, else the global ones. */
  registeredCommands(): RegisteredCommand[] {
    return [...(this.commands.get(this.guildId) ?? []), ...(this.commands.get('global') ?? [])];
  }

  /** Messages posted in `channelId` (not interaction replies), oldest first. */
  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && m.interaction_metadata === undefined);
  }

  /** A new user who is a member of the given servers (default: the main one). */
  addMember(name: string, guildIds: string[] = [this.guildId]): APIUser {
    const user: APIUser = { id: this.snowflake(), username: name.toLowerCase().replace(/\W+/g, ''), discriminator: '0', global_name: name, avatar: null };
    this.#users.set(user.id, user);
    for (const id of guildIds) this.guilds.get(id)?.members.add(user.id);
    return user;
  }

  /** The member leaves the server (GET /guilds/{id}/members/{user} answers 10007 from now on). */
  removeMember(guildId: string, userId: string): void {
    this.guilds.get(guildId)?.members.delete(userId);
  }

  /** Messages the bot sent the user in their DM channel, oldest first. */
  directMessages(userId: string): StoredMessage[] {
    const channelId = this.dmChannels.get(userId);
    return channelId ? this.channelMessages(channelId) : [];
  }

  /** Resolves once a bot has identified (or resumed) and is connected. */
  async waitForSession(timeoutMs = 15_000): Promise<void> {
    await this.waitFor('a gateway session', () => ([...this.#sessions.values()].some((s) => s.socket) ? true : undefined), timeoutMs);
  }

  /** Runs the slash command `line` ("search", "announce now") with `options`, as `member` or `as.user` (an admin when `admin`), in the main server or `as.guildId`. */
  command(line: string, options: OptionInput = {}, as: { admin?: boolean; user?: APIUser; guildId?: string } = {}): InteractionRecord {
    const command = this.#command(line, as.guildId);
    const ids = this.#interactionIds();
    const payload = chatInputInteraction(ids, command, line, options, this.#place(as.admin ?? false, as.user, as.guildId));
    return this.#dispatchInteraction(ids, 2, `/${line} ${JSON.stringify(options)}`, payload, null, null);
  }

  /** Autocompletes option `focused` of `line` while the member (or `as.user`) has typed `typed`. */
  autocomplete(line: string, focused: string, typed: string, options: OptionInput = {}, as: { user?: APIUser } = {}): InteractionRecord {
    const command = this.#command(line);
    const ids = this.#interactionIds();
    const { payload, focusedType } = autocompleteInteraction(ids, command, line, options, { name: focused, typed }, this.#place(false, as.user));
    return this.#dispatchInteraction(ids, 4, `autocomplete /${line} ${focused}="${typed.slice(0, 40)}"`, payload, focusedType, null);
  }

  /** Clicks the button `customId` on `message` (the message must carry it). */
  click(message: StoredMessage, customId: string): InteractionRecord {
    const current = this.#currentMessage(message);
    const button = componentOf(current, customId);
    if (!button || button.type !== 2) throw new Error(`stand-in: message ${current.id} has no button "${customId}"`);
    if (button.disabled) throw new Error(`stand-in: button "${customId}" is disabled`);
    const ids = this.#interactionIds();
    const payload = buttonInteraction(ids, current, customId, this.#place(false));
    return this.#dispatchInteraction(ids, 3, `click ${customId}`, payload, null, current.id);
  }

  /** Chooses `values` in the select menu `customId` on `message`. */
  select(message: StoredMessage, customId: string, values: string[]): InteractionRecord {
    const current = this.#currentMessage(message);
    const menu = componentOf(current, customId);
    if (!menu || menu.type !== 3) throw new Error(`stand-in: message ${current.id} has no select menu "${customId}"`);
    for (const value of values) {
      if (!menu.options.some((o) => o.value === value)) throw new Error(`stand-in: select "${customId}" has no option "${value}"`);
    }
    const ids = this.#interactionIds();
    const payload = selectInteraction(ids, current, customId, values, this.#place(false));
    return this.#dispatchInteraction(ids, 3, `select ${customId}=${values.join(',')}`, payload, null, current.id);
  }

  /** Waits until the interaction has its answer: the reply (after a deferral, its edit), the updated message, or choices. */
  async answer(record: InteractionRecord, timeoutMs = 10_000): Promise<Answer> {
    return this.waitFor(`an answer to ${record.label}`, () => this.#answerOf(record), timeoutMs);
  }

  /** Sends RECONNECT (op 7) on every open connection. */
  sendReconnect(): void {
    for (const connection of this.#connections) {
      this.gateway.reconnectsSent += 1;
      connection.socket.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
    }
  }

  /** Asks every connection for a heartbeat now (op 1); the client must answer at once. */
  requestHeartbeat(): void {
    for (const connection of this.#connections) connection.socket.send(JSON.stringify({ op: 1, d: null, s: null, t: null }));
  }

  /** Drops every gateway connection without a close frame, as a network failure would. */
  dropConnections(): void {
    for (const connection of this.#connections) {
      this.gateway.drops += 1;
      connection.socket.terminate();
    }
  }

  /** Polls `check` whenever something happens (and every 50 ms) until it returns a value. */
  async waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const found = check();
    if (found !== undefined) return found;
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#events.off('change', attempt);
      };
      const attempt = (): void => {
        const value = check();
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`stand-in: timed out after ${timeoutMs} ms waiting for ${what}\n${this.report()}`));
      }, timeoutMs);
      const poll = setInterval(attempt, 50);
      this.#events.on('change', attempt);
    });
  }

  /** The bytes of a stored message's attachment named `filename` (as an embed's `attachment://filename` names it). */
  attachmentData(message: StoredMessage, filename: string): Buffer | undefined {
    const current = this.messages.get(message.id) ?? message;
    const attachment = current.attachments.find((a) => a.filename === filename);
    return attachment ? this.uploads.get(attachment.id) : undefined;
  }

  /** Everything a failing test should show: violations, unexpected routes, and the recent trace. */
  report(): string {
    const lines = [
      `violations (${this.violations.length}):`,
      ...this.violations.map((v) => `  - ${v}`),
      `unexpected routes (${this.unexpectedRoutes.length}):`,
      ...this.unexpectedRoutes.map((r) => `  - ${r}`),
      'trace (last 40):',
      ...this.#trace.slice(-40).map((t) => `  ${t}`),
    ];
    return lines.join('\n');
  }

  /** Throws with the report when the bot sent anything Discord would reject or called an unknown route. */
  assertClean(): void {
    if (this.violations.length > 0 || this.unexpectedRoutes.length > 0) throw new Error(`stand-in: the bot did not behave like Discord requires\n${this.report()}`);
  }

  #violation(text: string): void {
    this.violations.push(text);
    this.#note(`VIOLATION ${text}`);
  }

  #note(text: string): void {
    this.#trace.push(`+${Date.now() - this.#started}ms ${text}`);
    this.#events.emit('change');
  }

  // ---------------------------------------------------------------- interactions

  #command(line: string, guildId: string = this.guildId): RegisteredCommand {
    const name = line.trim().split(/\s+/)[0] ?? '';
    const command = [...(this.commands.get(guildId) ?? []), ...(this.commands.get('global') ?? [])].find((c) => c.name === name);
    if (!command) throw new Error(`stand-in: /${name} is not registered (registered: ${this.registeredCommands().map((c) => c.name).join(', ') || 'none'})`);
    return command;
  }

  #interactionIds(): { id: string; token: string } {
    const id = this.snowflake();
    return { id, token: `aW50ZXJhY3Rpb24.${id}.${Math.random().toString(36).slice(2)}` };
  }

  #place(admin: boolean, user: APIUser = this.member, guildId: string = this.guildId): InteractionPlace {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`stand-in: no server ${guildId}`);
    return {
      applicationId: this.applicationId,
      guildId,
      channelId: guild.channelIds[0] ?? this.channelId,
      user,
      memberPermissions: admin ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS,
      appPermissions: APP_PERMISSIONS,
    };
  }

  #dispatchInteraction(ids: { id: string; token: string }, type: 2 | 3 | 4, label: string, payload: unknown, focusedType: number | null, sourceMessageId: string | null): InteractionRecord {
    const record: InteractionRecord = {
      ...ids,
      type,
      label,
      createdAt: Date.now(),
      focusedType,
      sourceMessageId,
      callback: null,
      callbackAt: null,
      originalId: null,
      followupIds: [],
      edited: false,
      http: this.delivery ? { url: this.delivery.url, status: null } : null,
    };
    this.interactions.set(record.id, record);
    if (this.delivery) void this.#deliverOverHttp(record, this.delivery, payload);
    else this.dispatch('INTERACTION_CREATE', payload);
    return record;
  }

  // Discord's HTTP interactions: the signed JSON POSTed to the endpoint, whose response is the callback.
  async #deliverOverHttp(record: InteractionRecord, delivery: HttpDelivery, payload: unknown): Promise<void> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), delivery.privateKey).toString('hex');
    this.#note(`http → ${record.label} to ${delivery.url}`);
    let status = 0;
    let answer: unknown = null;
    try {
      const response = await this.#post(delivery.url, body, { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp });
      status = response.status;
      if (status === 200) answer = JSON.parse(response.text) as unknown;
      else this.#violation(`${record.label}: the endpoint answered ${status}: ${response.text.slice(0, 200)}`);
    } catch (error) {
      this.#violation(`${record.label}: POST ${delivery.url} failed: ${(error as Error).message}`);
    }
    if (record.http) record.http.status = status;
    if (answer !== null) this.#callback(record.id, record.token, answer, new URLSearchParams(), []);
    this.#events.emit('change');
  }

  // One POST over node:http on kept-alive connections: fetch costs several times the CPU per request, which a burst
  // of hundreds would take from the bot on the same cores. A kept-alive connection the endpoint closed as idle (its
  // keepAliveTimeout) just as it was reused is tried once again on a new one, as node:http's docs show for
  // `request.reusedSocket`; the endpoint never saw that request.
  #post(url: string, body: string, headers: Record<string, string>, retried = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: this.#deliveryAgent, timeout: this.#callbackDeadlineMs + 2_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.once('error', reject);
      });
      request.once('timeout', () => request.destroy(new Error(`no answer within ${this.#callbackDeadlineMs + 2_000} ms`)));
      request.once('error', (error: NodeJS.ErrnoException) => {
        if (!retried && request.reusedSocket && error.code === 'ECONNRESET') this.#post(url, body, headers, true).then(resolve, reject);
        else reject(error);
      });
      request.end(body);
    });
  }

  #currentMessage(message: StoredMessage): StoredMessage {
    const current = this.messages.get(message.id);
    if (!current) throw new Error(`stand-in: message ${message.id} does not exist`);
    return current;
  }

  #answerOf(record: InteractionRecord): Answer | undefined {
    const callback = record.callback;
    if (!callback) return undefined;
    const original = record.originalId ? this.messages.get(record.originalId) : undefined;
    switch (callback.type) {
      case 4:
        return original ? { kind: 'reply', message: original, ephemeral: ((original.flags ?? 0) & FLAG_EPHEMERAL) !== 0, deferred: false } : undefined;
      case 5:
        if (original && record.edited) return { kind: 'reply', message: original, ephemeral: ((original.flags ?? 0) & FLAG_EPHEMERAL) !== 0, deferred: true };
        // A public "thinking…" cannot turn ephemeral: the answer is a follow-up, and the "thinking…" is deleted after it.
        return original ? undefined : this.#followupAnswer(record);
      case 7:
        return original ? { kind: 'update', message: original, deferred: false } : undefined;
      case 6:
        if (original && record.edited) return { kind: 'update', message: original, deferred: true };
        // A deferred update answered with a new message instead (not a page of the same message): a follow-up.
        return this.#followupAnswer(record);
      case 8:
        return { kind: 'choices', choices: callback.data.choices };
      default:
        return undefined;
    }
  }

  // The interaction's first follow-up, as its answer (when the original message is not the answer).
  #followupAnswer(record: InteractionRecord): Answer | undefined {
    const id = record.followupIds[0];
    const message = id ? this.messages.get(id) : undefined;
    return message ? { kind: 'reply', message, ephemeral: ((message.flags ?? 0) & FLAG_EPHEMERAL) !== 0, deferred: true } : undefined;
  }

  // ---------------------------------------------------------------- gateway

  /**
   * Sends a dispatch (op 0) on the session of the shard the guild belongs to (Discord's rule:
   * (guild_id >> 22) % shard count), the newest one; while disconnected it is kept and replayed on RESUME.
   */
  dispatch(event: string, data: unknown): void {
    const fields = (data ?? {}) as { guild_id?: unknown; id?: unknown };
    // A server's own events carry its id as `id`; events in a server carry `guild_id`.
    const named = event === 'GUILD_CREATE' || event === 'GUILD_UPDATE' || event === 'GUILD_DELETE' ? fields.id : fields.guild_id;
    const guildId = typeof named === 'string' && this.guilds.has(named) ? named : this.guildId;
    const sessions = [...this.#sessions.values()];
    const session = sessions.filter((s) => s.shard[0] === this.#shardOf(s.shard[1], guildId)).at(-1) ?? sessions.at(-1);
    if (!session) throw new Error(`stand-in: no gateway session to dispatch ${event} on`);
    this.#dispatchOn(session, event, data);
  }

  #dispatchOn(session: Session, event: string, data: unknown): void {
    session.seq += 1;
    const entry = { s: session.seq, t: event, d: data };
    session.sent.push(entry);
    this.#note(`gateway → ${event} s=${entry.s}${session.socket ? '' : ' (queued: disconnected)'}`);
    session.socket?.send(JSON.stringify({ op: 0, ...entry }));
  }

  // The shard id that carries this guild's events when there are `count` shards.
  #shardOf(count: number, guildId: string = this.guildId): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  #handleUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/gateway' && url.pathname !== '/resume') {
      this.unexpectedRoutes.push(`WS ${url.pathname}`);
      socket.destroy();
      return;
    }
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json') {
      this.#violation(`gateway: connected with ${url.search}; expected v=10&encoding=json`);
    }
    if (url.searchParams.has('compress')) this.#violation(`gateway: asked for compress=${url.searchParams.get('compress')}, which the stand-in does not speak`);
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws, url.pathname));
  }

  #onConnection(socket: WebSocket, path: string): void {
    const connection: Connection = { socket, session: null, path };
    this.#connections.add(connection);
    this.gateway.connections += 1;
    this.#note(`gateway: connection on ${path}`);
    socket.on('message', (data) => this.#onGatewayMessage(connection, data.toString()));
    socket.on('close', (code) => {
      this.#connections.delete(connection);
      if (connection.session?.socket === socket) connection.session.socket = null;
      this.#note(`gateway: connection closed (${code})`);
    });
    socket.on('error', () => {});
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.#heartbeatIntervalMs, _trace: ['["standin",{}]'] }, s: null, t: null }));
  }

  #onGatewayMessage(connection: Connection, text: string): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: unknown; d?: unknown };
    } catch {
      this.#violation(`gateway: a frame that is not JSON: ${text.slice(0, 80)}`);
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case 1:
        this.gateway.heartbeats += 1;
        connection.socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        return;
      case 2:
        this.#identify(connection, payload.d as Record<string, unknown>);
        return;
      case 6:
        this.#resume(connection, payload.d as Record<string, unknown>);
        return;
      case 3:
      case 4:
      case 8:
        if (!connection.session) connection.socket.close(4003, 'Not authenticated.');
        return;
      default:
        this.#violation(`gateway: unknown opcode ${String(payload.op)}`);
        connection.socket.close(4001, 'Unknown opcode.');
    }
  }

  #identify(connection: Connection, d: Record<string, unknown>): void {
    this.gateway.identifies += 1;
    this.#note('gateway ← IDENTIFY');
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated.');
      return;
    }
    if (d['token'] !== this.token) {
      this.#violation('gateway: IDENTIFY with the wrong token');
      connection.socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d['intents'] === 'number' ? d['intents'] : -1;
    if (intents < 0) this.#violation('gateway: IDENTIFY without intents');
    if (intents & PRIVILEGED_INTENTS) this.#violation(`gateway: IDENTIFY asks for privileged intents (${intents & PRIVILEGED_INTENTS}); the bot should not need them`);
    const properties = d['properties'] as Record<string, unknown> | undefined;
    if (!properties || typeof properties['os'] !== 'string' || typeof properties['browser'] !== 'string' || typeof properties['device'] !== 'string') {
      this.#violation('gateway: IDENTIFY without properties { os, browser, device }');
    }
    const requested = d['shard'];
    const shard: [number, number] =
      Array.isArray(requested) && requested.length === 2 && Number.isInteger(requested[0]) && Number.isInteger(requested[1]) ? [requested[0] as number, requested[1] as number] : [0, 1];
    if (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) this.#violation(`gateway: IDENTIFY with an impossible shard [${shard.join(', ')}]`);
    this.identifiedShards.push(shard);
    const session: Session = { id: Math.random().toString(16).slice(2).padEnd(32, '0'), seq: 0, intents, shard, sent: [], socket: connection.socket };
    this.#sessions.set(session.id, session);
    connection.session = session;
    const owned = intents & 1 ? [...this.guilds.keys()].filter((id) => shard[0] === this.#shardOf(shard[1], id)) : [];
    const guilds = owned.map((id) => ({ id, unavailable: true }));
    this.#dispatchOn(session, 'READY', {
      v: 10,
      user: this.botUser,
      guilds,
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.#port}/resume`,
      shard,
      application: { id: this.applicationId, flags: 0 },
      _trace: ['["standin",{}]'],
    });
    for (const id of owned) this.#dispatchOn(session, 'GUILD_CREATE', this.#guild(id));
  }

  #resume(connection: Connection, d: Record<string, unknown>): void {
    this.gateway.resumes += 1;
    this.#note(`gateway ← RESUME seq=${String(d['seq'])}`);
    if (connection.path !== '/resume') this.#violation('gateway: RESUME on the gateway URL instead of resume_gateway_url');
    if (d['token'] !== this.token) {
      this.#violation('gateway: RESUME with the wrong token');
      connection.socket.close(4004, 'Authentication failed.');
      return;
    }
    const session = this.#sessions.get(String(d['session_id']));
    if (!session || typeof d['seq'] !== 'number' || d['seq'] > session.seq) {
      connection.socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
      return;
    }
    session.socket = connection.socket;
    connection.session = session;
    const missed = session.sent.filter((entry) => entry.s > (d['seq'] as number));
    for (const entry of missed) connection.socket.send(JSON.stringify({ op: 0, ...entry }));
    this.#note(`gateway: replayed ${missed.length} events`);
    this.#dispatchOn(session, 'RESUMED', { _trace: ['["standin",{}]'] });
  }

  #guild(guildId: string = this.guildId): Record<string, unknown> {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`stand-in: no server ${guildId}`);
    return {
      id: guildId,
      name: 'Lab',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.member.id,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: this.#roles(guildId),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      stickers: [],
      joined_at: '2024-01-01T00:00:00.000000+00:00',
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [guildMember(this.botUser)],
      channels: guild.channelIds.map((id) => this.#channel(id)),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  #channel(id: string): Record<string, unknown> {
    const guild = this.#guildOfChannel(id);
    const position = guild?.channelIds.indexOf(id) ?? 0;
    return {
      id,
      type: 0,
      guild_id: guild?.id ?? this.guildId,
      name: position === 0 ? 'papers' : `channel-${position}`,
      position,
      permission_overwrites: this.overwrites.get(id) ?? [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
    };
  }

  // Only @everyone, with the ordinary member permissions; the bot has no other role.
  #roles(guildId: string): Array<Record<string, unknown>> {
    return [{ id: guildId, name: '@everyone', color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position: 0, permissions: MEMBER_PERMISSIONS, managed: false, mentionable: false, flags: 0 }];
  }

  #guildOfChannel(channelId: string): StandInGuild | undefined {
    return [...this.guilds.values()].find((guild) => guild.channelIds.includes(channelId));
  }

  #openDm(body: unknown): [number, unknown] {
    const recipient = (body as { recipient_id?: unknown } | null)?.recipient_id;
    const user = typeof recipient === 'string' ? this.#users.get(recipient) : undefined;
    if (!user) return [400, { message: 'Invalid Recipient(s)', code: 50033 }];
    let id = this.dmChannels.get(user.id);
    if (id === undefined) {
      id = this.snowflake();
      this.dmChannels.set(user.id, id);
    }
    return [200, { id, type: 1, last_message_id: null, flags: 0, recipients: [user] }];
  }

  #guildMember(guildId: string, userId: string): [number, unknown] {
    const guild = this.guilds.get(guildId);
    if (!guild) return [404, { message: 'Unknown Guild', code: 10004 }];
    if (userId === this.botUser.id) return [200, guildMember(this.botUser)];
    const user = this.#users.get(userId);
    if (!user || !guild.members.has(userId)) return [404, { message: 'Unknown Member', code: 10007 }];
    return [200, guildMember(user)];
  }

  // ---------------------------------------------------------------- REST

  async #handleRest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    let body: unknown = null;
    let files: UploadedFile[] = [];
    try {
      ({ body, files } = parseBody(req.headers['content-type'] ?? '', raw));
    } catch (error) {
      this.#violation(`${method} ${path}: body is not valid: ${(error as Error).message}`);
    }
    const record: RecordedRequest = { at: Date.now(), method, path, query: url.search, body, files, status: 0 };
    this.requests.push(record);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      this.#note(`REST ${method} ${path} → ${status}`);
      res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (!url.pathname.startsWith('/api/v10/')) {
      this.unexpectedRoutes.push(`${method} ${url.pathname} (not API v10)`);
      send(404, { message: '404: Not Found', code: 0 });
      return;
    }
    const fault = this.#faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.times -= 1;
      this.faultsFired.push(`${fault.status} ${method} ${path}`);
      if (fault.status === 429) {
        send(
          429,
          { message: 'You are being rate limited.', retry_after: fault.retryAfter, global: false },
          {
            'retry-after': String(Math.ceil(fault.retryAfter)),
            'x-ratelimit-limit': '5',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String((Date.now() / 1_000 + fault.retryAfter).toFixed(3)),
            'x-ratelimit-reset-after': fault.retryAfter.toFixed(3),
            'x-ratelimit-bucket': 'standin-bucket',
            'x-ratelimit-scope': 'user',
          },
        );
      } else if (fault.status === 403) {
        send(403, { message: 'Missing Access', code: 50001 });
      } else {
        send(500, { message: '500: Internal Server Error', code: 0 });
      }
      return;
    }
    const route = this.#route(method, path);
    if (!route) {
      this.unexpectedRoutes.push(`${method} ${path}`);
      send(404, { message: '404: Not Found', code: 0 });
      return;
    }
    if (route.auth && req.headers['authorization'] !== `Bot ${this.token}`) {
      this.#violation(`${method} ${path}: without "Authorization: Bot <token>"`);
      send(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    const [status, payload] = route.handle(body, url.searchParams, files);
    const slow = this.#slow.find((s) => s.times > 0 && s.method === method && s.path.test(path));
    if (slow) {
      slow.times -= 1;
      this.#note(`REST ${method} ${path}: done, answering in ${slow.delayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
    }
    send(status, payload);
  }

  #route(method: string, path: string): { auth: boolean; handle: (body: unknown, query: URLSearchParams, files: UploadedFile[]) => [number, unknown?] } | null {
    const app = this.applicationId;
    const m = (pattern: RegExp): RegExpExecArray | null => pattern.exec(path);
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      return { auth: true, handle: () => [200, { url: this.gatewayUrl, shards: this.#recommendedShards, session_start_limit: { total: 1_000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }] };
    }
    if (method === 'GET' && path === '/gateway') return { auth: false, handle: () => [200, { url: this.gatewayUrl }] };
    if (method === 'GET' && path === '/users/@me') return { auth: true, handle: () => [200, { ...this.botUser, mfa_enabled: false, verified: true, locale: 'en-US' }] };
    if (method === 'GET' && (path === '/oauth2/applications/@me' || path === '/applications/@me')) return { auth: true, handle: () => [200, this.#application()] };
    if ((match = m(/^\/applications\/(\d+)\/commands$/)) || (match = m(/^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/))) {
      const scope = match[2] ?? 'global';
      if (match[1] !== app) return { auth: true, handle: () => [403, { message: 'Missing Access', code: 50001 }] };
      if (match[2] && !this.guilds.has(match[2])) return { auth: true, handle: () => [403, { message: 'Missing Access', code: 50001 }] };
      if (method === 'PUT') return { auth: true, handle: (body) => this.#putCommands(scope, body) };
      if (method === 'GET') return { auth: true, handle: () => [200, this.commands.get(scope) ?? []] };
      return null;
    }
    if (method === 'POST' && (match = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const [, id = '', token = ''] = match;
      return { auth: false, handle: (body, query, files) => this.#callback(id, token, body, query, files) };
    }
    if ((match = m(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/))) {
      const [, appId = '', token = '', messageId] = match;
      const record = [...this.interactions.values()].find((i) => i.token === token);
      if (appId !== app || !record) return { auth: false, handle: () => (this.#violation(`${method} ${path}: unknown webhook`), [404, { message: 'Unknown Webhook', code: 10015 }]) };
      if (messageId === undefined && method === 'POST') return { auth: false, handle: (body, _query, files) => this.#followup(record, body, files) };
      if (messageId === undefined) return null;
      if (method === 'PATCH') return { auth: false, handle: (body, _query, files) => this.#editWebhookMessage(record, messageId, body, files) };
      if (method === 'GET') return { auth: false, handle: () => this.#getWebhookMessage(record, messageId) };
      if (method === 'DELETE') return { auth: false, handle: () => this.#deleteWebhookMessage(record, messageId) };
      return null;
    }
    if ((match = m(/^\/channels\/(\d+)$/)) && method === 'GET') {
      const id = match[1] ?? '';
      return { auth: true, handle: () => (this.#guildOfChannel(id) ? [200, this.#channel(id)] : [404, { message: 'Unknown Channel', code: 10003 }]) };
    }
    if (method === 'POST' && path === '/users/@me/channels') return { auth: true, handle: (body) => this.#openDm(body) };
    if (method === 'GET' && (match = m(/^\/guilds\/(\d+)\/roles$/))) {
      const id = match[1] ?? '';
      return { auth: true, handle: () => (this.guilds.has(id) ? [200, this.#roles(id)] : [404, { message: 'Unknown Guild', code: 10004 }]) };
    }
    if (method === 'GET' && (match = m(/^\/guilds\/(\d+)\/members\/(\d+)$/))) {
      const [, guildId = '', userId = ''] = match;
      return { auth: true, handle: () => this.#guildMember(guildId, userId) };
    }
    if ((match = m(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      const id = match[1] ?? '';
      return { auth: true, handle: (body, _query, files) => this.#createChannelMessage(id, body, files) };
    }
    return null;
  }

  #application(): Record<string, unknown> {
    return { id: this.applicationId, name: 'paperbot', icon: null, description: '', summary: '', bot_public: false, bot_require_code_grant: false, verify_key: '0'.repeat(64), flags: 0, team: null, owner: this.member, bot: this.botUser };
  }

  #putCommands(scope: string, body: unknown): [number, unknown] {
    const { problems, commands } = checkCommands(body);
    if (problems.length > 0) {
      for (const p of problems) this.#violation(`PUT commands (${scope}): ${p}`);
      return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    }
    const previous = this.commands.get(scope) ?? [];
    const stored = commands.map((c): RegisteredCommand => ({
      ...c,
      id: previous.find((p) => p.name === c.name)?.id ?? this.snowflake(),
      application_id: this.applicationId,
      version: this.snowflake(),
      type: 1,
      ...(scope === 'global' ? {} : { guild_id: scope }),
    }));
    this.commands.set(scope, stored);
    return [200, stored];
  }

  #callback(id: string, token: string, body: unknown, query: URLSearchParams, files: UploadedFile[]): [number, unknown?] {
    const record = this.interactions.get(id);
    if (!record || record.token !== token) {
      this.#violation(`callback for an unknown interaction ${id}`);
      return [404, { message: 'Unknown interaction', code: 10062 }];
    }
    const late = Date.now() - record.createdAt;
    if (late > this.#callbackDeadlineMs) {
      this.#violation(`${record.label}: callback ${late} ms after the interaction (Discord allows ${this.#callbackDeadlineMs})`);
      return [404, { message: 'Unknown interaction', code: 10062 }];
    }
    if (record.callback) {
      this.#violation(`${record.label}: a second callback (type ${(body as { type?: unknown })?.type})`);
      return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
    }
    const { problems, callback } = checkCallback(body, record.type, record.focusedType);
    let attachments: StoredAttachment[] = [];
    if (callback && (callback.type === 4 || callback.type === 7)) {
      const existing = callback.type === 7 && record.sourceMessageId ? knownAttachments(this.messages.get(record.sourceMessageId)) : [];
      const uploads = checkUploads(callback.data, files, existing);
      problems.push(...uploads.problems.map((p) => `data: ${p}`));
      attachments = uploads.attachments;
    } else if (files.length > 0) {
      problems.push(`files sent with a callback of type ${callback?.type ?? '?'}, which carries no message`);
    }
    if (problems.length > 0 || !callback) {
      for (const p of problems) this.#violation(`${record.label}: callback: ${p}`);
      return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    }
    record.callback = callback;
    record.callbackAt = Date.now();
    let message: StoredMessage | null = null;
    if (callback.type === 4) {
      message = this.#storeMessage(this.channelId, callback.data, { interaction: record }, attachments);
      record.originalId = message.id;
    } else if (callback.type === 5) {
      message = this.#storeMessage(this.channelId, { content: '', flags: callback.data?.flags ?? 0 }, { interaction: record, loading: true });
      record.originalId = message.id;
    } else if (callback.type === 6 || callback.type === 7) {
      record.originalId = record.sourceMessageId;
      if (callback.type === 7 && record.sourceMessageId) message = this.#updateMessage(record.sourceMessageId, callback.data, attachments);
    }
    this.#note(`${record.label}: callback type ${callback.type} after ${record.callbackAt - record.createdAt} ms`);
    if (query.get('with_response') !== 'true') return [204];
    return [
      200,
      {
        interaction: { id: record.id, type: record.type, response_message_id: message?.id, response_message_loading: callback.type === 5, response_message_ephemeral: ((message?.flags ?? 0) & FLAG_EPHEMERAL) !== 0 },
        resource: { type: callback.type, ...(message ? { message: toApiMessage(message) } : {}) },
      },
    ];
  }

  #followup(record: InteractionRecord, body: unknown, files: UploadedFile[]): [number, unknown] {
    if (!record.callback) {
      this.#violation(`${record.label}: follow-up before the interaction was acknowledged`);
      return [404, { message: 'Unknown Webhook', code: 10015 }];
    }
    const { problems, message: parsed } = checkMessage(body, { creates: true, interaction: true });
    const uploads = parsed ? checkUploads(parsed, files, []) : { problems: [], attachments: [] };
    problems.push(...uploads.problems);
    if (problems.length > 0) {
      for (const p of problems) this.#violation(`${record.label}: follow-up: ${p}`);
      return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    }
    const message = this.#storeMessage(this.channelId, body as MessageBody, { interaction: record }, uploads.attachments);
    record.followupIds.push(message.id);
    this.#events.emit('change');
    return [200, toApiMessage(message)];
  }

  #editWebhookMessage(record: InteractionRecord, messageId: string, body: unknown, files: UploadedFile[]): [number, unknown] {
    const id = messageId === '@original' ? record.originalId : messageId;
    if (!record.callback || !id || !this.messages.has(id)) {
      this.#violation(`${record.label}: PATCH of message ${messageId} before there is one`);
      return [404, { message: 'Unknown Message', code: 10008 }];
    }
    const { problems, message: parsed } = checkMessage(body, { creates: false, interaction: true });
    const uploads = parsed ? checkUploads(parsed, files, knownAttachments(this.messages.get(id))) : { problems: [], attachments: [] };
    problems.push(...uploads.problems);
    if (problems.length > 0) {
      for (const p of problems) this.#violation(`${record.label}: edit: ${p}`);
      return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    }
    const message = this.#updateMessage(id, body as MessageBody, uploads.attachments);
    if (messageId === '@original' || id === record.originalId) record.edited = true;
    this.#events.emit('change');
    return [200, toApiMessage(message)];
  }

  #getWebhookMessage(record: InteractionRecord, messageId: string): [number, unknown] {
    const id = messageId === '@original' ? record.originalId : messageId;
    const message = id ? this.messages.get(id) : undefined;
    return message ? [200, toApiMessage(message)] : [404, { message: 'Unknown Message', code: 10008 }];
  }

  #deleteWebhookMessage(record: InteractionRecord, messageId: string): [number, unknown?] {
    const id = messageId === '@original' ? record.originalId : messageId;
    if (!id || !this.messages.delete(id)) return [404, { message: 'Unknown Message', code: 10008 }];
    this.#events.emit('change');
    return [204];
  }

  #createChannelMessage(channelId: string, body: unknown, files: UploadedFile[]): [number, unknown] {
    const dmUser = [...this.dmChannels].find(([, id]) => id === channelId)?.[0];
    if (!this.#guildOfChannel(channelId) && dmUser === undefined) return [404, { message: 'Unknown Channel', code: 10003 }];
    if (dmUser !== undefined && this.closedDms.has(dmUser)) return [403, { message: 'Cannot send messages to this user', code: 50007 }];
    const { problems, message: parsed } = checkMessage(body, { creates: true, interaction: false });
    const uploads = parsed ? checkUploads(parsed, files, []) : { problems: [], attachments: [] };
    problems.push(...uploads.problems);
    if (problems.length > 0) {
      for (const p of problems) this.#violation(`POST /channels/${channelId}/messages: ${p}`);
      return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
    }
    const message = body as MessageBody;
    const nonce = message.nonce === undefined ? null : String(message.nonce);
    const key = nonce === null ? null : `${this.botUser.id}:${nonce}`;
    const earlier = key === null ? undefined : this.#nonces.get(key);
    if (message.enforce_nonce && nonce !== null && earlier && Date.now() - earlier.at < NONCE_WINDOW_MS && this.messages.has(earlier.messageId)) {
      this.nonceRepeats.push({ nonce, messageId: earlier.messageId });
      this.#note(`POST /channels/${channelId}/messages: nonce ${nonce} repeated; returned message ${earlier.messageId}`);
      return [200, toApiMessage(this.messages.get(earlier.messageId)!)];
    }
    const stored = this.#storeMessage(channelId, message, {}, uploads.attachments);
    if (nonce !== null) {
      stored.nonce = message.nonce;
      if (key !== null && message.enforce_nonce) this.#nonces.set(key, { messageId: stored.id, at: Date.now() });
    }
    return [200, toApiMessage(stored)];
  }

  #storeMessage(channelId: string, body: MessageBody, how: { interaction?: InteractionRecord; loading?: boolean }, attachments: StoredAttachment[] = []): StoredMessage {
    const id = this.snowflake();
    const content = body.content ?? '';
    const allowedMentions = body.allowed_mentions ?? null;
    const interaction = how.interaction;
    const message: StoredMessage = {
      id,
      channel_id: channelId,
      author: this.botUser,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: this.#attachments(channelId, attachments),
      embeds: (body.embeds ?? []) as APIMessage['embeds'],
      components: (body.components ?? []) as APIMessage['components'],
      pinned: false,
      type: interaction ? 20 : 0,
      flags: (body.flags ?? 0) | (how.loading ? 1 << 7 : 0),
      ...(interaction
        ? {
            application_id: this.applicationId,
            webhook_id: this.applicationId,
            interaction_metadata: { id: interaction.id, type: 2, user: this.member, authorizing_integration_owners: { '0': this.guildId } },
          }
        : {}),
      pings: pingsOf(content, allowedMentions ?? undefined),
      allowedMentions,
    } as StoredMessage;
    message.mention_everyone = message.pings.some((p) => p.startsWith('@'));
    this.messages.set(id, message);
    return message;
  }

  // Attachments as Discord stores them: an uploaded file gets a snowflake and a CDN URL, its bytes kept in `uploads`.
  #attachments(channelId: string, attachments: readonly StoredAttachment[]): APIMessage['attachments'] {
    return attachments.map((attachment) => {
      const upload = attachment.upload;
      if (!upload) return this.#storedAttachment(attachment.id) ?? { id: attachment.id, filename: attachment.filename, size: 0, url: '', proxy_url: '' };
      const id = this.snowflake();
      this.uploads.set(id, upload.data);
      const url = `https://cdn.discordapp.invalid/attachments/${channelId}/${id}/${attachment.filename}`;
      return { id, filename: attachment.filename, size: upload.data.length, url, proxy_url: url, content_type: upload.contentType, ...(attachment.description !== undefined ? { description: attachment.description } : {}) };
    });
  }

  #storedAttachment(id: string): APIMessage['attachments'][number] | undefined {
    for (const message of this.messages.values()) {
      const found = message.attachments.find((a) => a.id === id);
      if (found) return found;
    }
    return undefined;
  }

  #updateMessage(id: string, body: MessageBody, attachments: StoredAttachment[] | null = null): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw new Error(`stand-in: no message ${id}`);
    if (attachments) message.attachments = this.#attachments(message.channel_id, attachments);
    if (body.content !== undefined) message.content = body.content;
    if (body.embeds !== undefined) message.embeds = body.embeds as APIMessage['embeds'];
    if (body.components !== undefined) message.components = body.components as APIMessage['components'];
    if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
    // Edits keep the ephemeral flag and drop the loading one.
    message.flags = (message.flags ?? 0) & FLAG_EPHEMERAL;
    message.edited_timestamp = new Date().toISOString();
    message.pings = pingsOf(message.content, message.allowedMentions ?? undefined);
    message.mention_everyone = message.pings.some((p) => p.startsWith('@'));
    return message;
  }
}

/** An attachment as checkUploads settles it: kept (an id of the message's) or uploaded now. */
type StoredAttachment = KnownAttachment & { upload?: UploadedFile; description?: string };

function knownAttachments(message: StoredMessage | undefined): KnownAttachment[] {
  return (message?.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename }));
}

/** The component with `customId` on a stored message (whose components passed validation). */
function componentOf(message: StoredMessage, customId: string): NonNullable<MessageBody['components']>[number]['components'][number] | undefined {
  const rows = (message.components ?? []) as NonNullable<MessageBody['components']>;
  return rows.flatMap((row) => row.components).find((c) => 'custom_id' in c && c.custom_id === customId);
}

/** The message as the REST API returns it (without the stand-in's own fields). */
function toApiMessage(message: StoredMessage): APIMessage {
  const { pings: _pings, allowedMentions: _allowed, ...api } = message;
  return api;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// JSON, or multipart/form-data (as discord.js sends files): the message in the payload_json part, each file a part.
function parseBody(contentType: string, raw: Buffer): { body: unknown; files: UploadedFile[] } {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (contentType.startsWith('multipart/form-data') && boundary) {
    const files: UploadedFile[] = [];
    let payload: unknown = undefined;
    for (const part of multipartParts(raw, boundary[1] ?? boundary[2] ?? '')) {
      const disposition = /^content-disposition:(.*)$/im.exec(part.head)?.[1] ?? '';
      const field = /\bname="([^"]*)"/.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
      if (field === undefined) throw new Error('a multipart part without a name');
      if (field === 'payload_json') payload = JSON.parse(part.data.toString('utf8'));
      else if (filename !== undefined) files.push({ field, filename, contentType: /^content-type:\s*(.*)$/im.exec(part.head)?.[1]?.trim() ?? '', data: part.data });
      else throw new Error(`a multipart field "${field}" that is neither payload_json nor a file`);
    }
    if (payload === undefined) throw new Error('multipart body without payload_json');
    return { body: payload, files };
  }
  throw new Error(`unexpected content-type "${contentType}"`);
}

// The parts of a multipart body, binary-safe: headers as text, data as bytes.
function multipartParts(raw: Buffer, boundary: string): Array<{ head: string; data: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ head: string; data: Buffer }> = [];
  let at = raw.indexOf(delimiter);
  if (at < 0) throw new Error('multipart body without its boundary');
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString('latin1') === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) throw new Error('multipart body not closed by its boundary');
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('a multipart part without headers');
    parts.push({ head: part.subarray(0, split).toString('utf8'), data: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}
