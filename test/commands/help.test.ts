import { readdirSync, readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import help from '../../commands/help.js';
import { UserError, type CommandContext, type CommandRequest, type OptionValues } from '../../src/discord/command.js';
import { loadCommands, type CommandMap } from '../../src/discord/registry.js';
import { contextFor, seedPage } from '../cite/library.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';

const INVOKER = { userId: '1', guildId: '2', channelId: '3', permissions: null };
const request = (options: OptionValues, command = 'help'): CommandRequest => ({ command, options, invoker: INVOKER });
// The examples are run as a server manager would run them: /help marks the commands that need it.
const asManager = (options: OptionValues, command: string): CommandRequest => ({ command, options, invoker: { ...INVOKER, permissions: PermissionFlagsBits.ManageGuild } });

let ctx: CommandContext;
let commands: CommandMap;
let database: TempDatabase;
beforeAll(async () => {
  database = await tempDatabase('help');
  // The examples of /follow and /settings keep state: they run against a real database.
  ctx = { ...contextFor([await seedPage()]), db: database.handle.db };
  commands = await loadCommands();
});
afterAll(async () => {
  await database.remove();
});

// The command files and, read from their source, which set Manage Server as the default permission.
function commandFiles(): Array<{ name: string; admin: boolean }> {
  return readdirSync('commands')
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ name: file.replace(/\.ts$/, ''), admin: /setDefaultMemberPermissions\(PermissionFlagsBits\.ManageGuild\)/.test(readFileSync(`commands/${file}`, 'utf8')) }));
}

describe('/help', () => {
  it('lists every command file, privately, marking exactly those that need Manage Server', async () => {
    const reply = await help.execute(request({}), ctx);
    expect(reply.ephemeral).toBe(true);
    const description = reply.embeds?.[0]?.description ?? '';
    const listed = [...description.matchAll(/^\*\*\/([\w-]+)\*\*( \(needs Manage Server\))? — /gm)].map((m) => ({ name: m[1] ?? '', admin: m[2] !== undefined }));
    expect(listed).toEqual(commandFiles().sort((a, b) => a.name.localeCompare(b.name)));
    expect(listed.some((c) => c.admin)).toBe(true);
  });

  it('gives one example per command, and each example runs as shown', async () => {
    const description = (await help.execute(request({}), ctx)).embeds?.[0]?.description ?? '';
    const examples = [...description.matchAll(/^ {2}e\.g\. `([^`]+)`$/gm)].map((m) => m[1] ?? '');
    expect(examples).toHaveLength(commands.size);
    // Values, never placeholders such as which:<which>.
    expect(examples.filter((line) => /<\w+>/.test(line))).toEqual([]);
    for (const line of examples) {
      const [name = '', ...rest] = line.slice(1).split(' ');
      const command = commands.get(name);
      expect(command, line).toBeDefined();
      const options: OptionValues = {};
      const parts = rest.join(' ').split(/ (?=[\w]+:)/).filter(Boolean);
      for (const part of parts) {
        const at = part.indexOf(':');
        if (at < 0) options.subcommand = part;
        else options[part.slice(0, at)] = /^\d+$/.test(part.slice(at + 1)) ? Number(part.slice(at + 1)) : part.slice(at + 1);
      }
      try {
        const reply = await command!.execute(asManager(options, name), ctx);
        expect(reply.content || reply.embeds?.length, line).toBeTruthy();
      } catch (error) {
        // /announce has no announcer offline, and a member without that follow has nothing to /unfollow: each says
        // so, and those are the only answers allowed to be an error.
        const allowed = name === 'announce' || name === 'unfollow';
        expect(allowed, `${line}: ${String(error)}`).toBe(true);
        expect(error).toBeInstanceOf(UserError);
      }
    }
  });

  it("explains one command's options, their choices and whether they are required", async () => {
    const embed = (await help.execute(request({ command: '/Cite' }), ctx)).embeds?.[0];
    expect(embed?.title).toBe('/cite paper [format]');
    expect(embed?.fields?.map((f) => f.name)).toEqual(['paper (required)', 'format']);
    expect(embed?.fields?.[1]?.value).toMatchInlineSnapshot(`
      "bibtex (default), apa, mla, chicago, ieee, ris, csljson, or a style the lab added.
      Suggestions appear as you type."
    `);
    expect(embed?.footer?.text).toBe('Options in [brackets] are optional.');
    const overview = (await help.execute(request({}), ctx)).embeds?.[0];
    expect(overview?.description).not.toContain('[');
    expect(overview?.footer?.text).not.toContain('bracket');
    // Sentences stay apart, and a label that only repeats its value is left out.
    const digest = (await help.execute(request({ command: 'settings' }), ctx)).embeds?.[0]?.fields?.find((f) => f.name === '/settings digest')?.value ?? '';
    expect(digest).toContain('(default 9). From 0 to 23.');
    const search = (await help.execute(request({ command: 'search' }), ctx)).embeds?.[0]?.fields?.find((f) => f.name === 'sort')?.value ?? '';
    expect(search).toContain('One of: `relevance`, `newest`.');
    const announce = (await help.execute(request({ command: 'announce' }), ctx)).embeds?.[0];
    expect(announce?.description).toContain('This command needs Manage Server.');
    expect(announce?.fields?.map((f) => f.name)).toEqual(['/announce preview', '/announce now']);
  });

  it('names the commands when asked about one that does not exist', async () => {
    await expect(help.execute(request({ command: 'frobnicate *now*' }), ctx)).rejects.toThrowErrorMatchingInlineSnapshot(`[UserError: There is no command “frobnicate \\*now\\*”. Commands: /announce, /cite, /coauthor, /follow, /help, /latest, /paper, /search, /settings, /stats, /unfollow.]`);
  });

  it('autocompletes command names: those starting with what is typed first, every command for text no command holds', async () => {
    const typed = async (value: string) => (await help.autocomplete({ ...request({ command: value }), focused: { name: 'command', value } })).map((c) => c.value);
    expect((await typed('/c')).slice(0, 2)).toEqual(['cite', 'coauthor']);
    expect(await typed('BibTeX')).toEqual(['cite']);
    expect((await typed('zzzz')).sort()).toEqual([...commands.keys()].sort());
  });
});
