/** `npm run ask -- <command> [subcommand] [--<option> <value> ...] [--json]`: a command's reply, offline, with no Discord. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIApplicationCommandOption, type APIEmbed } from 'discord.js';
import { readConfigOrExit } from '../config.js';
import { LabError } from '../sources/lab.js';
import { UserError, type Command, type CommandContext, type Invoker, type OptionValues, type Reply } from '../discord/command.js';
import { parseCustomId, type ActionRow } from '../discord/components.js';
import { payloadJson, toPayload, type MessagePayload } from '../discord/payload.js';
import { loadCommands, type CommandMap } from '../discord/registry.js';
import { fitChoices, SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from '../discord/options.js';
import { PaperIndex } from '../search/index.js';
import { createLogger } from '../log.js';
import { exitQuietlyOnClosedStdout, isEntryPoint, readServedCorpus } from './shared.js';
import { CitationStyles } from '../cite/index.js';

/** A mistake in the command line: printed alone, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface AskArgs {
  command: string | null;
  positionals: string[];
  /** The command's options, checked and converted as Discord would, with the subcommand's (and group's) name. */
  options: OptionValues;
  json: boolean;
  click: string | null;
  values: string[];
  autocomplete: string | null;
  out: string | null;
  help: boolean;
}

/** The flags of `ask` itself, beside the command's own options. */
const ASK_FLAGS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  click: { type: 'string' },
  value: { type: 'string', multiple: true },
  autocomplete: { type: 'string' },
  out: { type: 'string', multiple: true },
  /** The older name of `--out`. */
  image: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

/** Reads argv into the command, its subcommand, the ask flags and the command's options checked as Discord would, else a UsageError. */
export function parseAskArgs(argv: readonly string[], commands: CommandMap): AskArgs {
  const first = nodeParseArgs({ args: [...argv], options: ASK_FLAGS, strict: false, allowPositionals: true });
  const named = first.positionals[0]?.replace(/^\//, '') ?? null;
  const args: AskArgs = { command: named, positionals: [], options: {}, json: false, click: null, values: [], autocomplete: null, out: null, help: false };
  if (first.values.help === true) return { ...args, help: true };
  const command = named === null ? null : commandNamed(commands, named);
  // Every option of the command, in any subcommand, takes a value: so the words left are the command and its subcommand.
  const config: NonNullable<ParseArgsConfig['options']> = { ...ASK_FLAGS };
  const spelled = new Map<string, string>();
  for (const definition of everyOption(command?.data.options ?? [])) {
    for (const spelling of new Set([definition.name, definition.name.replace(/_/g, '-')])) {
      if (spelling in ASK_FLAGS) continue;
      config[spelling] = { type: 'string' };
      spelled.set(spelling, definition.name);
    }
  }
  const { values, tokens } = nodeParseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  // The command's name is the first positional: only what follows it is the command's.
  args.positionals = tokens.flatMap((token) => (token.kind === 'positional' ? [token.value] : [])).slice(named === null ? 0 : 1);
  const { definitions, values: options, needs } = command ? subcommandOptions(command, args.positionals) : { definitions: [], values: {}, needs: null };
  const where = command ? `/${command.data.name}` : 'ask';
  const allowed = definitions.map((o) => `--${o.name}`).join(', ') || 'none';
  const given: Record<string, string> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = token.rawName;
    const askFlag = ASK_FLAGS[token.name as keyof typeof ASK_FLAGS] as { type: string } | undefined;
    if (askFlag) {
      if (askFlag.type === 'string' && token.value === undefined) throw new UsageError(`${flag} needs a value`);
      continue;
    }
    const name = spelled.get(token.name);
    if (command === null) throw new UsageError(`${flag} needs a command first (e.g. ask search ${flag} …)`);
    if (needs !== null) throw new UsageError(needs);
    if (name === undefined || !definitions.some((o) => o.name === name)) throw new UsageError(`${where} has no option ${flag} (options: ${allowed})`);
    if (token.value === undefined) throw new UsageError(`${where} ${flag} needs a value`);
    if (name in given) throw new UsageError(`${where} --${name} is given twice`);
    given[name] = token.value;
  }
  // Each ask flag given holds a value of its type (checked above); the last given counts, but for --out.
  const flags = values as { json?: boolean; click?: string; value?: string[]; autocomplete?: string; out?: string[]; image?: string[] };
  const out = [...(flags.out ?? []), ...(flags.image ?? [])];
  if (out.length > 1) throw new UsageError('give --out (or --image) once');
  const autocomplete = flags.autocomplete?.replace(/-/g, '_') ?? null;
  Object.assign(args, { json: flags.json === true, click: flags.click ?? null, values: flags.value ?? [], out: out[0] ?? null, autocomplete });
  if (command && args.autocomplete !== null) {
    const completing = definitions.filter((o) => 'autocomplete' in o && o.autocomplete).map((o) => `--${o.name}`);
    if (!completing.includes(`--${args.autocomplete}`)) {
      throw new UsageError(`${where} has no option --${args.autocomplete} that autocompletes (${completing.length > 0 ? `options that do: ${completing.join(', ')}` : 'none of its options does'})`);
    }
  }
  // A click runs the clicked reply's command: the command line's own is not run.
  if (command === null || args.click !== null) return args;
  if (needs !== null) throw new UsageError(needs);
  const unexpected = args.positionals[Object.keys(options).length];
  if (unexpected !== undefined) throw new UsageError(`unexpected "${unexpected}": options are given as --<name> <value>`);
  for (const definition of definitions) {
    const raw = given[definition.name];
    if (raw !== undefined) options[definition.name] = convertOption(command.data.name, definition, raw);
    else if ('required' in definition && definition.required) throw new UsageError(`${where} needs --${definition.name} (${definition.description})`);
  }
  args.options = options;
  return args;
}

