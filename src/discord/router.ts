/** The interaction router: requests to the handlers, replies out, acknowledged within Discord's 3 s and never twice. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESTJSONErrorCodes, type APIApplicationCommandOptionChoice, type REST } from 'discord.js';
import { isDatabaseUnreachable } from '../db/connect.js';
import { foregroundStarted } from '../foreground.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import { UserError, type AutocompleteRequest, type CommandContext, type CommandRequest, type ComponentRequest, type Reply } from './command.js';
import { PAGE_ACTION, parseCustomId } from './components.js';
import { fitChoices } from './options.js';
import {
  interactionResponder,
  parseApiInteraction,
  requestOfApi,
  type ApiRequest,
  type Responder,
} from './interactions.js';
import { clip, LIMITS } from './limits.js';
import { toPayload } from './payload.js';
import type { CommandMap } from './registry.js';
import { DEFER_AT_ONCE_WAITING, HandlerTurns } from './turns.js';

/** An interaction not answered this long after Discord created it is deferred (Discord's 3 s count from creation). */
export const DEFER_AFTER_MS = 1_000;

/** Autocomplete cannot be deferred: this long after creation, it answers with no choices. */
export const AUTOCOMPLETE_DEADLINE_MS = 2_500;

/** Interactions waiting for their handler to start, at most; past this, new ones are told the bot is busy. */
export const MAX_WAITING = 2_000;

/** What the member reads when too many interactions wait. */
export const BUSY_MESSAGE = 'The bot is busy; try again in a few seconds.';

/** What the member reads while the database does not answer. */
export const DATABASE_UNREACHABLE_MESSAGE = "The bot's database is unreachable; try again shortly.";

/** How long shutdown waits for replies in flight before disconnecting anyway. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** How an interaction ended, as the log line says it. */
type Outcome = 'ok' | 'user-error' | 'error' | 'unknown-command' | 'shutting-down' | 'send-failed' | 'timeout' | 'busy' | 'database-unreachable' | 'expired';

/** Everything the router needs; the timings default to the constants above (tests shorten them). */
export interface RouterOptions {
  commands: CommandMap;
  context: CommandContext;
  log: Logger;
  deferAfterMs?: number;
  autocompleteDeadlineMs?: number;
  maxWaiting?: number;
}

// How a slow handler is acknowledged: a public or ephemeral "thinking…", or a silent update of the component's message.
type DeferMode = 'reply' | 'ephemeral' | 'update';
type Ack = 'none' | DeferMode;

// What a log line and the metrics say of an interaction besides its outcome.
type Fields = { kind: string; command: string } & Record<string, unknown>;

// What the member reads when the router answers in the handler's place.
const REFUSALS = {
  'shutting-down': 'The bot is restarting; try again in a minute.',
  'unknown-command': 'This command or button is not available any more. Run the command again.',
  busy: BUSY_MESSAGE,
} as const;

/** Routes interactions to command handlers. `handle` never rejects. */
export class InteractionRouter {
  readonly #options: Required<RouterOptions>;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #turns = new HandlerTurns();
  #closed = false;

  constructor(options: RouterOptions) {
    this.#options = { deferAfterMs: DEFER_AFTER_MS, autocompleteDeadlineMs: AUTOCOMPLETE_DEADLINE_MS, maxWaiting: MAX_WAITING, ...options };
  }

  /** Interactions being answered right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Answers an interaction from the gateway (INTERACTION_CREATE's data) by REST; one Discord sent oddly is logged. */
  handleGateway(json: unknown, rest: REST): Promise<void> {
    try {
      const interaction = parseApiInteraction(json);
      return this.handle(requestOfApi(interaction), interactionResponder(interaction, rest));
    } catch (error) {
      this.#options.log.error('unreadable interaction', { type: (json as { type?: unknown } | null)?.type, error });
      return Promise.resolve();
    }
  }

  /** Answers a command, autocomplete or component through `responder`; the kinds the bot has no use for are ignored. */
  handle(request: ApiRequest, responder: Responder): Promise<void> {
    if (request.kind === 'command') return this.handleCommand(request.request, responder);
    if (request.kind === 'component') return this.handleComponent(request.request, responder);
    if (request.kind === 'autocomplete') return this.handleAutocomplete(request.request, (choices) => responder.choices(choices));
    return Promise.resolve();
  }

