/**
 * /help [command] — what each command does, with one example each, and which need Manage Server; with `command`,
 * that command's options. Written from the registered command definitions (the files in commands/), so a command
 * added there appears here without a word of this file changing. Examples use the corpus: an option that
 * autocompletes takes its first suggestion, so every example works as shown. Only the asker sees the reply.
 */
import { ApplicationCommandOptionType, PermissionFlagsBits, SlashCommandBuilder, type APIApplicationCommandOption, type APIEmbed, type APIEmbedField } from 'discord.js';
import { UserError, type Command, type CommandContext, type Invoker, type OptionValues, type Reply } from '../src/discord/command.js';
import { EMBED_COLOUR, fitEmbed } from '../src/discord/embeds.js';
import { LIMITS, truncate } from '../src/discord/limits.js';
import { fitChoices, quote } from '../src/discord/options.js';
import { loadCommands, type CommandMap } from '../src/discord/registry.js';

/** The longest example value taken from a suggestion. */
const EXAMPLE_VALUE_MAX = 40;
/** The longest free-text example (a few words of a title). */
const EXAMPLE_QUERY_MAX = 25;
/** An integer option's example: this, within the option's bounds. */
const EXAMPLE_NUMBER = 5;
const MANAGE_SERVER = 'needs Manage Server';

/** The commands as registered, loaded once (the same files `npm run register` sends to Discord). */
let registered: Promise<CommandMap> | null = null;

