/**
 * `npm run ask -- <command> [subcommand] [--<option> <value> ...] [--json]`: runs a command's handler offline
 * on DATA_DIR's corpus, with no Discord and no token. Prints the reply readably, or with `--json` only the exact
 * payload the bot would send. `--click <custom_id> [--value <v>]` follows a button or menu of a printed reply;
 * `--autocomplete <option>` shows the choices Discord would offer for what the option holds; `--out <file>`
 * (or its older name `--image <file>`) writes the file the reply attaches (a picture, a citation file) and prints
 * the reply as well. `-h` or `--help` print the usage (every command, subcommand and option, with the choices an
 * option takes); `help` is the /help command, as the bot answers it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIApplicationCommandOption, type APIEmbed } from 'discord.js';
import { readConfigOrExit } from '../config.js';
import { loadCorpus } from '../corpus/load.js';
import { LabError, readLab } from '../sources/lab.js';
import type { DatabaseHandle } from '../db/connect.js';
import type { Corpus } from '../corpus/schema.js';
import type { Command, CommandContext, Invoker, OptionValues, Reply } from '../discord/command.js';
import { parseCustomId, type ActionRow } from '../discord/components.js';
import { UserError } from '../discord/errors.js';
import { payloadJson, toPayload, type MessagePayload } from '../discord/payload.js';
import { loadCommands, type CommandMap } from '../discord/registry.js';
import { fitChoices, SUBCOMMAND_GROUP_OPTION, SUBCOMMAND_OPTION } from '../discord/options.js';
import { buildLibrary } from '../search/library.js';
import { createLogger } from '../log.js';
import { exitQuietlyOnClosedStdout } from './stdout.js';
import { CitationStyles } from '../cite/index.js';

/** A mistake in the command line: printed alone, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What the command line asks for. */
export interface AskArgs {
  command: string | null;
  positionals: string[];
  options: Record<string, string | true>;
  json: boolean;
  click: string | null;
  values: string[];
  autocomplete: string | null;
  /** Where to write the reply's picture. */
  /** `--out <file>` (or `--image <file>`): where to write the reply's attachment. */
  out: string | null;
  help: boolean;
}

/**
 * The invoker of offline runs: the operator, on the bot's own machine, in DISCORD_GUILD_ID's server (or a stand-in
 * server "0"). Whoever can run `ask` there can read the corpus and the config anyway, so it holds every permission (Administrator).
 */
const OFFLINE_INVOKER: Invoker = { userId: '0', guildId: '0', channelId: null, permissions: PermissionFlagsBits.Administrator };

/** The prefix of the errors `loadCorpus` throws for a corpus that cannot be read (src/corpus/load.ts). */
const CORPUS_ERROR_PREFIX = 'corpus: ';

/** The flags of `ask` itself, beside the command's own options. */
const ASK_FLAGS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  click: { type: 'string' },
  value: { type: 'string', multiple: true },
  autocomplete: { type: 'string' },
  out: { type: 'string' },
  /** The older name of `--out`. */
  image: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/**
 * Splits argv with node:util's parseArgs: the command (the first positional),
 * positionals (a subcommand), the ask flags, and `--<option> <value>` for each option the command defines
 * (`--has-code` and `--has_code` alike). An option the command does not have, a flag without its value, or an
 * option given twice is a UsageError naming what is allowed.
 */
