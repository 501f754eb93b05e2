/** Buttons, select menus and their custom ids (`<command>:<action>:<args…>`); paging state in the id or a `PagingStateStore`. */
import { randomBytes } from 'node:crypto';
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIStringSelectComponent,
} from 'discord.js';
import { linkFor } from '../corpus/links.js';
import type { Paper } from '../corpus/schema.js';
import type { PaperSearch } from '../search/types.js';
import { UserError, type ComponentRequest, type PagingStateStore, type Reply } from './command.js';
import { defuseMentions, paperEmbed, paperLinkLabel, paperYear, safeHttpUrl, shortAuthors } from './embeds.js';
import { LIMITS, clip, truncate } from './limits.js';

/** One row of message components. */
export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** How long a reply's paging buttons keep working. */
export const COMPONENT_LIFETIME_MS = 15 * 60 * 1000;

/** The action of components that edit their own message (paging) rather than answering anew. */
export const PAGE_ACTION = 'page';

/** The action of select menus that open a paper. */
export const OPEN_ACTION = 'open';

const SEPARATOR = ':';
const INLINE_STATE = 'i';
const STORED_STATE = 's';
const STORE_CAPACITY = 2_000;
/** How far in the future an issue stamp may be before it is taken as forged (clocks of one process do not drift). */
const CLOCK_SLACK_MS = 60_000;

/** Joins a custom_id. Throws when it would exceed 100 characters: that is a bug in the caller, not user input. */
export function customId(command: string, action: string, ...args: string[]): string {
  const id = [command, action, ...args].join(SEPARATOR);
  if (id.length > LIMITS.customId) throw new Error(`components: custom_id of ${id.length} characters: ${id.slice(0, 40)}…`);
  return id;
}

/** Splits a custom_id into command, action and arguments (missing parts are empty strings). */
export function parseCustomId(id: string): { command: string; action: string; args: string[] } {
  const [command = '', action = '', ...args] = id.split(SEPARATOR);
  return { command, action, args };
}

/** The longest key a `PagingStateStore` may hand out. */
export const PAGING_KEY_MAX = 16;

/** A store in this process's memory (replicas need the database's): past `capacity` entries the oldest go first. */
export function memoryPagingStore(capacity: number = STORE_CAPACITY): PagingStateStore {
  const entries = new Map<string, { fields: string[]; storedAt: number }>();
  return {
    async put(fields, now) {
      const key = randomBytes(6).toString('base64url');
      entries.set(key, { fields: [...fields], storedAt: now });
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
      return key;
    },
    async get(key, now) {
      const entry = entries.get(key);
      if (entry && now - entry.storedAt > COMPONENT_LIFETIME_MS) entries.delete(key);
      return entries.get(key)?.fields ?? null;
    },
  };
}

const processPagingStore: PagingStateStore = memoryPagingStore();

/** Paging state of a reply: one or more strings (the command decides what each means), packed for a custom_id. */
export async function packState(fields: readonly string[], room: number, store: PagingStateStore, now: number = Date.now()): Promise<string> {
  try {
    // Percent-encoded: no ':' or '|' left; '+' for a space keeps queries short.
    const inline = INLINE_STATE + fields.map((field) => encodeURIComponent(field).replace(/%20/g, '+')).join('|');
    if (inline.length <= room) return inline;
  } catch {
    // A lone surrogate cannot be encoded: the fields are stored instead.
  }
  return STORED_STATE + (await store.put(fields, now));
}

/** The fields packed by `packState`; null when the state is malformed or no longer stored. */
export async function unpackState(token: string, store: PagingStateStore, now: number = Date.now()): Promise<string[] | null> {
  if (token.startsWith(STORED_STATE)) {
    const key = token.slice(1);
    if (key.length === 0 || key.length > PAGING_KEY_MAX || !/^[\w-]+$/.test(key)) return null;
    return store.get(key, now);
  }
  if (!token.startsWith(INLINE_STATE)) return null;
  try {
    return token.slice(1).split('|').map((field) => decodeURIComponent(field.replace(/\+/g, '%20')));
  } catch {
    return null;
  }
}

/** Seconds since the epoch in base 36: a compact issue time for a custom_id. */
export function issueStamp(at: Date): string {
  return Math.floor(at.getTime() / 1000).toString(36);
}

/** The time a stamp stands for; null when it is not one. */
export function parseIssueStamp(stamp: string): Date | null {
  if (!/^[0-9a-z]{1,10}$/.test(stamp)) return null;
  return new Date(parseInt(stamp, 36) * 1000);
}

/** True when a component issued at `issuedAt` (on a message created at `messageCreatedAt`, if older) is past its lifetime. */
export function isExpired(issuedAt: Date, messageCreatedAt: Date | null, now: Date): boolean {
  const since = Math.min(issuedAt.getTime(), messageCreatedAt?.getTime() ?? Infinity);
  return now.getTime() - since > COMPONENT_LIFETIME_MS;
}

