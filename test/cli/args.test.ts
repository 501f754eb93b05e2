/** `ask`'s command line, parsed with node:util parseArgs against the commands' own definitions. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAskArgs, UsageError } from '../../src/cli/ask.js';
import { loadCommands, type CommandMap } from '../../src/discord/registry.js';

let commands: CommandMap;
beforeAll(async () => {
  commands = await loadCommands();
});

const usageErrorOf = (argv: string[]): string => {
  try {
    parseAskArgs(argv, commands);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
};

describe('parseAskArgs', () => {
  it('asks for the usage with -h or --help; help, bare or with options, is the /help command', () => {
    for (const argv of [['-h'], ['--help'], ['search', '-h']]) expect(parseAskArgs(argv, commands).help, argv.join(' ')).toBe(true);
    expect(parseAskArgs(['help'], commands)).toMatchObject({ help: false, command: 'help', options: {} });
    expect(parseAskArgs(['help', '--command', 'cite'], commands)).toMatchObject({ help: false, command: 'help', options: { command: 'cite' } });
  });

  it("reads the command, its subcommand, its options (either spelling) and ask's own flags", () => {
    expect(parseAskArgs(['search', '--query', 'slot attention', '--has-code', 'true', '--json'], commands)).toMatchObject({
      command: 'search',
      positionals: [],
      options: { query: 'slot attention', has_code: true },
      json: true,
    });
    expect(parseAskArgs(['announce', 'preview'], commands)).toMatchObject({ command: 'announce', positionals: ['preview'] });
    expect(parseAskArgs(['--click', 'paper:cite:abc', '--value', 'x', '--value', 'y'], commands)).toMatchObject({ command: null, click: 'paper:cite:abc', values: ['x', 'y'] });
    expect(parseAskArgs(['coauthor', '--name', 'lowe', '--autocomplete', 'name'], commands)).toMatchObject({ options: { name: 'lowe' }, autocomplete: 'name' });
    expect(parseAskArgs(['/paper', '--query=DINOSAUR'], commands)).toMatchObject({ command: 'paper', options: { query: 'DINOSAUR' } });
    // A subcommand in a group: the group and the subcommand are positionals, the options are the subcommand's.
    expect(parseAskArgs(['settings', 'announce', 'channel', '--channel', '1300000000000000002'], commands)).toMatchObject({
      command: 'settings',
      positionals: ['announce', 'channel'],
      options: { channel: '1300000000000000002' },
    });
    expect(usageErrorOf(['settings', 'announce', 'off', '--channel', '1'])).toBe('/settings has no option --channel (options: none)');
  });

  it('refuses an option the command does not have, an autocomplete it does not offer, a missing value and a repeat', () => {
    expect(usageErrorOf(['search', '--colour', 'red'])).toMatchInlineSnapshot(`"/search has no option --colour (options: --query, --author, --category, --year, --has_code, --sort)"`);
    expect(usageErrorOf(['search', '--query', 'x', '--autocomplete', 'query'])).toMatchInlineSnapshot(`"/search has no option --query that autocompletes (options that do: --author, --category)"`);
    expect(usageErrorOf(['stats', '--autocomplete', 'name'])).toMatchInlineSnapshot(`"/stats has no option --name that autocompletes (options that do: --profile)"`);
    expect(usageErrorOf(['announce', 'preview', '--autocomplete', 'name'])).toMatchInlineSnapshot(`"/announce has no option --name that autocompletes (none of its options does)"`);
    expect(usageErrorOf(['paper', '--query'])).toMatchInlineSnapshot(`"/paper --query needs a value"`);
    expect(usageErrorOf(['paper', '--query', 'a', '--query', 'b'])).toMatchInlineSnapshot(`"/paper --query is given twice"`);
    expect(usageErrorOf(['frobnicate'])).toMatch(/^no command "frobnicate" \(commands: announce, cite, /);
  });
});
