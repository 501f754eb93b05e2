/**
 * /search [query] [author] [category] [year] [has_code] [sort] — a ranked list, 5 a page, with Prev/Next
 * and a menu that opens a result. Without words (or with only punctuation) it lists the papers the filters
 * allow, newest first; with neither words nor a filter it asks for one. The buttons work for 15 minutes.
 * The reply says how the hits match: every word, or (when no paper has every word) some of them; and when a
 * year typed among the words was read as a year filter.
 */
import { SlashCommandBuilder } from 'discord.js';
import { UserError, type Command, type CommandContext, type OptionValues, type Reply } from '../src/discord/command.js';
import { OPEN_ACTION, openSelectedPaper, pagedComponents, parseCustomId, readPageRequest } from '../src/discord/components.js';
import { paperListEmbed, paperListEntry, snippet } from '../src/discord/embeds.js';
import { filterChoices, filtersFromOptions, quote, stringOption } from '../src/discord/options.js';
import { readQuery } from '../src/search/query.js';
import type { PaperSearch, SearchFilters, SearchResult, SortOrder, YearRange } from '../src/search/types.js';

/** Results on one page. */
const PAGE_SIZE = 5;

const EXPIRED = 'This search has expired: buttons work for 15 minutes. Run /search again.';

/** The options kept with a reply for its pager, in this order. */
const STATE_OPTIONS = ['query', 'author', 'category', 'year', 'has_code', 'sort'] as const;

export default {
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription("Search the lab's papers by words, with filters")
    .addStringOption((option) => option.setName('query').setDescription('Words to look for in titles, abstracts and authors (or leave empty and filter)').setMaxLength(200))
    .addStringOption((option) => option.setName('author').setDescription('Only papers by this person').setMaxLength(100).setAutocomplete(true))
    .addStringOption((option) => option.setName('category').setDescription('Only this category: a code or arXiv name, e.g. ME or stat.ME').setMaxLength(50).setAutocomplete(true))
    .addStringOption((option) => option.setName('year').setDescription('A year (2023) or a range (2021-2023)').setMaxLength(20))
    .addBooleanOption((option) => option.setName('has_code').setDescription('Only papers with (true) or without (false) code'))
    .addStringOption((option) =>
      option.setName('sort').setDescription('Order of the results (default: relevance)').addChoices({ name: 'relevance', value: 'relevance' }, { name: 'newest', value: 'newest' }),
    )
    .toJSON(),

  execute(request, ctx) {
    return searchPage(ctx, request.options, 0, ctx.now(), false);
  },

  autocomplete(request, ctx) {
    return filterChoices(ctx.library().index, request.focused);
  },

  async component(request, ctx) {
    const { action } = parseCustomId(request.customId);
    if (action === OPEN_ACTION) return openSelectedPaper(request, ctx.library().index, 'search');
    const { page, issuedAt, state } = await readPageRequest(request, ctx.now(), EXPIRED, ctx.pagingState);
    const options: OptionValues = {};
    STATE_OPTIONS.forEach((name, i) => {
      const value = state[i];
      if (value) options[name] = name === 'has_code' ? value === 'true' : value;
    });
    return searchPage(ctx, options, page, issuedAt, true);
  },
} satisfies Command;