export function parseAskArgs(argv: readonly string[], commands: CommandMap): AskArgs {
  const first = nodeParseArgs({ args: [...argv], options: ASK_FLAGS, strict: false, allowPositionals: true });
  const named = first.positionals[0]?.replace(/^\//, '') ?? null;
  const args: AskArgs = { command: named, positionals: [], options: {}, json: false, click: null, values: [], autocomplete: null, out: null, help: false };
  if (first.values.help === true) return { ...args, help: true };
  const command = named === null ? null : commandNamed(commands, named);
  if (command) checkSubcommandName(command.data.name, command.data.options ?? [], first.positionals[1]);
  const definitions = command ? optionDefinitions(command, first.positionals[1], first.positionals[2]) : [];
  const config: NonNullable<ParseArgsConfig['options']> = { ...ASK_FLAGS };
  const spelled = new Map<string, string>();
  for (const definition of definitions) {
    for (const spelling of new Set([definition.name, definition.name.replace(/_/g, '-')])) {
      if (spelling in ASK_FLAGS) continue;
      config[spelling] = { type: 'string' };
      spelled.set(spelling, definition.name);
    }
  }
  const { tokens } = nodeParseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const where = command ? `/${command.data.name}` : 'ask';
  const allowed = definitions.map((o) => `--${o.name}`).join(', ') || 'none';
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      args.positionals.push(token.value);
      continue;
    }
    const flag = token.rawName;
    if (token.name in ASK_FLAGS) {
      const type = ASK_FLAGS[token.name as keyof typeof ASK_FLAGS].type;
      if (type === 'string' && token.value === undefined) throw new UsageError(`${flag} needs a value`);
      if (token.name === 'json') args.json = true;
      else if (token.name === 'help') args.help = true;
      else if (token.name === 'click') args.click = token.value ?? null;
      else if (token.name === 'value') args.values.push(token.value ?? '');
      else if (token.name === 'autocomplete') args.autocomplete = (token.value ?? '').replace(/-/g, '_');
      else if (token.name === 'out' || token.name === 'image') {
        if (args.out !== null) throw new UsageError('give --out (or --image) once');
        args.out = token.value ?? null;
      }
      continue;
    }
    const name = spelled.get(token.name);
    if (name === undefined) {
      if (command === null) throw new UsageError(`${flag} needs a command first (e.g. ask search ${flag} …)`);
      throw new UsageError(`${where} has no option ${flag} (options: ${allowed})`);
    }
    if (token.value === undefined) throw new UsageError(`${where} ${flag} needs a value`);
    if (name in args.options) throw new UsageError(`${where} --${name} is given twice`);
    args.options[name] = token.value;
  }
  if (command && args.autocomplete !== null) {
    const completing = definitions.filter((o) => 'autocomplete' in o && o.autocomplete).map((o) => `--${o.name}`);
    if (!completing.includes(`--${args.autocomplete}`)) {
      throw new UsageError(`${where} has no option --${args.autocomplete} that autocompletes (${completing.length > 0 ? `options that do: ${completing.join(', ')}` : 'none of its options does'})`);
    }
  }
  // The command's name is the first positional: only what follows it is the command's.
  if (named !== null) args.positionals = args.positionals.slice(1);
  return args;
}

// The options a command line may give: the chosen subcommand's, or the command's own.
function optionDefinitions(command: Command, subcommand: string | undefined, inGroup: string | undefined): readonly APIApplicationCommandOption[] {
  const definitions = command.data.options ?? [];
  const sub = definitions.find((o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === subcommand);
  if (sub) return 'options' in sub ? (sub.options ?? []) : [];
  const group = definitions.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === subcommand);
  const leaf = group && 'options' in group ? group.options?.find((o) => o.name === inGroup) : undefined;
  if (group) return leaf && 'options' in leaf ? (leaf.options ?? []) : [];
  return definitions.filter((o) => o.type !== ApplicationCommandOptionType.Subcommand && o.type !== ApplicationCommandOptionType.SubcommandGroup);
}

// A word given where a command has subcommands must be one of them: said so by name, before its options are read.
function checkSubcommandName(where: string, options: readonly APIApplicationCommandOption[], wanted: string | undefined): void {
  const subcommands = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup);
  if (wanted === undefined || subcommands.length === 0 || subcommands.some((o) => o.name === wanted)) return;
  throw new UsageError(`/${where} has no subcommand "${wanted}" (subcommands: ${subcommands.map((o) => o.name).join(', ')})`);
}

/**
 * Checks the given options against the command's own definitions (names, types, choices, bounds, required)
 * and converts them as Discord would. Throws a UsageError naming the problem and what is allowed.
 */