  /** Runs a slash command's handler and answers through `responder`. */
  handleCommand(request: CommandRequest, responder: Responder): Promise<void> {
    const command = this.#options.commands.get(request.command);
    const run = command ? () => command.execute(request, this.#options.context) : null;
    return this.#answer({ kind: 'command', command: request.command, options: request.options }, run, responder, 'reply', request.invoker.createdAt);
  }

  /** Runs a component's handler (dispatched on the custom_id's `<command>:` prefix) and answers through `responder`. */
  handleComponent(request: ComponentRequest, responder: Responder): Promise<void> {
    const { command: name, action } = parseCustomId(request.customId);
    const command = this.#options.commands.get(name);
    const handler = command?.component;
    const run = handler ? () => handler.call(command, request, this.#options.context) : null;
    const mode: DeferMode = action === PAGE_ACTION ? 'update' : 'ephemeral';
    return this.#answer({ kind: 'component', command: name, customId: request.customId, values: request.values }, run, responder, mode, request.invoker.createdAt);
  }

  /** Answers an autocomplete: always, with at most 25 choices, and with none on error or past the deadline. */
  handleAutocomplete(request: AutocompleteRequest, respond: (choices: APIApplicationCommandOptionChoice[]) => Promise<unknown>): Promise<void> {
    const { createdAt } = request.invoker;
    const fields = { kind: 'autocomplete', command: request.command, option: request.focused.name };
    return this.#track(fields, createdAt, async (started) => {
      const deadline = createdOrNow(createdAt, started) + this.#options.autocompleteDeadlineMs;
      const handler = this.#options.commands.get(request.command)?.autocomplete;
      let outcome: Outcome = this.#refusal(handler !== undefined) ?? 'ok';
      let choices: APIApplicationCommandOptionChoice[] = [];
      if (handler && outcome === 'ok') {
        try {
          // The wait for a turn counts against the deadline too: past it, no choices rather than none at all.
          const work = this.#turns.turn(null, true).then(() => (Date.now() < deadline ? handler(request, this.#options.context) : TIMED_OUT));
          const result = await withDeadline(work, deadline - Date.now());
          if (result === TIMED_OUT) outcome = 'timeout';
          else choices = fitChoices(result);
        } catch (error) {
          outcome = 'error';
          this.#options.log.error('autocomplete failed', { ...fields, focused: clip(request.focused.value, 200), error });
        }
      }
      try {
        await respond(choices);
      } catch (error) {
        outcome = 'send-failed';
        this.#options.log.warn('autocomplete answer failed', { ...fields, error: describe(error) });
      }
      this.#done(fields, outcome, started, { choices: choices.length, latencyMs: Date.now() - started });
    });
  }

  /** Stops taking new interactions (they get a short "restarting" answer). */
  close(): void {
    this.#closed = true;
  }

  /** Waits for the interactions in flight, at most `timeoutMs`; true when all finished. */
  drain(timeoutMs: number): Promise<boolean> {
    return allSettledWithin(this.#inFlight, timeoutMs);
  }

  // Runs the handler at its turn; the deferral does not wait for that, it goes out DEFER_AFTER_MS after creation.
  #answer(
    fields: Fields,
    run: (() => Reply | Promise<Reply>) | null,
    responder: Responder,
    mode: DeferMode,
    createdAt: number | undefined,
  ): Promise<void> {
    return this.#track(fields, createdAt, async (started) => {
      const refusal = this.#refusal(run !== null);
      let outcome: Outcome = refusal ?? 'ok';
      let reply: Reply;
      const ack = { state: 'none' as Ack };
      if (refusal || !run) {
        if (refusal === 'unknown-command') this.#options.log.warn('no handler for interaction', fields);
        reply = { content: REFUSALS[refusal ?? 'unknown-command'], ephemeral: true };
      } else {
        const deferIn = createdOrNow(createdAt, started) + this.#options.deferAfterMs - started;
        let deferring: Promise<void> | null = null;
        const deferNow = (): void => {
          deferring ??= this.#defer(responder, ack, mode, fields, createdAt);
        };
        if (deferIn <= 0 || this.#turns.waiting >= DEFER_AT_ONCE_WAITING) deferNow();
        const timer = deferIn > 0 ? setTimeout(deferNow, deferIn) : undefined;
        timer?.unref();
        const work = this.#turns.turn(deferNow).then(() => (this.#expired(createdAt) && ack.state === 'none' && !deferring ? EXPIRED : run()));
        const [settled] = await Promise.allSettled([work]);
        clearTimeout(timer);
        if (deferring) await deferring;
        if ((settled.status === 'fulfilled' && settled.value === EXPIRED) || (ack.state === 'none' && this.#expired(createdAt))) {
          // Its turn (or its deferral) came too late for Discord to take any answer.
          return this.#done(fields, 'expired', started, { ageMs: Date.now() - (createdAt ?? started) });
        }
        if (settled.status === 'fulfilled') reply = settled.value as Reply;
        else if (settled.reason instanceof UserError) {
          outcome = 'user-error';
          reply = { content: settled.reason.message, ephemeral: true };
        } else if (isDatabaseUnreachable(settled.reason)) {
          outcome = 'database-unreachable';
          this.#options.log.warn('handler: the database is unreachable', { ...fields, error: describe(settled.reason) });
          reply = { content: DATABASE_UNREACHABLE_MESSAGE, ephemeral: true };
        } else {
          outcome = 'error';
          const errorId = randomBytes(4).toString('hex');
          this.#options.log.error('handler failed', { ...fields, errorId, error: settled.reason });
          reply = { content: apology(errorId), ephemeral: true };
        }
      }
      try {
        await send(responder, ack.state, reply);
      } catch (error) {
        outcome = 'send-failed';
        this.#options.log.warn('reply failed', { ...fields, error: describe(error) });
      }
      this.#done(fields, outcome, started, { deferred: ack.state !== 'none', latencyMs: Date.now() - started });
    });
  }

