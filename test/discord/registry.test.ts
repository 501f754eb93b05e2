import { describe, expect, it } from 'vitest';
import paper from '../../commands/paper.js';
import { CommandLoadError, loadCommands, registerCommands } from '../../src/discord/registry.js';
import { checkCommands } from '../e2e/standin/validate.js';

function loadErrorOf(entries: Array<{ file: string; exported: unknown }>): string {
  try {
    registerCommands(entries);
  } catch (error) {
    if (error instanceof CommandLoadError) return error.message;
    throw error;
  }
  throw new Error('expected a CommandLoadError');
}

describe('the command loader', () => {
  it('loads every command file, whose definitions Discord accepts', async () => {
    const commands = await loadCommands();
    expect([...commands.keys()]).toEqual(expect.arrayContaining(['paper', 'search', 'latest', 'coauthor']));
    const { problems } = checkCommands([...commands.values()].map((c) => c.data));
    expect(problems).toEqual([]);
  });

  it('keeps the fixed option names of each command', async () => {
    const commands = await loadCommands();
    const optionNames = (name: string) => (commands.get(name)?.data.options ?? []).map((o) => o.name);
    expect(optionNames('paper')).toEqual(['query']);
    expect(optionNames('search')).toEqual(['query', 'author', 'category', 'year', 'has_code', 'sort']);
    expect(optionNames('latest')).toEqual(['count', 'category', 'author']);
    expect(optionNames('coauthor')).toEqual(['name', 'with']);
  });

  it('fails loudly on an export that is not a command', () => {
    expect(loadErrorOf([{ file: 'commands/broken.ts', exported: { data: { name: 'Broken Name', description: '' } } }])).toMatchInlineSnapshot(`"registry: commands/broken.ts: the default export is not a command: data.name: command names are 1–32 lower-case letters, digits, - or _; data.description: Too small: expected string to have >=1 characters; execute: must be a function"`);
  });

  it('fails loudly on two commands with one name', () => {
    expect(loadErrorOf([{ file: 'commands/paper.ts', exported: paper }, { file: 'commands/paper-again.ts', exported: paper }])).toMatchInlineSnapshot(`"registry: commands/paper-again.ts: command name "paper" is already taken by commands/paper.ts"`);
  });
});