function isSubcommand(option: APIApplicationCommandOption): boolean {
  return option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup;
}

// The options of every subcommand (and group), and the command's own.
function everyOption(options: readonly APIApplicationCommandOption[]): APIApplicationCommandOption[] {
  return options.flatMap((o) => (isSubcommand(o) && 'options' in o ? everyOption((o.options ?? []) as APIApplicationCommandOption[]) : [o]));
}

// The options after the subcommand (and group) `words` name, those names as the handler gets them, or what is missing.
function subcommandOptions(
  command: Command,
  words: readonly string[],
): { definitions: readonly APIApplicationCommandOption[]; values: OptionValues; needs: string | null } {
  let definitions: readonly APIApplicationCommandOption[] = command.data.options ?? [];
  const values: OptionValues = {};
  for (let depth = 0; definitions.some(isSubcommand); depth += 1) {
    const where = [command.data.name, ...Object.values(values)].join(' ');
    const names = definitions.map((o) => o.name);
    const sub = definitions.find((o) => o.name === words[depth]);
    if (words[depth] !== undefined && !sub) throw new UsageError(`/${where} has no subcommand "${words[depth]}" (subcommands: ${names.join(', ')})`);
    if (!sub) return { definitions: [], values, needs: `/${where} needs a subcommand: ${names.join(', ')} (e.g. ask ${where} ${names[0]})` };
    values[sub.type === ApplicationCommandOptionType.SubcommandGroup ? SUBCOMMAND_GROUP_OPTION : SUBCOMMAND_OPTION] = sub.name;
    definitions = 'options' in sub ? ((sub.options ?? []) as APIApplicationCommandOption[]) : [];
  }
  return { definitions, values, needs: null };
}

/** Runs one ask command line, writing to the given streams; returns the process exit code. */
export async function runAsk(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const config = readConfigOrExit({ requireToken: false });
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const commands = await loadCommands();
  try {
    const args = parseAskArgs(argv, commands);
    if (args.help || (args.command === null && args.click === null)) {
      (args.help ? out : err)(usage(commands));
      return args.help ? 0 : 2;
    }
    const corpus = await readServedCorpus(config);
    const library = { corpus, index: PaperIndex.build(corpus), loadedAt: new Date() };
    const { styles, problems } = CitationStyles.load(path.join(config.dataDir, 'styles'));
    for (const problem of problems) err(`ask: ${problem}\n`);
    const context: CommandContext = { library: () => library, log, now: () => new Date(), offline: true, citationStyles: styles };
    // The operator in DISCORD_GUILD_ID's server (or a stand-in "0"): who can run `ask` can read the config anyway, so Administrator.
    const invoker: Invoker = { userId: '0', guildId: config.discordGuildId ?? '0', channelId: null, permissions: PermissionFlagsBits.Administrator };
    // Commands that keep state get STATE_DIR/ask.db, never the running bot's; loaded only then, as its drivers load slowly.
    const name = args.click !== null ? parseCustomId(args.click).command : args.command;
    const { openMigratedDatabase } = STATEFUL_COMMANDS.has(name ?? '') ? await import('../db/migrate.js') : {};
    const database = await openMigratedDatabase?.(`sqlite:${path.join(config.stateDir, 'ask.db')}`);
    if (database) context.db = database.db;
    try {
      return await answer(args, commands, context, invoker, out, err);
    } finally {
      await database?.close();
      await styles.close();
    }
  } catch (error) {
    // A corpus that cannot be read (loadCorpus's errors start "corpus: ") is the operator's to fix: its message alone.
    const unreadable = error instanceof LabError || (error instanceof Error && error.message.startsWith('corpus: '));
    if (!(error instanceof UsageError || unreadable)) throw error;
    err(`ask: ${error.message}\n`);
    return unreadable ? 1 : 2;
  }
}

