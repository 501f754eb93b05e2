/**
 * The real bot (`npm start`) against the local Discord stand-in: registration, every command and its
 * autocompletes, paging, the paper buttons, mentions, a rate-limited callback, RECONNECT and a dropped
 * connection, and a clean SIGTERM. One bot process serves the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnvironment, BotProcess, failOnStandInProblems, makeWorkspace, processesLeft, runRegister, type Workspace } from './bot-process.js';
import { buttonId, buttonLabels, isApology, selectMenu, textOf } from './messages.js';
import { DiscordStandIn, type Answer, type StoredMessage } from './standin/server.js';
import { decodePng } from '../render/png.js';

const COMMANDS = ['announce', 'cite', 'coauthor', 'follow', 'help', 'latest', 'paper', 'search', 'settings', 'stats', 'unfollow'];
/** Options that must autocomplete, per command. */
const AUTOCOMPLETED: Record<string, string[]> = {
  paper: ['query'],
  cite: ['paper', 'format'],
  search: ['author', 'category'],
  latest: ['category', 'author'],
  coauthor: ['name', 'with'],
  stats: ['profile'],
  help: ['command'],
};
const TITLE = 'Assaying Out-Of-Distribution Generalization in Transfer Learning';
const LONG_TYPED = 'causal representation '.repeat(10).slice(0, 200);

let discord: DiscordStandIn;
let workspace: Workspace;
let bot: BotProcess;
let env: NodeJS.ProcessEnv;
const announceChannelId = '1300000000000000001';

beforeAll(async () => {
  discord = await DiscordStandIn.start({ heartbeatIntervalMs: 1_500, extraChannelIds: [announceChannelId] });
  workspace = await makeWorkspace();
  env = botEnvironment(discord, workspace, { ANNOUNCE_CHANNEL_ID: announceChannelId });
  const registered = await runRegister(env);
  if (registered.code !== 0) throw new Error(`npm run register exited ${registered.code}:\n${registered.output}\n${discord.report()}`);
  bot = BotProcess.start(env);
  await bot.ready();
}, 60_000);

afterAll(async () => {
  bot?.kill();
  await discord?.close();
  await workspace?.remove();
});

failOnStandInProblems(() => discord, () => bot.tail());

async function reply(answer: Promise<Answer>): Promise<StoredMessage> {
  const settled = await answer;
  if (settled.kind === 'choices') throw new Error('expected a message, got autocomplete choices');
  if (isApology(settled.message)) throw new Error(`the bot apologised for a bug:\n${settled.message.content}\n${bot.tail()}`);
  return settled.message;
}

async function run(line: string, options: Record<string, string | number | boolean> = {}, as: { admin?: boolean } = {}): Promise<StoredMessage> {
  return reply(discord.answer(discord.command(line, options, as)));
}

async function choices(line: string, focused: string, typed: string): Promise<Array<{ name: string; value: string | number }>> {
  const answer = await discord.answer(discord.autocomplete(line, focused, typed));
  if (answer.kind !== 'choices') throw new Error(`autocomplete of /${line} ${focused} answered with a ${answer.kind}`);
  return answer.choices;
}

describe('registration', () => {
  it('registers every command with autocomplete on the options that need it', () => {
    const commands = discord.registeredCommands();
    expect(commands.map((c) => c.name).sort()).toEqual(COMMANDS);
    for (const [name, options] of Object.entries(AUTOCOMPLETED)) {
      const command = commands.find((c) => c.name === name);
      const autocompleted = (command?.options ?? []).filter((o) => o.autocomplete).map((o) => o.name);
      expect(autocompleted.sort(), `/${name}`).toEqual([...options].sort());
    }
    for (const command of commands) {
      expect(command.description.length).toBeLessThanOrEqual(100);
      for (const option of command.options ?? []) expect(option.description.length, `/${command.name} ${option.name}`).toBeLessThanOrEqual(100);
    }
  });
});

