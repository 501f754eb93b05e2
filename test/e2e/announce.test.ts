/**
 * Announcements end to end: a page dropped into DATA_DIR/profiles while the bot runs gets exactly its new
 * papers posted to ANNOUNCE_CHANNEL_ID, once; after a restart on the same STATE_DIR nothing is posted again.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, botEnvironment, makeWorkspace, processesLeft, type Workspace } from './bot-process.js';
import { nothingPending, registerCommands, startLiveBot } from './live-bot.js';
import { textOf } from './messages.js';
import { DiscordStandIn, type StoredMessage } from './standin/server.js';

const NEW_PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ada-lovelace-example.txt');
/** The papers only the new page has. */
const NEW_TITLES = ['Counterfactual Slot Attention for Sparse Physical Scenes', 'Identifiable Latent Tracking in Long Video without Labels'];
/** On the new page and already on the seed page: not new. */
const SHARED_TITLE = 'Marrying Causal Representation Learning with Dynamical Systems for Science';
const announceChannelId = '1300000000000000002';

let discord: DiscordStandIn;
let workspace: Workspace;
let env: NodeJS.ProcessEnv;
const bots: BotProcess[] = [];

beforeAll(async () => {
  discord = await DiscordStandIn.start({ extraChannelIds: [announceChannelId] });
  workspace = await makeWorkspace();
  env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: announceChannelId, ANNOUNCE_BACKFILL: '0' });
  await registerCommands(discord, env);
}, 30_000);

afterAll(async () => {
  for (const bot of bots) bot.kill();
  await discord?.close();
  await workspace?.remove();
});

function announced(): StoredMessage[] {
  return discord.channelMessages(announceChannelId);
}

/** How often each title appears over all announcement messages. */
function titleCounts(titles: string[]): number[] {
  const text = announced().map(textOf).join('\n');
  return titles.map((title) => text.split(title).length - 1);
}

describe('announcements', () => {
  it('announces exactly the new papers of a dropped-in page, once, and nothing again after a restart', async () => {
    const first = await startLiveBot(env, bots);
    await first.waitForLog('the announcement baseline', (line) => String(line.msg).startsWith('announce: took the present corpus as the baseline'));
    expect(announced(), 'the seed corpus is the baseline, not news').toEqual([]);

    await copyFile(NEW_PAGE, path.join(workspace.profilesDir, path.basename(NEW_PAGE)));
    await discord
      .waitFor('both new papers to be announced', () => (titleCounts(NEW_TITLES).every((n) => n >= 1) ? true : undefined), 15_000)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${first.tail()}`)));
    // Once nothing is pending, nothing more can be on its way.
    await nothingPending(discord, { tail: () => first.tail() });
    expect(titleCounts(NEW_TITLES)).toEqual([1, 1]);
    expect(titleCounts([SHARED_TITLE])).toEqual([0]);
    const posted = announced().length;

    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await processesLeft(first.child.pid ?? -1)).toEqual([]);

    await startLiveBot(env, bots);
    await nothingPending(discord);
    expect(announced()).toHaveLength(posted);
    expect(titleCounts(NEW_TITLES)).toEqual([1, 1]);
    discord.assertClean();
  }, 50_000);
});
