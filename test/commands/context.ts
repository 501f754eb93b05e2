/**
 * Command contexts over a real corpus and index: the seed page, the colleague fixture and a hostile page
 * (mentions and markdown in titles and names). Nothing is mocked; `now` is fixed so expiry is testable.
 */
import { readFile } from 'node:fs/promises';
import type { APIEmbed } from 'discord.js';
import { expect } from 'vitest';
import { loadCorpusFromFiles } from '../../src/corpus/load.js';
import type { Command, CommandContext, ComponentRequest, Invoker, OptionValues, Reply } from '../../src/discord/command.js';
import type { Library } from '../../src/search/library.js';
import { silentLogger } from '../../src/log.js';
import { PaperIndex } from '../../src/search/index.js';

/** The day year-less dates are read against, and the context's "now". */
export const AS_OF = new Date('2026-11-27T12:00:00Z');

/** The pages every command test reads. */
export const PAGES = ['data/profiles/francesco-locatello.txt', 'test/fixtures/pages/colleague.txt', 'test/fixtures/bot/hostile.txt'];

/** An invoker in a server channel. */
export const INVOKER: Invoker = { userId: '1', guildId: '2', channelId: '3', permissions: 0n };

/** The library over `PAGES` (built once per test file). */
export async function testLibrary(pages: readonly string[] = PAGES): Promise<Library> {
  const files = await Promise.all(pages.map(async (file) => ({ file, text: await readFile(file, 'utf8') })));
  const corpus = loadCorpusFromFiles(files, { asOf: AS_OF });
  return { corpus, index: PaperIndex.build(corpus), loadedAt: AS_OF };
}

/** A context over a library; `now` may be moved forward to test expiry. */
export function contextOf(library: Library, now: () => Date = () => AS_OF): CommandContext {
  return { library: () => library, log: silentLogger, now };
}

/** Runs a command's handler as the router would. */
export async function run(command: Command, ctx: CommandContext, options: OptionValues): Promise<Reply> {
  return command.execute({ command: command.data.name, options, invoker: INVOKER }, ctx);
}

/** Clicks a component of a reply as the router would. */
export async function click(command: Command, ctx: CommandContext, customId: string, values: string[] = []): Promise<Reply> {
  const request: ComponentRequest = { customId, values, invoker: INVOKER, messageCreatedAt: null };
  if (!command.component) throw new Error(`${command.data.name} has no component handler`);
  return command.component(request, ctx);
}

/** The message a handler's UserError shows (or a failure when it did not throw). */
export async function userErrorOf(action: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (error instanceof Error && error.name === 'UserError') return error.message;
    throw error;
  }
  throw new Error('expected a UserError, but the handler answered');
}

/** The one embed of a reply. */
export function onlyEmbed(reply: Reply): APIEmbed {
  expect(reply.embeds).toHaveLength(1);
  return reply.embeds![0]!;
}

/** Every custom_id in a reply, in order. */
export function customIds(reply: Reply): string[] {
  return (reply.components ?? []).flatMap((row) => row.components.flatMap((c) => ('custom_id' in c && c.custom_id ? [c.custom_id] : [])));
}

/** The button labels of a reply, in order. */
export function buttonLabels(reply: Reply): string[] {
  return (reply.components ?? []).flatMap((row) => row.components.flatMap((c) => ('label' in c && c.label ? [c.label] : [])));
}

/** The paper titles numbered in a list embed's description, in order. */
export function listedTitles(embed: APIEmbed): string[] {
  return [...(embed.description ?? '').matchAll(/^\*\*\d+\.\*\* \[(.*?)\]\(https:/gm)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
}