// One page of results; `issuedAt` is when the search was first run (its buttons expire 15 minutes later).
async function searchPage(ctx: CommandContext, options: OptionValues, page: number, issuedAt: Date, update: boolean): Promise<Reply> {
  const index = ctx.library().index;
  const given = stringOption(options, 'query') ?? '';
  // Text with no letter or digit (punctuation, emoji) has nothing to search for: it counts as no query.
  const query = /[\p{L}\p{N}]/u.test(given) ? given : '';
  const read = readQuery(query);
  if (query && read.terms.length === 0 && read.years === null) {
    if (read.common.length > 0) throw new UserError(`${quote(given)} has only words too common to search for (like “the” or “of”): add a more specific word.`);
    throw new UserError(`${quote(given)} has no words to search for once mentions, links and one-letter words are left out: add a word about the paper.`);
  }
  const { filters, labels } = filtersFromOptions(index, options);
  if (read.years !== null && filters.yearFrom !== undefined && filters.yearTo !== undefined && (read.years.to < filters.yearFrom || read.years.from > filters.yearTo)) {
    throw yearConflict(index, read.years, { from: filters.yearFrom, to: filters.yearTo }, query, read.terms.map(({ term }) => term).join(' '), filters);
  }
  const sort = parseSort(stringOption(options, 'sort'));
  if (!query && labels.length === 0) {
    const why = given ? `${quote(given)} has no letters or digits to search for. ` : '';
    throw new UserError(`${why}Give some words to search for, or a filter: \`author\`, \`category\`, \`year\` or \`has_code\`.`);
  }

  const first = index.search(query, { ...filters, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
  const words = read.terms.map(({ term }) => term).join(' ');
  if (first.total === 0) {
    const unfiltered = (labels.length > 0 || read.years !== null) && words ? index.search(words, { limit: 1 }).total : 0;
    const allLabels = read.years === null ? labels : [...labels, `${yearLabel(read.years)} (a year typed in the query)`];
    const without = labels.length === 0 ? 'the year' : 'the filters';
    throw noResults(query, allLabels, unfiltered, unfiltered > 0 || !words ? [] : index.didYouMean(query, 3).map((p) => p.title), without);
  }
  const pageCount = Math.ceil(first.total / PAGE_SIZE);
  const shown = page < pageCount ? page : pageCount - 1;
  const result = shown === page ? first : index.search(query, { ...filters, sort, offset: shown * PAGE_SIZE, limit: PAGE_SIZE });

  const from = shown * PAGE_SIZE + 1;
  const to = shown * PAGE_SIZE + result.hits.length;
  // Without words there is nothing to rank by: the index lists the filtered papers newest first.
  const order = sort === 'newest' || !words ? 'newest first' : 'best match first';
  const embed = paperListEmbed({
    title: query ? `Search: ${quote(query)}` : 'Search',
    summary: `${howMatched(result, searchedWords(read.terms, result.ignoredTerms), labels)}, ${order}.${leftOut(result.ignoredTerms)}${yearNote(result.queryYears)}`,
    entries: result.hits.map((hit, i) => paperListEntry(hit.paper, from + i, snippet(hit.paper.abstract, hit.terms))),
    footer: `Results ${from}–${to} of ${result.total} · page ${shown + 1} of ${pageCount} · pick a result below to open it`,
  });
  const state = STATE_OPTIONS.map((name) => (options[name] === undefined ? '' : String(options[name])));
  const papers = result.hits.map((hit) => hit.paper);
  return { embeds: [embed], components: await pagedComponents('search', papers, shown, pageCount, issuedAt, state, ctx.pagingState), update };
}

// "**3** papers match (filters)", or, when no paper has every word, "No paper has all of “…”; **2** papers have
// some of the words (filters)": never a count of matches for hits that have only some of the words.
function howMatched(result: SearchResult, words: string, labels: readonly string[]): string {
  const filters = labels.length ? ` (${labels.join(', ')})` : '';
  const count = `**${result.total}**`;
  if (result.matched === 'some') {
    return `No paper has all of ${quote(words)}; ${count} ${result.total === 1 ? 'paper has' : 'papers have'} some of the words${filters}`;
  }
  return `${count} ${result.total === 1 ? 'paper matches' : 'papers match'}${filters}`;
}

// The words searched: the query's terms less those no paper has.
function searchedWords(terms: ReturnType<typeof readQuery>['terms'], ignored: readonly string[] | undefined): string {
  return terms
    .map(({ term }) => term)
    .filter((term) => !ignored?.includes(term))
    .join(' ');
}

// A year typed among the words is a filter, not a word: say so.
function yearNote(years: YearRange | undefined): string {
  if (!years) return '';
  const typed = years.from === years.to ? `${years.from}` : `${years.from}–${years.to}`;
  return `\n“${typed}” in the query was read as ${years.from === years.to ? 'a year' : 'years'}: only papers ${yearLabel(years)}.`;
}

function yearLabel(years: YearRange): string {
  return years.from === years.to ? `from ${years.from}` : `from ${years.from}–${years.to}`;
}

// Words no paper has (not even with a typo) are dropped from the search rather than emptying it: say which.
function leftOut(terms: readonly string[] | undefined): string {
  if (!terms || terms.length === 0) return '';
  return `\nNo paper has ${terms.map((term) => quote(term)).join(', ')}, so the search went on without ${terms.length === 1 ? 'it' : 'them'}.`;
}

// A year typed in the query and the \`year\` option that no paper can meet both of. Rather than search one of them
// (dropping what the member typed) or find nothing (as if no paper were about the words), ask which one was
// meant, with what each would find.
function yearConflict(index: PaperSearch, typed: YearRange, option: YearRange, query: string, words: string, filters: SearchFilters): UserError {
  const span = (years: YearRange): string => (years.from === years.to ? `${years.from}` : `${years.from}-${years.to}`);
  const count = (n: number): string => (n === 1 ? '1 paper matches' : `${n} papers match`);
  const withOption = index.search(words, { ...filters, limit: 1 }).total;
  const withTyped = index.search(query, { ...filters, yearFrom: undefined, yearTo: undefined, limit: 1 }).total;
  return new UserError(
    [
      `The years conflict: “${span(typed)}” in the query and \`year:${span(option)}\` have no year in common, so no paper can match both.`,
      `Keep one of them: with ${span(typed)}, ${count(withTyped)}; with ${span(option)}, ${count(withOption)}.`,
    ].join('\n'),
  );
}

function parseSort(text: string | undefined): SortOrder {
  if (text === undefined || text === 'relevance') return 'relevance';
  if (text === 'newest') return 'newest';
  throw new UserError(`${quote(text)} is not a sort order: use \`relevance\` or \`newest\`.`);
}

function noResults(query: string, labels: string[], unfiltered: number, suggestions: string[], without = 'the filters'): UserError {
  const what = query ? `No paper matches ${quote(query)}` : 'No paper matches';
  const lines = [`${what}${labels.length ? ` ${labels.join(', ')}` : ''}.`];
  const fewer = without === 'the year' ? 'leave the year out of the query' : 'try fewer filters';
  if (unfiltered > 0) lines.push(`Without ${without}, ${unfiltered} ${unfiltered === 1 ? 'paper matches' : 'papers match'}: ${fewer}.`);
  else if (suggestions.length > 0) lines.push(`Did you mean: ${suggestions.map((title) => quote(title)).join(', ')}?`);
  else if (labels.length > 0) lines.push('Try fewer filters or other words.');
  else lines.push('Try other or fewer words.');
  return new UserError(lines.join('\n'));
}