/** A select menu listing papers (at most 25); choosing one opens it as /paper does, ephemerally. */
export function paperSelectRow(command: string, papers: readonly Paper[], placeholder = 'Open a paper…'): ActionRow | null {
  const options = papers.slice(0, LIMITS.selectOptions).map((paper) => ({
    label: truncate(defuseMentions(paper.title), LIMITS.selectOptionLabel) || paper.id,
    value: paper.id,
    description: truncate(defuseMentions(`${paperYear(paper)} · ${shortAuthors(paper, String)}`), LIMITS.selectOptionDescription),
  }));
  if (options.length === 0) return null;
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: customId(command, OPEN_ACTION),
    placeholder: clip(placeholder, LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options,
  };
  return { type: ComponentType.ActionRow, components: [menu] };
}

/** The buttons under a paper: Cite (BibTeX), Related, its code link, and its own page (not an arXiv title search). */
export function paperButtonsRow(paper: Paper): ActionRow {
  const buttons: APIButtonComponent[] = [
    { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Cite (BibTeX)', custom_id: customId('paper', 'cite', paper.id) },
    { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Related', custom_id: customId('paper', 'related', paper.id) },
  ];
  const codeUrl = safeHttpUrl(paper.codeUrl);
  const page = linkFor(paper);
  const pageUrl = page.kind === 'search' ? null : safeHttpUrl(page.url);
  for (const [label, url] of [[paperLinkLabel(paper), codeUrl], [page.label, pageUrl === codeUrl ? null : pageUrl]] as const) {
    if (url && url.length <= LIMITS.buttonUrl) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, label, url });
  }
  return { type: ComponentType.ActionRow, components: buttons };
}

/** A pager click: the 0-based page, when the reply was first made (paging keeps it), the state given to `pagedComponents`. */
type PageRequest = { page: number; issuedAt: Date; state: string[] };

/** Reads a pager click; a UserError with `expiredMessage` once expired, or `invalidComponentMessage` for a forged id. */
export async function readPageRequest(request: ComponentRequest, now: Date, expiredMessage: string, store = processPagingStore): Promise<PageRequest> {
  const { command, action, args } = parseCustomId(request.customId);
  const [pageText = '', stamp = '', token = ''] = args;
  const page = /^\d{1,6}$/.test(pageText) ? Number(pageText) : NaN;
  const issuedAt = parseIssueStamp(stamp);
  const invalid = new UserError(invalidComponentMessage(command));
  if (action !== PAGE_ACTION || Number.isNaN(page) || !issuedAt || args.length !== 3) throw invalid;
  if (issuedAt.getTime() - now.getTime() > CLOCK_SLACK_MS) throw invalid;
  if (isExpired(issuedAt, request.messageCreatedAt, now)) throw new UserError(expiredMessage);
  const state = await unpackState(token, store, now.getTime());
  if (!state) throw token.startsWith(STORED_STATE) ? new UserError(expiredMessage) : invalid;
  return { page, issuedAt, state };
}

/** What a member is told for a component id the bot never made (forged or mangled), as opposed to an expired one. */
export function invalidComponentMessage(command: string): string {
  return `That is not a valid /${command} button or menu. Run /${command} again.`;
}

/** The components of one page of a paged list: a select opening the page's papers, and the pager. */
export async function pagedComponents(
  command: string,
  papers: readonly Paper[],
  page: number,
  pageCount: number,
  issuedAt: Date,
  state: readonly string[],
  store = processPagingStore,
): Promise<ActionRow[]> {
  const rows: ActionRow[] = [];
  const select = paperSelectRow(command, papers);
  if (select) rows.push(select);
  if (pageCount > 1) {
    const stamp = issueStamp(issuedAt);
    // The room the state has in the custom_id of the pager's longest button id.
    const room = LIMITS.customId - [command, PAGE_ACTION, String(pageCount - 1), stamp, ''].join(SEPARATOR).length;
    const packed = await packState(state, room, store, issuedAt.getTime());
    // Prev / page count / Next; `page` is 0-based.
    const target = (to: number, fallback: string) =>
      to >= 0 && to < pageCount ? customId(command, PAGE_ACTION, String(to), stamp, packed) : customId(command, 'noop', fallback);
    const buttons: APIButtonComponent[] = [
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: '◀ Prev', custom_id: target(page - 1, 'prev'), disabled: page <= 0 },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: `Page ${page + 1} of ${pageCount}`, custom_id: customId(command, 'noop', 'count'), disabled: true },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next ▶', custom_id: target(page + 1, 'next'), disabled: page >= pageCount - 1 },
    ];
    rows.push({ type: ComponentType.ActionRow, components: buttons });
  }
  return rows;
}

/** The paper chosen in a paper select menu, opened as /paper shows it, ephemerally. `command` names what to run again. */
export function openSelectedPaper(request: ComponentRequest, index: PaperSearch, command: string): Reply {
  const id = request.values[0];
  const paper = id ? index.get(id) : undefined;
  if (!paper) throw new UserError(`That paper is no longer in the corpus. Run /${command} again.`);
  return paperReply(paper, true);
}

/** One paper as /paper shows it: the full embed and its buttons. */
export function paperReply(paper: Paper, ephemeral = false): Reply {
  return { embeds: [paperEmbed(paper)], components: [paperButtonsRow(paper)], ephemeral };
}