function checkOptions(command: Command, positionals: readonly string[], given: Record<string, string | true>): OptionValues {
  const name = command.data.name;
  let definitions: readonly APIApplicationCommandOption[] = command.data.options ?? [];
  const values: OptionValues = {};
  const subcommands = definitions.filter((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup);
  if (subcommands.length > 0) {
    const wanted = positionals[0] ?? (typeof given[SUBCOMMAND_OPTION] === 'string' ? given[SUBCOMMAND_OPTION] : undefined);
    const sub = subcommands.find((o) => o.name === wanted);
    checkSubcommandName(name, subcommands, wanted);
    if (!sub) throw new UsageError(`/${name} needs a subcommand: ${subcommands.map((o) => o.name).join(', ')} (e.g. ask ${name} ${subcommands[0]?.name ?? ''})`);
    if (sub.type === ApplicationCommandOptionType.SubcommandGroup) {
      const inner = sub.options ?? [];
      const leaf = inner.find((o) => o.name === positionals[1]);
      checkSubcommandName(`${name} ${sub.name}`, inner, positionals[1]);
      if (!leaf) throw new UsageError(`/${name} ${sub.name} needs a subcommand: ${inner.map((o) => o.name).join(', ')} (e.g. ask ${name} ${sub.name} ${inner[0]?.name ?? ''})`);
      values[SUBCOMMAND_GROUP_OPTION] = sub.name;
      values[SUBCOMMAND_OPTION] = leaf.name;
      definitions = leaf.options ?? [];
    } else {
      values[SUBCOMMAND_OPTION] = sub.name;
      definitions = 'options' in sub ? (sub.options ?? []) : [];
    }
  } else if (positionals.length > 0) {
    throw new UsageError(`unexpected "${positionals[0]}": options are given as --<name> <value>`);
  }
  const known = new Map(definitions.map((o) => [o.name, o]));
  const allowed = definitions.map((o) => `--${o.name}`).join(', ') || 'none';
  for (const [key, raw] of Object.entries(given)) {
    if (key === SUBCOMMAND_OPTION) continue;
    const definition = known.get(key);
    if (!definition) throw new UsageError(`/${name} has no option --${key} (options: ${allowed})`);
    values[key] = convertOption(name, definition, raw);
  }
  for (const definition of definitions) {
    if ('required' in definition && definition.required && !(definition.name in values)) {
      throw new UsageError(`/${name} needs --${definition.name} (${definition.description})`);
    }
  }
  return values;
}

/** Runs one ask command line; returns the process exit code. Writes to the given streams. */
export async function runAsk(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const config = readConfigOrExit({ requireToken: false });
  const log = createLogger(config.logLevel === 'debug' ? 'debug' : 'warn');
  const commands = await loadCommands();
  let args: AskArgs;
  try {
    args = parseAskArgs(argv, commands);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`ask: ${error.message}\n`);
    return 2;
  }
  if (args.help) {
    out(usage(commands));
    return 0;
  }
  if (args.command === null && args.click === null) {
    err(usage(commands));
    return 2;
  }
  let corpus: Corpus;
  try {
    corpus = await loadCorpus(config.profilesDir, config.corpusAsOf ? { asOf: config.corpusAsOf } : {});
    // With lab.yaml, the works `npm run sources` or the bot fetched so far are part of the corpus.
    if (await readLab(config.dataDir)) {
      // Loaded only then: the database drivers take a while to load.
      const { readCachedWorks, withWorks } = await import('../sources/cache.js');
      corpus = withWorks(corpus, await readCachedWorks(config.databaseUrl));
    }
  } catch (error) {
    // An unreadable or empty corpus is the operator's to fix, not a bug: its message alone, as `npm run corpus` prints it.
    if (!(error instanceof Error && (error.message.startsWith(CORPUS_ERROR_PREFIX) || error instanceof LabError))) throw error;
    err(`ask: ${error.message}\n`);
    return 1;
  }
  const library = buildLibrary(corpus);
  const { styles, problems } = CitationStyles.load(path.join(config.dataDir, 'styles'));
  for (const problem of problems) err(`ask: ${problem}\n`);
  const context: CommandContext = { library: () => library, log, now: () => new Date(), offline: true, citationStyles: styles };
  const invoker: Invoker = { ...OFFLINE_INVOKER, guildId: config.discordGuildId ?? OFFLINE_INVOKER.guildId };
  // Commands that keep state get a database of their own in STATE_DIR, never the running bot's.
  const database = keepsState(args) ? await openAskDatabase(config.stateDir) : null;
  if (database) context.db = database.db;
  try {
    return await answer(args, commands, context, invoker, out, err);
  } finally {
    await database?.close();
    await styles.close();
  }
}

/** The SQLite file `ask` keeps follows and settings in: STATE_DIR/ask.db, apart from the bot's own database. */
const ASK_DATABASE_FILE = 'ask.db';

/** Commands whose replies read or write the state store. */
const STATEFUL_COMMANDS = new Set(['follow', 'unfollow', 'settings']);

function keepsState(args: AskArgs): boolean {
  const name = args.click !== null ? parseCustomId(args.click).command : (args.command ?? '');
  return STATEFUL_COMMANDS.has(name);
}

async function openAskDatabase(stateDir: string): Promise<DatabaseHandle> {
  // Loaded only for the commands that need it: the drivers take a while to load, and most commands never touch them.
  const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import('../db/connect.js'), import('../db/migrate.js')]);
  const handle = await openDatabase(`sqlite:${path.join(stateDir, ASK_DATABASE_FILE)}`);
  try {
    await migrateToLatest(handle.db, handle.label);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function answer(args: AskArgs, commands: CommandMap, context: CommandContext, invoker: Invoker, out: (text: string) => void, err: (text: string) => void): Promise<number> {

  let reply: Reply;
  try {
    if (args.click !== null) reply = await click(commands, context, args.click, args.values, invoker);
    else {
      const command = commandNamed(commands, args.command ?? '');
      const options = checkOptions(command, args.positionals, args.options);
      if (args.autocomplete !== null) {
        out(await autocomplete(command, context, options, args.autocomplete, args.json, invoker));
        return 0;
      }
      reply = await command.execute({ command: command.data.name, options, invoker }, context);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`ask: ${error.message}\n`);
      return 2;
    }
    if (!(error instanceof UserError)) throw error;
    const payload = toPayload({ content: error.message, ephemeral: true });
    out(args.json ? `${JSON.stringify(payloadJson(payload), null, 2)}\n` : render(payload));
    return 1;
  }
  const payload = toPayload(reply);
  if (args.out !== null) return writeAttachment(payload, args.out, args.json, out, err);
  out(args.json ? `${JSON.stringify(payloadJson(payload), null, 2)}\n` : render(payload));
  return 0;
}