  async #defer(responder: Responder, ack: { state: Ack }, mode: DeferMode, fields: Fields, createdAt: number | undefined): Promise<void> {
    // Too late for Discord to take it: sending it would only cost CPU (see #expired).
    if (this.#expired(createdAt)) return;
    this.#turns.deferralSent();
    try {
      await (mode === 'update' ? responder.deferUpdate() : responder.deferReply(mode === 'ephemeral'));
      ack.state = mode;
    } catch (error) {
      // An earlier try of this deferral got through (its response was lost and the REST client resent it): it stands.
      const described = describe(error);
      if (described['code'] === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) ack.state = mode;
      this.#options.log.warn('defer failed', { ...fields, error: described, acknowledged: ack.state === mode });
    } finally {
      this.#turns.deferralDone();
    }
  }

  // Why the router answers in the handler's place (shutting down, no handler, too many waiting), or null.
  #refusal(hasHandler: boolean): keyof typeof REFUSALS | null {
    if (this.#closed) return 'shutting-down';
    if (!hasHandler) return 'unknown-command';
    return this.#turns.waiting >= this.#options.maxWaiting ? 'busy' : null;
  }

  // The log line and the metrics; only known commands become label values (a custom_id can be forged).
  #done(fields: Fields, outcome: Outcome, started: number, details: Record<string, unknown>): void {
    this.#options.log.info('interaction', { ...fields, outcome, ...details });
    const command = this.#options.commands.has(fields.command) ? fields.command : '(unknown)';
    metrics.interactions.inc({ kind: fields.kind, command, outcome });
    metrics.replyLatency.observe({ kind: fields.kind }, (Date.now() - started) / 1000);
  }

  // True when Discord refuses any answer ("Unknown interaction"): such an interaction is neither acknowledged nor run.
  #expired(createdAt: number | undefined): boolean {
    return createdAt !== undefined && Date.now() - createdAt > LIMITS.interactionAckMs;
  }

  // Counts the interaction in flight and keeps any rejection in. One Discord would refuse any answer to now is only logged.
  #track(fields: Fields, createdAt: number | undefined, work: (started: number) => Promise<void>): Promise<void> {
    this.#turns.arrived();
    const done = foregroundStarted();
    const started = Date.now();
    const answer = async (): Promise<void> => {
      if (this.#expired(createdAt)) this.#done(fields, 'expired', started, { ageMs: started - (createdAt ?? started) });
      else await work(started);
    };
    const promise = answer().catch((error: unknown) => {
      this.#options.log.error('router failed', { error });
    });
    this.#inFlight.add(promise);
    void promise.finally(() => {
      this.#inFlight.delete(promise);
      done();
    });
    return promise;
  }
}

/** The member's apology for a bug, with the id the log line carries. */
export function apology(errorId: string): string {
  return `Sorry, something went wrong on our side. The error is logged as \`${errorId}\`; quote it if you report this.`;
}

// Sends a reply the way the acknowledgement so far allows; never acknowledges twice.
async function send(responder: Responder, ack: Ack, reply: Reply): Promise<void> {
  const payload = toPayload(reply);
  if (ack === 'none') await (reply.update ? responder.update(payload) : responder.reply(payload));
  else if (ack === 'update') await (reply.update ? responder.editReply(payload) : responder.followUp(payload));
  // A "thinking…" message cannot change between public and ephemeral: answer anew the other way, then remove it.
  else if (ack === 'ephemeral' ? reply.ephemeral || reply.update : !reply.ephemeral) await responder.editReply(payload);
  else {
    await responder.followUp(payload);
    await responder.deleteReply();
  }
}

const TIMED_OUT = Symbol('timed out');
const EXPIRED = Symbol('expired');

// Deadlines count from the interaction's creation; a clock behind Discord's must not push them past its arrival.
function createdOrNow(createdAt: number | undefined, now: number): number {
  return createdAt === undefined ? now : Math.min(createdAt, now);
}

// Resolves with the promise's value, or TIMED_OUT after `ms` (the timer never holds the process open).
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return Promise.race([promise, sleep(ms, TIMED_OUT, { ref: false })]);
}

/** Waits for `promises` to settle, at most `ms`; true when all did. */
export async function allSettledWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  return (await withDeadline(Promise.allSettled(promises), ms)) !== TIMED_OUT;
}

// An error for a log line: name, code and message only (discord.js request errors carry request bodies).
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, code: (error as { code?: unknown }).code };
  return { message: String(error) };
}
