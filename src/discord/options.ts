/** The options the commands share (a person, a category, a year range) read into search filters, with a UserError for each bad value. */
import type { Category } from '../corpus/categories.js';
import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { UserError, type AutocompleteRequest, type OptionValues } from './command.js';
import { escapeText } from './embeds.js';
import { LIMITS, truncate } from './limits.js';
import type { PaperSearch, Person, SearchFilters } from '../search/types.js';

/** The option name under which a subcommand's name reaches the handler (its own options sit beside it). */
export const SUBCOMMAND_OPTION = 'subcommand';

/** The option name under which a subcommand group's name reaches the handler. */
export const SUBCOMMAND_GROUP_OPTION = 'subcommand_group';

const AMBIGUOUS_SHOWN = 3;
const QUOTE_MAX = 100;
const YEAR_MIN = 1900;
const YEAR_MAX = 2100;
// `a or b`, `a, b or c`: British English puts no comma before "or".
const OR_LIST = new Intl.ListFormat('en-GB', { type: 'disjunction' });

/** Member text quoted back: clipped, markdown-escaped, in quotes. */
export function quote(text: string): string {
  return `“${escapeText(truncate(text.replace(/\s+/g, ' ').trim(), QUOTE_MAX))}”`;
}

/** A string option, trimmed; undefined when absent or blank. */
export function stringOption(options: OptionValues, name: string): string | undefined {
  const text = options[name]?.toString().trim();
  return text ? text : undefined;
}

/** An integer option within bounds; the default when absent. Throws a UserError when out of bounds or not a whole number. */
export function integerOption(options: OptionValues, name: string, min: number, max: number, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserError(`\`${name}\` must be a whole number from ${min} to ${max}.`);
  }
  return number;
}

/** A boolean option; undefined when absent. */
export function booleanOption(options: OptionValues, name: string): boolean | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  throw new UserError(`\`${name}\` must be true or false.`);
}

/** `2023` or `2021-2023` (any dash, spaces allowed) → an inclusive range. Throws a UserError on anything else. */
function parseYearRange(text: string): { yearFrom: number; yearTo: number } {
  const match = /^\s*(\d{4})\s*(?:[-–—]\s*(\d{4})\s*)?$/.exec(text);
  const from = match ? Number(match[1]) : NaN;
  const to = match?.[2] ? Number(match[2]) : from;
  if (!match || from < YEAR_MIN || to > YEAR_MAX) {
    throw new UserError(`${quote(text)} is not a year: give one year like \`2023\` or a range like \`2021-2023\`.`);
  }
  if (from > to) throw new UserError(`The year range ${quote(text)} ends before it starts: write it as \`${to}-${from}\`.`);
  return { yearFrom: from, yearTo: to };
}

/** The person meant by an author option; else a UserError listing the people it fits, or close spellings. */
export function resolvePersonOption(index: PaperSearch, text: string, option = 'author'): Person {
  const person = index.people.resolve(text);
  if (person) return person;
  const { people, exact } = index.people.match(text, AMBIGUOUS_SHOWN + 1);
  const names = people.slice(0, AMBIGUOUS_SHOWN).map((p) => escapeText(p.name));
  if (exact && people.length > 1) {
    const more = people.length > AMBIGUOUS_SHOWN ? ' (and more)' : '';
    throw new UserError(`${quote(text)} is ambiguous (\`${option}\`): it could be ${OR_LIST.format(names)}${more}. Give more of the name, or pick one from the suggestions as you type.`);
  }
  const hint = names.length > 0 ? ` Did you mean ${OR_LIST.format(names)}?` : ' Pick a name from the suggestions as you type.';
  throw new UserError(`No one called ${quote(text)} is in the corpus (\`${option}\`).${hint}`);
}

/** The category meant by a category option; throws a UserError listing the corpus's categories when there is none. */
export function resolveCategoryOption(index: PaperSearch, text: string): Category {
  const category = index.categories.resolve(text);
  if (category) return category;
  const known = index.categories.all().map(({ category: c }) => `\`${c.code}\` (${c.arxiv})`);
  throw new UserError(`No category ${quote(text)} in the corpus. Use one of: ${known.join(', ') || 'none'}.`);
}

/** Reads `author`, `category`, `year` and `has_code` options into filters, and a label for each (`by …`, `2021–2023`). */
export function filtersFromOptions(index: PaperSearch, options: OptionValues): { filters: SearchFilters; labels: string[] } {
  const filters: SearchFilters = {};
  const labels: string[] = [];
  const author = stringOption(options, 'author');
  if (author !== undefined) {
    const person = resolvePersonOption(index, author);
    filters.author = person.key;
    // ` (read from “montagna”)` when the option was only part of the name it resolved to.
    const readAs = index.people.isSpellingOf(author, person.key) ? '' : ` (read from ${quote(author)})`;
    labels.push(`by ${escapeText(person.name)}${readAs}`);
  }
  const category = stringOption(options, 'category');
  if (category !== undefined) {
    const resolved = resolveCategoryOption(index, category);
    filters.category = resolved.code;
    labels.push(`in ${escapeText(resolved.label)}`);
  }
  const year = stringOption(options, 'year');
  if (year !== undefined) {
    const range = parseYearRange(year);
    Object.assign(filters, range);
    labels.push(range.yearFrom === range.yearTo ? `from ${range.yearFrom}` : `from ${range.yearFrom}–${range.yearTo}`);
  }
  const hasCode = booleanOption(options, 'has_code');
  if (hasCode !== undefined) {
    filters.hasCode = hasCode;
    labels.push(hasCode ? 'with code' : 'without code');
  }
  return { filters, labels };
}

/** Autocomplete for the shared filter options: `author` (and `name`/`with`) over people, `category` over categories. */
export function filterChoices(index: PaperSearch, focused: AutocompleteRequest['focused']): APIApplicationCommandOptionChoice[] {
  if (focused.name === 'category') return fitChoices(index.categories.suggest(focused.value, LIMITS.autocompleteChoices));
  if (PERSON_OPTIONS.has(focused.name)) return fitChoices(index.people.suggest(focused.value, LIMITS.autocompleteChoices));
  return [];
}

const PERSON_OPTIONS = new Set(['author', 'name', 'with']);

/** Choices cut to Discord's limits; one whose string value is empty or too long is dropped. */
export function fitChoices(choices: readonly APIApplicationCommandOptionChoice[]): APIApplicationCommandOptionChoice[] {
  const fitted: APIApplicationCommandOptionChoice[] = [];
  for (const choice of choices) {
    if (fitted.length >= LIMITS.autocompleteChoices) break;
    const name = truncate(choice.name, LIMITS.choiceName);
    const badValue = typeof choice.value === 'string' && (choice.value.length === 0 || choice.value.length > LIMITS.choiceValue);
    if (name && !badValue) fitted.push({ ...choice, name });
  }
  return fitted;
}
