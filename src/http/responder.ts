/**
 * The router's `Responder` for an HTTP interaction: the first acknowledgement is the body of the HTTP
 * response to Discord's request (a reply, an update, or a deferral when the handler is slow), and everything
 * after it (the deferred answer, follow-ups, deleting the "thinking…" message) goes through the
 * interaction's webhook by REST. A reply with files cannot be an HTTP response body (that is JSON), so it is
 * deferred in the response and the files go with the webhook edit.
 */
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse, type REST } from 'discord.js';
import type { ReplyFile } from '../discord/command.js';
import type { MessagePayload } from '../discord/payload.js';
import type { Responder } from '../discord/router.js';

/** The interaction a responder answers: its application and its token (valid 15 minutes). */
export interface InteractionTarget {
  applicationId: string;
  token: string;
  /** Only components can update their message. */
  isComponent: boolean;
}

/** Sends the HTTP response; resolves once it is written. */
export type SendResponse = (body: APIInteractionResponse) => Promise<void>;

// A payload as the router hands it over; the files appear on it once replies carry pictures.
type PayloadWithFiles = MessagePayload & { files?: readonly ReplyFile[] };

/** Answers one HTTP interaction: the first call becomes the HTTP response, later ones REST calls to its webhook. */
export class HttpResponder implements Responder {
  readonly #target: InteractionTarget;
  readonly #rest: REST;
  readonly #send: SendResponse;
  #acknowledged = false;

  constructor(target: InteractionTarget, rest: REST, send: SendResponse) {
    this.#target = target;
    this.#rest = rest;
    this.#send = send;
  }

  /** True once the HTTP response went out. */
  get acknowledged(): boolean {
    return this.#acknowledged;
  }

  async reply(payload: PayloadWithFiles): Promise<unknown> {
    if (hasFiles(payload)) {
      await this.deferReply((payload.flags & MessageFlags.Ephemeral) !== 0);
      return this.editReply(payload);
    }
    return this.#first({ type: InteractionResponseType.ChannelMessageWithSource, data: createBody(payload) });
  }

  deferReply(ephemeral: boolean): Promise<unknown> {
    return this.#first({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} });
  }

  deferUpdate(): Promise<unknown> {
    if (!this.#target.isComponent) return Promise.reject(new Error('http: deferUpdate on a command'));
    return this.#first({ type: InteractionResponseType.DeferredMessageUpdate });
  }

  async update(payload: PayloadWithFiles): Promise<unknown> {
    if (!this.#target.isComponent) throw new Error('http: update on a command');
    if (hasFiles(payload)) {
      await this.deferUpdate();
      return this.editReply(payload);
    }
    return this.#first({ type: InteractionResponseType.UpdateMessage, data: editBody(payload) });
  }

  editReply(payload: PayloadWithFiles): Promise<unknown> {
    return this.#rest.patch(Routes.webhookMessage(this.#target.applicationId, this.#target.token, '@original'), {
      body: editBody(payload),
      files: rawFiles(payload),
      auth: false,
    });
  }

  followUp(payload: PayloadWithFiles): Promise<unknown> {
    return this.#rest.post(Routes.webhook(this.#target.applicationId, this.#target.token), { body: createBody(payload), files: rawFiles(payload), auth: false });
  }

  deleteReply(): Promise<unknown> {
    return this.#rest.delete(Routes.webhookMessage(this.#target.applicationId, this.#target.token, '@original'), { auth: false });
  }

  async #first(body: APIInteractionResponse): Promise<void> {
    // The router never acknowledges twice; this guards against a second HTTP response all the same.
    if (this.#acknowledged) throw new Error('http: the interaction was already acknowledged');
    this.#acknowledged = true;
    await this.#send(body);
  }
}

function hasFiles(payload: PayloadWithFiles): boolean {
  return (payload.files?.length ?? 0) > 0;
}

// A new message: everything but the files (which travel as multipart parts), with the ephemeral flag.
function createBody(payload: PayloadWithFiles): Omit<MessagePayload, 'flags'> & { flags?: number; attachments?: Array<{ id: number; filename: string; description?: string }> } {
  const { files: _files, ...body } = payload;
  return { ...body, ...attachmentsOf(payload) };
}

// An edit: a message's flags cannot change, so they are left out.
function editBody(payload: PayloadWithFiles): Omit<MessagePayload, 'flags'> {
  const { files: _files, flags: _flags, ...body } = payload;
  return { ...body, ...attachmentsOf(payload) };
}

function attachmentsOf(payload: PayloadWithFiles): { attachments?: Array<{ id: number; filename: string; description?: string }> } {
  if (!hasFiles(payload)) return {};
  return {
    attachments: (payload.files ?? []).map((file, id) => ({ id, filename: file.name, ...(file.description ? { description: file.description } : {}) })),
  };
}

function rawFiles(payload: PayloadWithFiles): Array<{ name: string; data: Uint8Array; key: string }> | undefined {
  if (!hasFiles(payload)) return undefined;
  return (payload.files ?? []).map((file, id) => ({ name: file.name, data: file.data, key: `files[${id}]` }));
}