/**
 * Prints the reply, then writes the file it attaches to `file`: the embed's `attachment://` image where it shows
 * one, else its first attachment (a chart, a network, a RIS or CSL-JSON citation).
 */
async function writeAttachment(payload: MessagePayload, file: string, json: boolean, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const shown = payload.embeds.map((embed) => embed.image?.url).find((url) => url?.startsWith('attachment://'))?.slice('attachment://'.length);
  const attachment = payload.files?.find((f) => f.name === shown) ?? payload.files?.[0];
  out(json ? `${JSON.stringify(payloadJson(payload), null, 2)}\n` : render(payload));
  if (!attachment) {
    err('ask: this reply attaches no file, so --out has nothing to write\n');
    return 1;
  }
  await writeFile(file, attachment.data);
  (json ? err : out)(`Wrote ${attachment.name} to ${file} (${kilobytes(attachment.data.byteLength)})\n`);
  return 0;
}

/** The payload as a person reads it in a terminal: content, each embed's parts, then the buttons and menus with their ids. */
export function render(payload: MessagePayload): string {
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

async function click(commands: CommandMap, context: CommandContext, customId: string, values: string[], invoker: Invoker): Promise<Reply> {
  const command = commands.get(parseCustomId(customId).command);
  if (!command?.component) throw new UsageError(`no command handles the custom id "${customId}"`);
  return command.component({ customId, values, invoker, messageCreatedAt: null }, context);
}

async function autocomplete(command: Command, context: CommandContext, options: OptionValues, focused: string, json: boolean, invoker: Invoker): Promise<string> {
  if (!command.autocomplete) throw new UsageError(`/${command.data.name} has no autocomplete`);
  const value = options[focused];
  const request = { command: command.data.name, options, invoker, focused: { name: focused, value: value === undefined ? '' : String(value) } };
  const choices = fitChoices(await command.autocomplete(request, context));
  if (json) return `${JSON.stringify(choices, null, 2)}\n`;
  return choices.length === 0 ? '(no choices)\n' : `${choices.map((c) => `${String(c.value)}  ${c.name}`).join('\n')}\n`;
}

function commandNamed(commands: CommandMap, name: string): Command {
  const command = commands.get(name);
  if (!command) throw new UsageError(`no command "${name}" (commands: ${[...commands.keys()].join(', ')})`);
  return command;
}

function convertOption(command: string, definition: APIApplicationCommandOption, raw: string | true): string | number | boolean {
  const flag = `/${command} --${definition.name}`;
  if (definition.type === ApplicationCommandOptionType.Boolean) {
    if (raw === true || raw === 'true') return true;
    if (raw === 'false') return false;
    throw new UsageError(`${flag} is true or false, not "${raw}"`);
  }
  if (raw === true) throw new UsageError(`${flag} needs a value`);
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
    lines.push(`  ${command.data.name}: ${command.data.description}`);
    for (const option of command.data.options ?? []) {
      if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
        for (const sub of option.options ?? []) {
          lines.push(`    ${option.name} ${sub.name}: ${sub.description}`);
          for (const inner of sub.options ?? []) lines.push(`      ${optionUsageLine(inner)}`);
        }
      } else if (option.type === ApplicationCommandOptionType.Subcommand) {
        lines.push(`    ${option.name}: ${option.description}`);
        for (const inner of option.options ?? []) lines.push(`      ${optionUsageLine(inner)}`);
      } else lines.push(`    ${optionUsageLine(option)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// "--format <bibtex|apa|…> (required): Citation style": an option as the command line takes it.
function optionUsageLine(option: APIApplicationCommandOption): string {
  const required = 'required' in option && option.required ? ' (required)' : '';
  const choices = 'choices' in option && option.choices && option.choices.length > 0 ? ` <${option.choices.map((choice) => String(choice.value)).join('|')}>` : '';
  return `--${option.name}${choices}${required}: ${option.description}`;
}

/** `text` as one word for a POSIX shell: as it is when it holds only safe characters, else in single quotes. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

// Markdown escapes and link targets are noise in a terminal: `[Title](https://…)` shows as `Title`.
function unescape(text: string): string {
  return text.replace(/\[([^\]]*)\]\(https?:\/\/[^)\s]+\)/g, '$1').replace(/\\([\\*_~`|<>#:\-[\]()])/g, '$1');
}

function bold(text: string): string {
  return process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  exitQuietlyOnClosedStdout();
  runAsk(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`ask: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