/** Commands whose replies read or write the state store. */
const STATEFUL_COMMANDS = new Set(['follow', 'unfollow', 'settings']);

async function answer(args: AskArgs, commands: CommandMap, context: CommandContext, invoker: Invoker, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let reply: Reply;
  try {
    if (args.click !== null) {
      const command = commands.get(parseCustomId(args.click).command);
      if (!command?.component) throw new UsageError(`no command handles the custom id "${args.click}"`);
      reply = await command.component({ customId: args.click, values: args.values, invoker, messageCreatedAt: null }, context);
    } else {
      const command = commandNamed(commands, args.command ?? '');
      if (args.autocomplete !== null) {
        if (!command.autocomplete) throw new UsageError(`/${command.data.name} has no autocomplete`);
        const value = args.options[args.autocomplete];
        const focused = { name: args.autocomplete, value: value === undefined ? '' : String(value) };
        const choices = fitChoices(await command.autocomplete({ command: command.data.name, options: args.options, invoker, focused }, context));
        if (args.json) out(`${JSON.stringify(choices, null, 2)}\n`);
        else out(choices.length === 0 ? '(no choices)\n' : `${choices.map((c) => `${String(c.value)}  ${c.name}`).join('\n')}\n`);
        return 0;
      }
      reply = await command.execute({ command: command.data.name, options: args.options, invoker }, context);
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    out(shown(toPayload({ content: error.message, ephemeral: true }), args.json));
    return 1;
  }
  const payload = toPayload(reply);
  out(shown(payload, args.json));
  if (args.out === null) return 0;
  // The embed's `attachment://` image where it shows one, else the reply's first attachment.
  const image = payload.embeds.map((embed) => embed.image?.url).find((url) => url?.startsWith('attachment://'))?.slice('attachment://'.length);
  const attachment = payload.files?.find((f) => f.name === image) ?? payload.files?.[0];
  if (!attachment) {
    err('ask: this reply attaches no file, so --out has nothing to write\n');
    return 1;
  }
  await writeFile(args.out, attachment.data);
  (args.json ? err : out)(`Wrote ${attachment.name} to ${args.out} (${kilobytes(attachment.data.byteLength)})\n`);
  return 0;
}

// The reply as printed: the exact payload with --json, else readably.
function shown(payload: MessagePayload, json: boolean): string {
  return json ? `${JSON.stringify(payloadJson(payload), null, 2)}\n` : render(payload);
}

// The payload as a person reads it in a terminal, with the buttons' and menus' ids to click.
function render(payload: MessagePayload): string {
  const lines: string[] = [];
  if (payload.flags & 64) lines.push('(only you can see this)');
  if (payload.content) lines.push(unescape(payload.content));
  for (const embed of payload.embeds) lines.push(...renderEmbed(embed));
  for (const row of payload.components) lines.push(...renderRow(row));
  for (const file of payload.files ?? []) {
    const shown = payload.embeds.some((embed) => embed.image?.url === `attachment://${file.name}`) ? ', the embed\'s image' : '';
    lines.push(`Attached: ${file.name} (${kilobytes(file.data.byteLength)}${shown})${file.description ? ` — ${file.description}` : ''} (--out <file> writes it)`);
  }
  return `${lines.join('\n')}\n`;
}

function kilobytes(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1_024)).toLocaleString('en-US')} KB`;
}

function renderEmbed(embed: APIEmbed): string[] {
  const lines = ['', '┌─'];
  if (embed.title) lines.push(`│ ${bold(unescape(embed.title))}`);
  if (embed.url) lines.push(`│ ${embed.url}`);
  if (embed.description) lines.push('│', ...unescape(embed.description).split('\n').map((line) => `│ ${line}`));
  for (const field of embed.fields ?? []) {
    lines.push('│', `│ ${bold(unescape(field.name))}`, ...unescape(field.value).split('\n').map((line) => `│   ${line}`));
  }
  if (embed.image) lines.push('│', `│ [image ${embed.image.url}]`);
  if (embed.footer) lines.push('│', `│ ${unescape(embed.footer.text)}`);
  lines.push('└─');
  return lines;
}

function renderRow(row: ActionRow): string[] {
  const lines: string[] = [];
  for (const component of row.components) {
    if ('options' in component && component.options) {
      lines.push(`Menu "${component.placeholder ?? ''}" (--click ${shellQuote(component.custom_id)} --value <id>):`);
      for (const option of component.options) lines.push(`  ${option.value}  ${option.label}`);
    } else if ('url' in component && component.url) {
      lines.push(`[${component.label ?? 'link'}] ${component.url}`);
    } else if ('custom_id' in component) {
      const label = 'label' in component ? component.label : '';
      lines.push(component.disabled ? `[${label}] (disabled)` : `[${label}] --click ${shellQuote(component.custom_id)}`);
    }
  }
  return lines;
}

function commandNamed(commands: CommandMap, name: string): Command {
  const command = commands.get(name);
  if (!command) throw new UsageError(`no command "${name}" (commands: ${[...commands.keys()].join(', ')})`);
  return command;
}

function convertOption(command: string, definition: APIApplicationCommandOption, raw: string): string | number | boolean {
  const flag = `/${command} --${definition.name}`;
  if (definition.type === ApplicationCommandOptionType.Boolean) {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw new UsageError(`${flag} is true or false, not "${raw}"`);
  }
  let value: string | number = raw;
  if (definition.type === ApplicationCommandOptionType.Integer || definition.type === ApplicationCommandOptionType.Number) {
    const number = Number(raw);
    const integer = definition.type === ApplicationCommandOptionType.Integer;
    if (raw.trim() === '' || !Number.isFinite(number) || (integer && !Number.isInteger(number))) {
      throw new UsageError(`${flag} is ${integer ? 'a whole number' : 'a number'}, not "${raw}"`);
    }
    if (definition.min_value !== undefined && number < definition.min_value) throw new UsageError(`${flag} is at least ${definition.min_value}`);
    if (definition.max_value !== undefined && number > definition.max_value) throw new UsageError(`${flag} is at most ${definition.max_value}`);
    value = number;
  } else if (definition.type === ApplicationCommandOptionType.Channel) {
    if (!/^\d{1,20}$/.test(raw)) throw new UsageError(`${flag} is a channel id (digits), not "${raw}"`);
  } else if (definition.type === ApplicationCommandOptionType.String) {
    if (definition.min_length !== undefined && raw.length < definition.min_length) throw new UsageError(`${flag} is at least ${definition.min_length} characters`);
    if (definition.max_length !== undefined && raw.length > definition.max_length) throw new UsageError(`${flag} is at most ${definition.max_length} characters`);
  } else {
    throw new UsageError(`${flag} cannot be given offline`);
  }
  const choices = 'choices' in definition ? definition.choices : undefined;
  if (choices && choices.length > 0 && !choices.some((choice) => choice.value === value)) {
    throw new UsageError(`${flag} is one of: ${choices.map((choice) => String(choice.value)).join(', ')}`);
  }
  return value;
}

function usage(commands: CommandMap): string {
  const lines = ['usage: npm run ask -- <command> [subcommand] [--<option> <value> ...] [--json]', '       npm run ask -- --click <custom_id> [--value <v>] [--json]', '       npm run ask -- <command> [--<option> <value> ...] --autocomplete <option>', '       npm run ask -- <command> [--<option> <value> ...] --out <file>', '', 'commands:'];
  for (const command of commands.values()) {
    lines.push(`  ${command.data.name}: ${command.data.description}`, ...optionUsage(command.data.options ?? []));
  }
  return `${lines.join('\n')}\n`;
}

// A line for each subcommand (after its group's name) and option.
function optionUsage(options: readonly APIApplicationCommandOption[], group = ''): string[] {
  return options.flatMap((option) => {
    if (option.type === ApplicationCommandOptionType.SubcommandGroup) return optionUsage(option.options ?? [], `${option.name} `);
    if (option.type !== ApplicationCommandOptionType.Subcommand) return [`    ${optionUsageLine(option)}`];
    return [`    ${group}${option.name}: ${option.description}`, ...(option.options ?? []).map((inner) => `      ${optionUsageLine(inner)}`)];
  });
}

// "--format <bibtex|apa|…> (required): Citation style": an option as the command line takes it.
function optionUsageLine(option: APIApplicationCommandOption): string {
  const required = 'required' in option && option.required ? ' (required)' : '';
  const choices = 'choices' in option && option.choices && option.choices.length > 0 ? ` <${option.choices.map((choice) => String(choice.value)).join('|')}>` : '';
  return `--${option.name}${choices}${required}: ${option.description}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

// Markdown escapes and link targets are noise in a terminal: `[Title](https://…)` shows as `Title`.
function unescape(text: string): string {
  return text.replace(/\[([^\]]*)\]\(https?:\/\/[^)\s]+\)/g, '$1').replace(/\\([\\*_~`|<>#:\-[\]()])/g, '$1');
}

function bold(text: string): string {
  return process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text;
}

if (isEntryPoint(import.meta.url)) {
  exitQuietlyOnClosedStdout();
  process.exitCode = await runAsk(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text));
}