describe('commands', () => {
  it('shows a paper picked from the autocomplete, with Cite and Related buttons', async () => {
    const picked = (await choices('paper', 'query', 'assaying out')).find((c) => c.name === TITLE);
    expect(picked, 'the title is offered').toBeDefined();
    const message = await run('paper', { query: String(picked?.value) });
    expect(message.embeds[0]?.title).toContain('Assaying Out-Of-Distribution');
    expect(buttonLabels(message).join(' ')).toMatch(/Cite/);
    expect(buttonLabels(message).join(' ')).toMatch(/Related/);
  });

  it('answers a paper query that matches nothing with a message only the asker sees', async () => {
    const answer = await discord.answer(discord.command('paper', { query: 'qqqqqq' }));
    expect(answer.kind === 'reply' && answer.ephemeral).toBe(true);
    expect(answer.kind === 'reply' && answer.message.content).toMatch(/No paper matches/);
  });

  it('searches with every filter and sort order', async () => {
    // "No paper matches …" would also match /papers? match/: check the count in bold and the filters echoed back.
    const plain = await run('search', { query: 'causal' });
    expect(plain.embeds[0]?.title).toBe('Search: “causal”');
    expect(textOf(plain)).toMatch(/\*\*\d+\*\* papers match, best match first\./);
    const filtered = await run('search', { query: 'causal', author: 'Locatello', category: 'LG', year: '2020-2025', has_code: false, sort: 'newest' });
    expect(textOf(filtered)).toMatch(/\*\*\d+\*\* papers? match(es)? \(by Francesco Locatello \(read from “Locatello”\), in Machine Learning, from 2020–2025, without code\), newest first\./);
    const withCode = await run('search', { query: 'neural', has_code: true, sort: 'relevance' });
    expect(textOf(withCode)).toMatch(/\*\*\d+\*\* papers? match(es)? \(with code\)/);
    expect(textOf(withCode)).toMatch(/Scalable Mechanistic Neural Networks/);
  });

  it('lists the latest papers, filtered by category and author', async () => {
    const latest = await run('latest', { count: 3 });
    expect(latest.embeds[0]?.title).toBe('The 3 latest papers');
    expect(latest.embeds[0]?.description).toMatch(/\*\*3\.\*\* /);
    const filtered = await run('latest', { count: 5, category: 'CV', author: 'Francesco Locatello' });
    expect(textOf(filtered)).toMatch(/by Francesco Locatello, in Computer Vision and Pattern Recognition/);
    expect(textOf(filtered)).toMatch(/\*\*1\.\*\* \[Near, far: Patch-ordering/);
  });

  it('lists coauthors, and the papers shared with one of them', async () => {
    const all = await run('coauthor', { name: 'Francesco Locatello' });
    expect(textOf(all)).toMatch(/Dingling Yao/);
    const shared = await run('coauthor', { name: 'Francesco Locatello', with: 'Dingling Yao' });
    expect(textOf(shared)).toMatch(/Marrying Causal Representation Learning/);
  });

  it('cites a paper in every format it offers', async () => {
    // The formats autocomplete: the built-in ones and any style the lab dropped into DATA_DIR/styles.
    const formats = (await choices('cite', 'format', '')).map((c) => String(c.value));
    expect(formats.length).toBeGreaterThan(1);
    const paper = (await choices('cite', 'paper', 'assaying'))[0];
    expect(paper).toBeDefined();
    for (const format of formats) {
      const message = await run('cite', { paper: String(paper?.value), format });
      expect(textOf(message), format).toMatch(/Assaying Out-Of-Distribution|Wenzel/);
    }
  });

  it('answers /help privately with every registered command, and one command in full', async () => {
    const answer = await discord.answer(discord.command('help', {}));
    expect(answer.kind === 'reply' && answer.ephemeral).toBe(true);
    const overview = answer.kind === 'reply' ? (answer.message.embeds[0]?.description ?? '') : '';
    expect([...overview.matchAll(/^\*\*\/([\w-]+)\*\*/gm)].map((m) => m[1])).toEqual(COMMANDS);
    expect(overview).toMatch(/\*\*\/announce\*\* \(needs Manage Server\)/);
    const cite = await run('help', { command: 'cite' });
    expect(cite.embeds[0]?.title).toBe('/cite paper [format]');
  });

  it('shows corpus statistics', async () => {
    const message = await run('stats');
    expect(message.embeds[0]?.title).toBe('Corpus statistics');
    expect(textOf(message)).toMatch(/As printed on the page: h-index \*\*137\*\* · \*\*7,711\*\* citations · \*\*105\*\* papers \(these cannot all be true\)\nIndexed here: \*\*50\*\* papers/);
  });

  it('previews announcements for members with Manage Server only', async () => {
    const preview = await run('announce preview', {}, { admin: true });
    expect(preview.content).toMatch(/Nothing is waiting/);
    const refused = await run('announce now');
    expect(refused.content).toMatch(/Manage Server/);
  });
});

describe('pictures', () => {
  // The message's one attachment named `name`, uploaded as a multipart part, and shown as its embed's image.
  function attachedPicture(message: StoredMessage, name: string): { width: number; height: number } {
    expect(message.attachments.map((a) => a.filename)).toEqual([name]);
    expect(message.embeds[0]?.image?.url).toBe(`attachment://${name}`);
    const data = discord.attachmentData(message, name);
    if (!data) throw new Error(`no bytes uploaded for ${name}`);
    expect(data.length).toBeLessThan(1_024 * 1_024);
    const png = decodePng(data);
    return { width: png.width, height: png.height };
  }

  it('uploads the /stats chart with the reply (payload_json plus files[0]) and shows it in the embed', async () => {
    const message = await run('stats');
    const size = attachedPicture(message, 'stats.png');
    expect(size.width).toBeGreaterThanOrEqual(800);
    expect(size.height).toBeGreaterThanOrEqual(450);
    expect(textOf(message)).toMatch(/Indexed here: \*\*50\*\* papers/);
    const upload = discord.requests.filter((r) => r.files.length > 0).at(-1);
    expect(upload?.files.map((f) => [f.field, f.filename])).toEqual([['files[0]', 'stats.png']]);
    const owner = (await choices('stats', 'profile', 'locat'))[0];
    expect(owner).toEqual({ name: 'Francesco Locatello', value: 'Francesco Locatello' });
    const narrowed = await run('stats', { profile: String(owner?.value) });
    expect(narrowed.embeds[0]?.title).toBe('Statistics of Francesco Locatello');
    attachedPicture(narrowed, 'stats.png');
  });

  it('uploads the /coauthor network, and a page turn replaces it rather than adding a second', async () => {
    const message = await run('coauthor', { name: 'Francesco Locatello' });
    attachedPicture(message, 'coauthor.png');
    const next = buttonId(message, /^Next/);
    const turned = await discord.answer(discord.click(message, next));
    if (turned.kind !== 'update') throw new Error(`expected the message updated, got ${turned.kind}`);
    attachedPicture(turned.message, 'coauthor.png');
  });
});

describe('autocomplete', () => {
  for (const [command, options] of Object.entries(AUTOCOMPLETED)) {
    for (const option of options) {
      it(`answers /${command} ${option} empty, partial and 200 characters long`, async () => {
        const empty = await choices(command, option, '');
        const partial = await choices(command, option, option === 'category' ? 'L' : 'lo');
        const long = await choices(command, option, LONG_TYPED);
        expect(empty.length).toBeGreaterThan(0);
        expect(partial.length).toBeGreaterThan(0);
        expect(long.length).toBeLessThanOrEqual(25);
      });
    }
  }
});

describe('components', () => {
  it('pages through /search with the buttons and opens a result from the menu', async () => {
    const first = await run('search', { query: 'learning' });
    expect(first.embeds[0]?.footer?.text).toMatch(/page 1 of [2-9]/);
    const next = await discord.answer(discord.click(first, buttonId(first, /Next/)));
    expect(next.kind).toBe('update');
    const second = next.kind === 'update' ? next.message : first;
    expect(second.id).toBe(first.id);
    expect(second.embeds[0]?.footer?.text).toMatch(/page 2 of/);
    const back = await discord.answer(discord.click(second, buttonId(second, /Prev/)));
    expect(back.kind === 'update' && back.message.embeds[0]?.footer?.text).toMatch(/page 1 of/);

    const menu = selectMenu(second);
    const option = menu.options[1] ?? menu.options[0];
    const opened = await reply(discord.answer(discord.select(second, menu.custom_id, [option?.value ?? ''])));
    expect(opened.embeds[0]?.title?.slice(0, 40)).toBe(option?.label.replace(/…$/, '').slice(0, 40));
  });

  it('cites a paper and lists related ones from its buttons', async () => {
    const paper = await run('paper', { query: TITLE });
    const cite = await reply(discord.answer(discord.click(paper, buttonId(paper, /Cite/))));
    expect(cite.content).toMatch(/@\w+\{/);
    const related = await reply(discord.answer(discord.click(paper, buttonId(paper, /Related/))));
    expect(textOf(related)).toMatch(/Papers like/);
    selectMenu(related);
  });
});

describe('mentions', () => {
  it('never lets a query ping anyone', async () => {
    const hostile = '@everyone @here <@123456789012345678> <@&123456789012345678>';
    const answers = [
      await discord.answer(discord.command('paper', { query: hostile })),
      await discord.answer(discord.command('search', { query: hostile })),
      await discord.answer(discord.command('cite', { paper: hostile })),
      await discord.answer(discord.command('coauthor', { name: hostile })),
      await discord.answer(discord.command('search', { query: 'causal', author: '@everyone' })),
    ];
    const messages = answers.flatMap((a) => (a.kind === 'choices' ? [] : [a.message]));
    expect(messages).toHaveLength(answers.length);
    // The query comes back in some replies (as typed or defused with a zero-width space), so the check below means something.
    expect(messages.some((m) => /@\u200b?everyone/.test(m.content)), 'the text is echoed').toBe(true);
    for (const message of messages) {
      expect(message.pings).toEqual([]);
      expect(message.allowedMentions).toEqual({ parse: [] });
    }
  });
});

describe('resilience', () => {
  it('still replies when Discord rate-limits the interaction callback once', async () => {
    discord.fault({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 429, retryAfter: 0.5 });
    const message = await run('stats');
    expect(discord.faultsFired.filter((f) => f.startsWith('429'))).toHaveLength(1);
    expect(message.embeds[0]?.title).toBe('Corpus statistics');
  });

  it('still replies when the interaction callback fails once with a 500', async () => {
    discord.fault({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 500 });
    const message = await run('search', { query: 'object-centric' });
    expect(discord.faultsFired.some((f) => f.startsWith('500'))).toBe(true);
    expect(message.embeds[0]?.title).toBe('Search: “object-centric”');
    expect(textOf(message)).toMatch(/\*\*\d+\*\* papers match/);
  });

  it('resumes after RECONNECT and after a dropped connection, and answers what arrived meanwhile', async () => {
    const identifies = discord.gateway.identifies;
    discord.sendReconnect();
    await discord.waitFor('a RESUME after op 7', () => (discord.gateway.resumes >= 1 ? true : undefined));
    expect((await run('stats')).embeds[0]?.title).toBe('Corpus statistics');

    const resumes = discord.gateway.resumes;
    discord.dropConnections();
    const queued = discord.command('paper', { query: TITLE });
    const message = await reply(discord.answer(queued));
    expect(message.embeds[0]?.title).toContain('Assaying');
    expect(discord.gateway.resumes).toBe(resumes + 1);
    expect(discord.gateway.identifies).toBe(identifies);

    const heartbeats = discord.gateway.heartbeats;
    discord.requestHeartbeat();
    await discord.waitFor('a heartbeat on request', () => (discord.gateway.heartbeats > heartbeats ? true : undefined));
  });

  // Discord's own deadline, as the stand-in enforces it (a late callback gets 10062 there, as from Discord).
  it('answers every interaction within 3 seconds and sent nothing Discord rejects', () => {
    expect(discord.interactions.size, 'the tests before this one sent interactions').toBeGreaterThan(20);
    const late = [...discord.interactions.values()].filter((i) => i.callbackAt === null || i.callbackAt - i.createdAt > 3_000);
    expect(late.map((i) => i.label)).toEqual([]);
    expect([...discord.messages.values()].flatMap((m) => m.pings)).toEqual([]);
    discord.assertClean();
  });

  it('exits 0 on SIGTERM and leaves no process behind', async () => {
    const pid = bot.child.pid ?? -1;
    const exit = await bot.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await processesLeft(pid)).toEqual([]);
  });
});
