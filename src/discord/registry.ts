/** The command loader: every file in commands/ default-exports one `Command`; a bad export or a taken name fails start-up. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Command } from './command.js';
import { LIMITS } from './limits.js';

const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

/** A command file that does not export a usable command, or a duplicate name; `cause` holds the ZodError. */
export class CommandLoadError extends Error {
  override name = 'CommandLoadError';
}

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { error: 'must be a function' });

// Discord's rule for command and option names.
const NAME = new RegExp(`^[-_\\p{Ll}\\p{Lo}\\p{N}]{1,${LIMITS.commandName}}$`, 'u');

const OptionSchema = z.looseObject({
  type: z.number().int(),
  name: z.string().regex(NAME, { error: `option names are 1–${LIMITS.commandName} lower-case letters, digits, - or _` }),
  description: z.string().min(1).max(LIMITS.optionDescription),
});

const CommandSchema = z.object({
  data: z.looseObject({
    name: z.string().regex(NAME, { error: `command names are 1–${LIMITS.commandName} lower-case letters, digits, - or _` }),
    description: z.string().min(1).max(LIMITS.commandDescription),
    options: z.array(OptionSchema).max(25).optional(),
  }),
  execute: fn,
  autocomplete: fn.optional(),
  component: fn.optional(),
});

/** The commands by name, in file order. */
export type CommandMap = ReadonlyMap<string, Command>;

/** Checks a list of `{ file, exported }` and builds the map; throws `CommandLoadError` on a bad export or duplicate name. */
export function registerCommands(entries: ReadonlyArray<{ file: string; exported: unknown }>): CommandMap {
  const commands = new Map<string, Command>();
  const files = new Map<string, string>();
  for (const { file, exported } of entries) {
    const parsed = CommandSchema.safeParse(exported);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(export)'}: ${issue.message}`).join('; ');
      throw new CommandLoadError(`registry: ${file}: the default export is not a command: ${problems}`, { cause: parsed.error });
    }
    const command = exported as Command;
    const name = command.data.name;
    const previous = files.get(name);
    if (previous) throw new CommandLoadError(`registry: ${file}: command name "${name}" is already taken by ${previous}`);
    commands.set(name, command);
    files.set(name, file);
  }
  return commands;
}

/** Imports every command file in `dir` (`.ts`/`.js`, not tests or declarations) and registers them. */
export async function loadCommands(dir: string = COMMANDS_DIR): Promise<CommandMap> {
  const names = (await readdir(dir)).filter((name) => /\.(ts|js|mts|mjs)$/.test(name) && !/\.(d|test|spec)\.[mc]?[tj]s$/.test(name)).sort();
  if (names.length === 0) throw new CommandLoadError(`registry: ${dir}: no command files`);
  const entries: Array<{ file: string; exported: unknown }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const module = (await import(pathToFileURL(file).href).catch((error: unknown) => {
      throw new CommandLoadError(`registry: ${file}: failed to import: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    })) as { default?: unknown };
    entries.push({ file: path.relative(process.cwd(), file) || file, exported: module.default });
  }
  return registerCommands(entries);
}
