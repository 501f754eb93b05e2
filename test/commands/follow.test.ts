/** /follow, /unfollow and /settings over the real corpus and a real SQLite file. */
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import follow from '../../commands/follow.js';
import settings from '../../commands/settings.js';
import unfollow from '../../commands/unfollow.js';
import { MAX_FOLLOWS } from '../../src/db/follows.js';
import { guildSettings } from '../../src/db/settings.js';
import type { Command, CommandContext, Invoker, OptionValues } from '../../src/discord/command.js';
import { SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from '../../src/discord/options.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { contextOf, testLibrary, userErrorOf } from './context.js';

const member: Invoker = { userId: '11', guildId: '22', channelId: '33', permissions: PermissionFlagsBits.SendMessages };
const admin: Invoker = { ...member, userId: '12', permissions: PermissionFlagsBits.ManageGuild };

let database: TempDatabase;
let ctx: CommandContext;
const problems = new Map<string, string | null>();
const changed: string[] = [];
let clock = Date.parse('2026-11-27T12:00:00Z');

beforeAll(async () => {
  database = await tempDatabase('follow-command');
  ctx = {
    // A clock that moves a second per reading, so follows are listed in the order they were made.
    ...contextOf(await testLibrary(), () => new Date((clock += 1_000))),
    db: database.handle.db,
    guilds: { channelProblem: async (_guildId, channelId) => problems.get(channelId) ?? null },
    settingsChanged: async (guildId) => void changed.push(guildId),
  };
});

afterAll(async () => {
  await database.remove();
});

function run(command: Command, options: OptionValues, invoker: Invoker = member) {
  return command.execute({ command: command.data.name, options, invoker }, ctx);
}

describe('/follow', () => {
  it('follows an author, a topic with filters and a category, says so privately, and refuses the same follow twice', async () => {
    expect((await run(follow, { [SUBCOMMAND_OPTION]: 'author', name: 'locatello' })).content).toMatchInlineSnapshot(
      `"Following author Francesco Locatello. When a new paper matches, I'll send you a direct message (1 of 25 follows used)."`,
    );
    const topic = await run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'slot  attention', category: 'cs.cv', has_code: true });
    expect(topic.content).toMatchInlineSnapshot(
      `"Following topic “slot attention” (in Computer Vision and Pattern Recognition, with code). When a new paper matches, I'll send you a direct message (2 of 25 follows used)."`,
    );
    expect(topic.ephemeral).toBe(true);
    expect((await run(follow, { [SUBCOMMAND_OPTION]: 'category', category: 'ME' })).content).toContain('Following category Methodology (stat.ME).');
    expect((await run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'Slot Attention', category: 'CV', has_code: true })).content).toMatchInlineSnapshot(
      `"You already follow topic “slot attention” (in Computer Vision and Pattern Recognition, with code)."`,
    );
  });

  it('answers bad input with a clear message', async () => {
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'author', name: 'nobody at all' }))).toMatch(/^No one called “nobody at all” is in the corpus/);
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'the of and' }))).toMatchInlineSnapshot(
      `"“the of and” has only words too common to follow (like “the” or “of”): add a more specific word."`,
    );
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: '@everyone' }))).toMatchInlineSnapshot(`"“@​everyone” has no words to follow once mentions, links and one-letter words are left out: add a word about the topic."`);
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'author', name: 'Francesco' }))).toMatch(/^“Francesco” is ambiguous/);
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: '!!!' }))).toBe('Give some words to follow, e.g. `slot attention`.');
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'category', category: 'zz.XX' }))).toMatch(/^No category “zz\.XX” in the corpus/);
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'author', name: 'locatello' }, { ...member, guildId: null }))).toMatchInlineSnapshot(
      `"Use /follow in a server: alerts go to members of the servers the bot is in."`,
    );
  });

  it(`stops at ${MAX_FOLLOWS} follows and says so`, async () => {
    const busy: Invoker = { ...member, userId: '99' };
    for (let i = 0; i < MAX_FOLLOWS; i += 1) await run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: `causal topic${i}` }, busy);
    expect(await userErrorOf(() => run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'one more' }, busy))).toMatchInlineSnapshot(
      `"You already have 25 follows, the most one member can have. Remove one with /unfollow first (/follow list shows them)."`,
    );
  });

  it('lists the follows, offers them to /unfollow, and stops the one chosen', async () => {
    const listed = (await run(follow, { [SUBCOMMAND_OPTION]: 'list' })).content ?? '';
    expect(listed.split('\n').filter((line) => line.startsWith('• '))).toEqual([
      '• author Francesco Locatello: nothing delivered yet',
      '• topic “slot attention” (in Computer Vision and Pattern Recognition, with code): nothing delivered yet',
      '• category Methodology (stat.ME): nothing delivered yet',
    ]);
    const choices = await unfollow.autocomplete?.({ command: 'unfollow', options: {}, invoker: member, focused: { name: 'which', value: 'slot' } }, ctx);
    expect(choices?.map((choice) => choice.name)).toEqual(['topic “slot attention” (in Computer Vision and Pattern Recognition, with code)']);
    const others = await unfollow.autocomplete?.({ command: 'unfollow', options: {}, invoker: { ...member, userId: '77' }, focused: { name: 'which', value: '' } }, ctx);
    expect(others).toEqual([]);
    const stopped = await unfollow.execute({ command: 'unfollow', options: { which: String(choices?.[0]?.value) }, invoker: member }, ctx);
    expect(stopped.content).toMatchInlineSnapshot(`"Stopped following topic “slot attention” (in Computer Vision and Pattern Recognition, with code). You get no more messages for it."`);
    expect(await userErrorOf(() => unfollow.execute({ command: 'unfollow', options: { which: 'topic “slot attention”' }, invoker: member }, ctx))).toMatch(/^You have no follow/);
    expect((await run(follow, { [SUBCOMMAND_OPTION]: 'list' })).content).not.toContain('slot attention');
  });

  it('stops a follow typed as /follow list shows it, or without its kind and quotes', async () => {
    const typist: Invoker = { ...member, userId: '55' };
    await run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'causal discovery' }, typist);
    await run(follow, { [SUBCOMMAND_OPTION]: 'category', category: 'stat.ME' }, typist);
    const shown = ((await run(follow, { [SUBCOMMAND_OPTION]: 'list' }, typist)).content ?? '').split('\n').filter((line) => line.startsWith('• ')).map((line) => line.slice(2).replace(/: nothing delivered yet$/, ''));
    expect(shown).toEqual(['topic “causal discovery”', 'category Methodology (stat.ME)']);
    const stop = (which: string) => unfollow.execute({ command: 'unfollow', options: { which }, invoker: typist }, ctx);
    expect((await stop(shown[0]!)).content).toMatch(/^Stopped following topic “causal discovery”/);
    expect((await stop('Methodology (stat.ME)')).content).toMatch(/^Stopped following category Methodology/);
    await run(follow, { [SUBCOMMAND_OPTION]: 'topic', query: 'causal discovery' }, typist);
    expect((await stop('"causal discovery"')).content).toMatch(/^Stopped following topic “causal discovery”/);
  });
});

