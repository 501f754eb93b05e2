/**
 * A burst of interactions at once, mixing every command (and autocompletes and a pager click), for the burst e2e
 * test and `npm run bench:burst`; and busy processes to put beside the bot, as other jobs on a small host do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Answer, DiscordStandIn, InteractionRecord, StoredMessage } from './standin/server.js';
import { buttonId } from './messages.js';

/** A paper of the seed page, by its title. */
export const BURST_TITLE = 'Assaying Out-Of-Distribution Generalization in Transfer Learning';

/** What a burst needs made beforehand: a pager message to click and a paper value /cite accepts. */
export interface BurstSetup {
  pager: StoredMessage;
  citeValue: string;
}

/**
 * Makes the setup through the bot itself (one search with more than one page, one autocomplete). A bot just started
 * on a loaded host may take longer than Discord's 3 s for its very first interactions, which it then leaves
 * unanswered (Discord would refuse the answer), so each is tried up to three times.
 */
export async function prepareBurst(discord: DiscordStandIn): Promise<BurstSetup> {
  const pagerAnswer = await firstAnswer(discord, () => discord.command('search', { query: 'learning' }));
  if (pagerAnswer.kind === 'choices') throw new Error('burst: /search answered with choices');
  const cite = await firstAnswer(discord, () => discord.autocomplete('cite', 'paper', 'assaying'));
  const citeValue = cite.kind === 'choices' ? String(cite.choices[0]?.value ?? '') : '';
  if (!citeValue) throw new Error('burst: /cite paper autocomplete offered nothing');
  return { pager: pagerAnswer.message, citeValue };
}

async function firstAnswer(discord: DiscordStandIn, send: () => InteractionRecord): Promise<Answer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await discord.answer(send(), 15_000);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The mix, one entry per kind of interaction; a burst of n takes them round-robin. */
function mix(discord: DiscordStandIn, setup: BurstSetup): Array<() => InteractionRecord> {
  const admin = { admin: true };
  return [
    () => discord.command('paper', { query: BURST_TITLE }),
    () => discord.command('search', { query: 'causal' }),
    () => discord.command('search', { query: 'representation', sort: 'newest' }),
    () => discord.command('latest', { count: 3 }),
    () => discord.command('cite', { paper: setup.citeValue, format: 'bibtex' }),
    () => discord.command('coauthor', { name: 'Francesco Locatello' }),
    () => discord.command('stats', {}),
    () => discord.command('help', {}),
    () => discord.command('follow topic', { query: 'slot attention' }),
    () => discord.command('follow list', {}),
    () => discord.command('unfollow', { which: 'nothing followed by this name' }),
    () => discord.command('settings show', {}, admin),
    () => discord.command('announce preview', {}, admin),
    () => discord.autocomplete('paper', 'query', 'assaying out'),
    () => discord.autocomplete('search', 'author', 'loc'),
    () => discord.autocomplete('coauthor', 'name', 'fra'),
    () => discord.click(setup.pager, buttonId(setup.pager, /Next/)),
  ];
}

/** Every command's name the mix runs (to check it mixes every command the bot registers). */
export const BURST_COMMANDS = ['announce', 'cite', 'coauthor', 'follow', 'help', 'latest', 'paper', 'search', 'settings', 'stats', 'unfollow'];

/** Fires `count` interactions in one go (one synchronous loop: "at once"); returns their records. */
export function fireBurst(discord: DiscordStandIn, setup: BurstSetup, count: number): InteractionRecord[] {
  const kinds = mix(discord, setup);
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!());
}

/** Waits until every record has its first callback (or `timeoutMs` passed); returns those still without one. */
export async function awaitFirstCallbacks(discord: DiscordStandIn, records: readonly InteractionRecord[], timeoutMs: number): Promise<InteractionRecord[]> {
  // A callback the stand-in refused (late: 10062) is never recorded; the violation says so, so stop waiting at the deadline.
  try {
    await discord.waitFor('every first callback', () => (records.every((record) => record.callback !== null) ? true : undefined), timeoutMs);
  } catch {
    // Reported by the caller, with the records still open.
  }
  return records.filter((record) => record.callback === null);
}

/** First-callback latency of each answered record, from the interaction's creation, in ms. */
export function firstCallbackLatencies(records: readonly InteractionRecord[]): number[] {
  return records.flatMap((record) => (record.callbackAt === null ? [] : [record.callbackAt - record.createdAt]));
}

/** `count` processes that keep a core busy each (a plain spin loop), until `stop`. */
export function busyProcesses(count: number): { stop(): void } {
  const children: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    stop() {
      for (const child of children) child.kill('SIGKILL');
    },
  };
}
