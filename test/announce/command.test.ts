import { DiscordAPIError, PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import announce from '../../commands/announce.js';
import { createAnnouncer, type Announcer } from '../../src/announce/announcer.js';
import type { CommandContext, CommandRequest } from '../../src/discord/command.js';
import { LIMITS } from '../../src/discord/limits.js';
import { SUBCOMMAND_OPTION } from '../../src/discord/options.js';
import { contextFor, seedPage } from '../cite/library.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { arrayLogger, corpusOf, manualScheduler, paper, recordingPost } from './helpers.js';

const CHANNEL = '1300000000000000002';
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.SendMessages;
const fresh1 = paper('Counterfactual Slot Attention', '2025-06-01');
const fresh2 = paper('Identifiable Latent Tracking', '2025-07-02');

function request(subcommand: string, permissions: bigint | null = ADMIN): CommandRequest {
  return { command: 'announce', options: { [SUBCOMMAND_OPTION]: subcommand }, invoker: { userId: '1', guildId: '2', channelId: '3', permissions } };
}

let database: TempDatabase;
let announcer: Announcer;
let ctx: CommandContext;
let recorder: ReturnType<typeof recordingPost>;
let timers: ReturnType<typeof manualScheduler>;

beforeEach(async () => {
  database = await tempDatabase('announce-command');
  recorder = recordingPost();
  timers = manualScheduler();
  const base = contextFor([await seedPage()]);
  announcer = await createAnnouncer({
    db: database.handle.db, start: { guildId: '2', channelId: CHANNEL }, post: recorder.post, log: arrayLogger().log, schedule: timers.schedule,
    now: () => new Date('2026-01-01T00:00:00Z'), random: () => 1,
  });
  announcer.update(base.library().corpus);
  await announcer.idle();
  ctx = { ...base, announcements: announcer };
});

afterEach(async () => {
  await announcer.stop();
  await database.remove();
});

async function addPapers(...papers: ReturnType<typeof paper>[]): Promise<void> {
  announcer.update(corpusOf([...ctx.library().corpus.papers, ...papers]));
  await announcer.idle();
}

describe('/announce', () => {
  it('is a guild command that needs Manage Server by default, with preview and now', () => {
    expect(announce.data.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(announce.data.contexts).toEqual([0]);
    expect(announce.data.options?.map((option) => option.name)).toEqual(['preview', 'now']);
  });

  it('refuses members without Manage Server even where an admin opened the command to them', async () => {
    await expect(announce.execute(request('preview', PermissionFlagsBits.SendMessages), ctx)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[UserError: Only members with the Manage Server permission can use /announce.]`,
    );
    await expect(announce.execute(request('now', null), ctx)).rejects.toThrow('Manage Server');
    expect(recorder.attempts).toBe(0);
  });

  it('lets administrators in', async () => {
    const reply = await announce.execute(request('preview', PermissionFlagsBits.Administrator), ctx);
    expect(reply.ephemeral).toBe(true);
  });

  it('says how to turn announcements on when none run', async () => {
    const { announcements: _unused, ...offline } = ctx;
    await expect(announce.execute(request('preview'), offline)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[UserError: Announcements are not running in this bot process.]`,
    );
  });

  it('previews nothing waiting right after the baseline', async () => {
    expect(await announce.execute(request('preview'), ctx)).toMatchInlineSnapshot(`
      {
        "content": "Nothing is waiting to be announced in <#1300000000000000002>. Papers added to the corpus are posted there as their page is read.",
        "ephemeral": true,
      }
    `);
  });

  it('previews the waiting papers oldest first, and where and when the next try is when posting fails', async () => {
    recorder.failWith = new DiscordAPIError({ code: 50013, message: 'Missing Permissions' }, 50013, 403, 'POST', '/x', {});
    await addPapers(fresh2, fresh1);
    const reply = await announce.execute(request('preview'), ctx);
    expect(reply.content).toMatchInlineSnapshot(`
      "2 papers would be announced next in <#1300000000000000002>, oldest first, in 1 message:
      Posting is failing: the bot may not post in the channel (Missing Permissions); give it Send Messages and Embed Links there (403, code 50013). The next try is <t:1767225605:R>; /announce now tries at once.
      • Counterfactual Slot Attention (Jun 1, 2025)
      • Identifiable Latent Tracking (Jul 2, 2025)"
    `);
  });

  it('keeps a long preview within one message, saying how many more wait', async () => {
    const many = Array.from({ length: 300 }, (_, i) => paper(`A rather long title for a paper about subject number ${i}`, '2025-01-01', { authors: [`Author ${i}`] }));
    recorder.failWith = new Error('offline');
    await addPapers(...many);
    const content = (await announce.execute(request('preview'), ctx)).content ?? '';
    expect(content.length).toBeLessThanOrEqual(LIMITS.messageContent);
    const shown = content.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(content).toContain(`\n… and ${300 - shown} more`);
    expect(content.split('\n')[0]).toBe('300 papers would be announced next in <#1300000000000000002>, oldest first, in 30 messages:');
  });

  it('posts the waiting papers now and says so', async () => {
    recorder.failWith = new Error('offline');
    await addPapers(fresh1, fresh2);
    recorder.failWith = undefined;
    expect((await announce.execute(request('now'), ctx)).content).toMatchInlineSnapshot(`"Posted 2 papers to <#1300000000000000002>."`);
    expect(recorder.titles()).toEqual([fresh1.title, fresh2.title]);
    expect((await announce.execute(request('now'), ctx)).content).toMatchInlineSnapshot(`"Nothing was waiting to be announced in <#1300000000000000002>."`);
  });

  it('reports a failed post and that the papers still wait', async () => {
    recorder.failWith = new DiscordAPIError({ code: 10003, message: 'Unknown Channel' }, 10003, 404, 'POST', '/x', {});
    await addPapers(fresh1);
    expect((await announce.execute(request('now'), ctx)).content).toMatchInlineSnapshot(
      `"Posting to <#1300000000000000002> failed: the channel does not exist (deleted?); pick another with /settings announce channel (404, code 10003). 1 paper still waiting; it is retried automatically."`,
    );
  });
});