export default {
  data: new SlashCommandBuilder()
    .setName('help')
    .setDescription('What each command does, with an example; or one command’s options')
    .addStringOption((option) => option.setName('command').setDescription('A command to explain in full').setAutocomplete(true))
    .toJSON(),

  async execute(request, ctx): Promise<Reply> {
    const commands = await commandsRegistered();
    const wanted = typeof request.options.command === 'string' ? request.options.command.trim().replace(/^\//, '').toLowerCase() : '';
    if (!wanted) return { embeds: [fitEmbed(await overview(commands, ctx, request.invoker))], ephemeral: true };
    const command = commands.get(wanted);
    if (!command) throw new UserError(`There is no command ${quote(wanted)}. Commands: ${[...commands.keys()].map((name) => `/${name}`).join(', ')}.`);
    return { embeds: [fitEmbed(await details(command, ctx, request.invoker))], ephemeral: true };
  },

  async autocomplete(request) {
    if (request.focused.name !== 'command') return [];
    const typed = request.focused.value.trim().replace(/^\//, '').toLowerCase();
    const commands = [...(await commandsRegistered()).values()];
    // Names starting with what is typed, then any whose name or description holds it; all of them when none does.
    const starting = commands.filter((c) => c.data.name.startsWith(typed));
    const holding = commands.filter((c) => !starting.includes(c) && `${c.data.name} ${c.data.description}`.toLowerCase().includes(typed));
    const offered = starting.length + holding.length > 0 ? [...starting, ...holding] : commands;
    return fitChoices(offered.map((c) => ({ name: `/${c.data.name} — ${c.data.description}`, value: c.data.name })));
  },
} satisfies Command;

function commandsRegistered(): Promise<CommandMap> {
  registered ??= loadCommands().catch((error: unknown) => {
    registered = null;
    throw error;
  });
  return registered;
}

// Every command: its description, an example, and whether it needs Manage Server.
async function overview(commands: CommandMap, ctx: CommandContext, invoker: Invoker): Promise<APIEmbed> {
  const lines: string[] = [];
  for (const command of commands.values()) {
    const admin = needsManageServer(command) ? ` (${MANAGE_SERVER})` : '';
    lines.push(`**/${command.data.name}**${admin} — ${command.data.description}`, `  e.g. \`${await example(command, ctx, invoker)}\``);
  }
  return {
    title: 'paperbot commands',
    description: truncate(lines.join('\n'), LIMITS.embedDescription),
    color: EMBED_COLOUR,
    footer: { text: '/help command:<name> shows one command’s options.' },
  };
}

// One command: its description, then each option (or each subcommand with its options).
async function details(command: Command, ctx: CommandContext, invoker: Invoker): Promise<APIEmbed> {
  const options = command.data.options ?? [];
  const fields: APIEmbedField[] = [];
  for (const option of options) {
    if (option.type === ApplicationCommandOptionType.Subcommand) {
      const subOptions = option.options ?? [];
      fields.push({ name: `/${command.data.name} ${option.name}`, value: [option.description, ...subOptions.map(optionLine)].join('\n') });
    } else if (option.type === ApplicationCommandOptionType.SubcommandGroup) {
      for (const sub of option.options ?? []) {
        fields.push({ name: `/${command.data.name} ${option.name} ${sub.name}`, value: [sub.description, ...(sub.options ?? []).map(optionLine)].join('\n') });
      }
    } else fields.push({ name: optionTitle(option), value: optionText(option) });
  }
  const admin = needsManageServer(command) ? `\n\nThis command ${MANAGE_SERVER}.` : '';
  const flat = options.length > 0 && options.every((o) => o.type !== ApplicationCommandOptionType.Subcommand && o.type !== ApplicationCommandOptionType.SubcommandGroup);
  const usage = flat ? ` ${options.map(optionUsage).join(' ')}` : '';
  // The footer explains the brackets only where the title uses them.
  const footer = options.length === 0 ? 'This command has no options.' : usage.includes('[') ? 'Options in [brackets] are optional.' : null;
  return {
    title: `/${command.data.name}${usage}`,
    description: `${command.data.description}${admin}\n\nExample: \`${await example(command, ctx, invoker)}\``,
    color: EMBED_COLOUR,
    fields: fields.slice(0, LIMITS.embedFields),
    ...(footer ? { footer: { text: footer } } : {}),
  };
}

// "paper" or "[format]".
function optionUsage(option: APIApplicationCommandOption): string {
  return 'required' in option && option.required ? option.name : `[${option.name}]`;
}

function optionTitle(option: APIApplicationCommandOption): string {
  return `${option.name}${'required' in option && option.required ? ' (required)' : ''}`;
}

// "`name` — description" for an option of a subcommand: its sentences on one line.
function optionLine(option: APIApplicationCommandOption): string {
  return `\`${optionTitle(option)}\` — ${optionText(option).replace(/\n/g, ' ')}`;
}

// The description, then what the option takes: its choices, bounds, or that it suggests as you type. One sentence
// each, so they read apart whether shown on lines of their own or run together.
function optionText(option: APIApplicationCommandOption): string {
  const parts = [sentence(option.description)];
  const choices = 'choices' in option ? option.choices : undefined;
  if (choices && choices.length > 0) parts.push(`One of: ${choices.map(choiceText).join(', ')}.`);
  if ('min_value' in option && (option.min_value !== undefined || option.max_value !== undefined)) {
    parts.push(`From ${option.min_value ?? '…'} to ${option.max_value ?? '…'}.`);
  }
  if ('autocomplete' in option && option.autocomplete) parts.push('Suggestions appear as you type.');
  if (option.type === ApplicationCommandOptionType.Boolean) parts.push('True or false.');
  return truncate(parts.join('\n'), LIMITS.embedFieldValue);
}

// The command with its required options filled (or its first option, where none is required), as a member types it.
async function example(command: Command, ctx: CommandContext, invoker: Invoker): Promise<string> {
  const options = command.data.options ?? [];
  const subcommand = options.find((option) => option.type === ApplicationCommandOptionType.Subcommand);
  const prefix = subcommand ? `/${command.data.name} ${subcommand.name}` : `/${command.data.name}`;
  const candidates = subcommand && 'options' in subcommand ? (subcommand.options ?? []) : subcommand ? [] : options;
  const required = candidates.filter((option) => 'required' in option && option.required);
  const shown = required.length > 0 ? required : candidates.slice(0, 1);
  const values: OptionValues = subcommand ? { subcommand: subcommand.name } : {};
  const parts = [prefix];
  for (const option of shown) {
    const value = await exampleValue(command, option, values, ctx, invoker);
    values[option.name] = value;
    parts.push(`${option.name}:${value}`);
  }
  return parts.join(' ');
}

async function exampleValue(command: Command, option: APIApplicationCommandOption, values: OptionValues, ctx: CommandContext, invoker: Invoker): Promise<string> {
  const choices = 'choices' in option ? option.choices : undefined;
  if (choices && choices.length > 0) return String(choices[Math.min(1, choices.length - 1)]?.value);
  if (option.type === ApplicationCommandOptionType.Integer || option.type === ApplicationCommandOptionType.Number) {
    const min = 'min_value' in option ? (option.min_value ?? 1) : 1;
    const max = 'max_value' in option ? (option.max_value ?? EXAMPLE_NUMBER) : EXAMPLE_NUMBER;
    return String(Math.max(min, Math.min(max, EXAMPLE_NUMBER)));
  }
  if (option.type === ApplicationCommandOptionType.Boolean) return 'True';
  if ('autocomplete' in option && option.autocomplete && command.autocomplete && command.data.name !== 'help') {
    const suggested = await command.autocomplete({ command: command.data.name, options: values, invoker, focused: { name: option.name, value: '' } }, ctx);
    const first = suggested[0]?.name;
    if (first) return words(first, EXAMPLE_VALUE_MAX);
    // Nothing to suggest to this member (e.g. /unfollow without follows): typed text, as the free-text options below.
  }
  if (command.data.name === 'help' && option.name === 'command') return 'cite';
  // Free text: the first words of the newest paper's title, which any text search finds.
  const newest = ctx.library().corpus.papers[0]?.title;
  return newest && option.type === ApplicationCommandOptionType.String ? words(newest, EXAMPLE_QUERY_MAX) : `<${option.name}>`;
}

// Whole words of `text` up to `max` characters (at least the first), backticks made harmless: an example stays typeable.
function words(text: string, max: number): string {
  const all = text.replace(/`/g, "'").split(/\s+/).filter(Boolean);
  let out = all[0] ?? '';
  for (const word of all.slice(1)) {
    if (out.length + 1 + word.length > max) break;
    out += ` ${word}`;
  }
  // End on a word that carries meaning: "Reconciling Causality", not "Reconciling Causality and".
  while (/ \S{1,3}$/.test(out)) out = out.replace(/ \S{1,3}$/, '');
  return truncate(out, max);
}

// A choice as `value`, with its label only where the label says more than the value ("`apa`: APA 7th edition").
function choiceText(choice: { name: string; value: string | number }): string {
  const value = String(choice.value);
  return fold(choice.name) === fold(value) ? `\`${value}\`` : `\`${value}\`: ${choice.name}`;
}

// Case, spaces, hyphens and underscores aside.
function fold(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

// The text ending as a sentence does.
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function needsManageServer(command: Command): boolean {
  const permissions = command.data.default_member_permissions;
  if (permissions === undefined || permissions === null) return false;
  return (BigInt(permissions) & PermissionFlagsBits.ManageGuild) !== 0n;
}
