/**
 * The router's `Responder` for an HTTP interaction: the first acknowledgement is the body of the HTTP
 * response to Discord's request (a reply, an update, or a deferral when the handler is slow), and everything
 * after it (the deferred answer, follow-ups, deleting the "thinking…" message) goes through the
 * interaction's webhook by REST. A reply with files cannot be an HTTP response body (that is JSON), so it is
 * deferred in the response and the files go with the webhook edit.
 */
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse, type REST } from 'discord.js';
import { payloadJson, type MessagePayload } from '../discord/payload.js';
import type { Responder } from '../discord/router.js';

/** The interaction a responder answers: its application and its token (valid 15 minutes). */
interface InteractionTarget {
  applicationId: string;
  token: string;
  /** Only components can update their message. */
  isComponent: boolean;
}

/** Answers one HTTP interaction: the first call becomes the HTTP response, later ones REST calls to its webhook. */
export class HttpResponder implements Responder {
  readonly #target: InteractionTarget;
  readonly #rest: REST;
  /** Sends the HTTP response; resolves once it is written. */
  readonly #send: (body: APIInteractionResponse) => Promise<void>;
  #acknowledged = false;

  constructor(target: InteractionTarget, rest: REST, send: (body: APIInteractionResponse) => Promise<void>) {
    this.#target = target;
    this.#rest = rest;
    this.#send = send;
  }

  async reply(payload: MessagePayload): Promise<unknown> {
    if (hasFiles(payload)) {
      await this.deferReply((payload.flags & MessageFlags.Ephemeral) !== 0);
      return this.editReply(payload);
    }
    return this.#first({ type: InteractionResponseType.ChannelMessageWithSource, data: payloadJson(payload) });
  }

  deferReply(ephemeral: boolean): Promise<unknown> {
    return this.#first({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: MessageFlags.Ephemeral } : {} });
  }

  deferUpdate(): Promise<unknown> {
    if (!this.#target.isComponent) return Promise.reject(new Error('http: deferUpdate on a command'));
    return this.#first({ type: InteractionResponseType.DeferredMessageUpdate });
  }

  async update(payload: MessagePayload): Promise<unknown> {
    if (!this.#target.isComponent) throw new Error('http: update on a command');
    if (hasFiles(payload)) {
      await this.deferUpdate();
      return this.editReply(payload);
    }
    return this.#first({ type: InteractionResponseType.UpdateMessage, data: editBody(payload) });
  }

  editReply(payload: MessagePayload): Promise<unknown> {
    return this.#rest.patch(Routes.webhookMessage(this.#target.applicationId, this.#target.token, '@original'), {
      body: editBody(payload),
      files: rawFiles(payload),
      auth: false,
    });
  }

  followUp(payload: MessagePayload): Promise<unknown> {
    return this.#rest.post(Routes.webhook(this.#target.applicationId, this.#target.token), { body: payloadJson(payload), files: rawFiles(payload), auth: false });
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

function hasFiles(payload: MessagePayload): boolean {
  return (payload.files?.length ?? 0) > 0;
}

// An edit: a message's flags cannot change, so they are left out.
function editBody(payload: MessagePayload): Omit<MessagePayload, 'files' | 'flags'> {
  const { flags: _flags, ...body } = payloadJson(payload);
  return body;
}

// The files as multipart parts `files[n]`, matching the payload's `attachments` entries.
function rawFiles(payload: MessagePayload): Array<{ name: string; data: Uint8Array; key: string }> | undefined {
  return payload.files?.map((file, id) => ({ name: file.name, data: file.data, key: `files[${id}]` }));
}