describe('/settings', () => {
  it('needs Manage Server by default and in the handler', async () => {
    expect(settings.data.default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(await userErrorOf(() => run(settings, { [SUBCOMMAND_OPTION]: 'show' }))).toMatchInlineSnapshot(`"Only members with the Manage Server permission can use /settings."`);
  });

  it('sets the announcement channel after checking it, names what is missing, and turns it off', async () => {
    problems.set('44', 'the bot is missing Send Messages in that channel: give it that permission there (channel settings → Permissions)');
    expect(await userErrorOf(() => run(settings, { [SUBCOMMAND_GROUP_OPTION]: 'announce', [SUBCOMMAND_OPTION]: 'channel', channel: '44' }, admin))).toMatchInlineSnapshot(
      `"I can't announce in <#44>: the bot is missing Send Messages in that channel: give it that permission there (channel settings → Permissions)."`,
    );
    expect((await guildSettings(database.handle.db, '22'))?.announceChannelId ?? null).toBeNull();
    const set = await run(settings, { [SUBCOMMAND_GROUP_OPTION]: 'announce', [SUBCOMMAND_OPTION]: 'channel', channel: '45' }, admin);
    expect(set.content).toMatchInlineSnapshot(`"New papers will be announced in <#45>, each once, as their page is read."`);
    expect((await guildSettings(database.handle.db, '22'))?.announceChannelId).toBe('45');
    expect(changed).toContain('22');
    await run(settings, { [SUBCOMMAND_GROUP_OPTION]: 'announce', [SUBCOMMAND_OPTION]: 'off' }, admin);
    expect((await guildSettings(database.handle.db, '22'))?.announceChannelId).toBeNull();
  });

  it('sets a weekly digest at an hour, UTC, and shows the settings', async () => {
    await run(settings, { [SUBCOMMAND_GROUP_OPTION]: 'announce', [SUBCOMMAND_OPTION]: 'channel', channel: '45' }, admin);
    expect((await run(settings, { [SUBCOMMAND_OPTION]: 'digest', schedule: 'weekly', weekday: 'friday', hour: 8 }, admin)).content).toMatchInlineSnapshot(
      `"The digest will be posted every Friday at 08:00 UTC in <#45>, listing the papers found since the one before; none is posted when nothing new came in."`,
    );
    expect((await run(settings, { [SUBCOMMAND_OPTION]: 'show' }, admin)).content).toMatchInlineSnapshot(`
      "**Announcements:** <#45>
      **Digest:** every Friday at 08:00 UTC

      Change them with /settings announce and /settings digest."
    `);
    expect((await guildSettings(database.handle.db, '22'))?.digest).toMatchObject({ schedule: 'weekly', weekday: 5, hour: 8 });
  });
});
