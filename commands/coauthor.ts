/**
 * /coauthor name [with] — a person's papers, newest first, 5 a page, with their most frequent coauthors;
 * with `with`, the papers the two share. The person's collaboration network comes attached as the embed's
 * image (the pair's shared papers highlighted with `with`); the text stands without it.
 */
import { SlashCommandBuilder, type APIApplicationCommandOptionChoice, type APIEmbedField } from 'discord.js';
import { foldText } from '../src/corpus/names.js';
import { UserError, type Command, type CommandContext, type OptionValues, type Reply } from '../src/discord/command.js';
import { OPEN_ACTION, openSelectedPaper, pagedComponents, parseCustomId, readPageRequest } from '../src/discord/components.js';
import { escapeText, paperListEmbed, paperListEntry } from '../src/discord/embeds.js';
import { LIMITS, truncate } from '../src/discord/limits.js';
import { filterChoices, quote, resolvePersonOption, stringOption } from '../src/discord/options.js';
import { attachmentUrl } from '../src/discord/payload.js';
import { coauthorPicture } from '../src/discord/pictures.js';
import type { PaperSearch, Person } from '../src/search/types.js';

/** Papers on one page. */
const PAGE_SIZE = 5;

/** Coauthors listed beside a person's papers. */
const TOP_COAUTHORS = 10;

/** Coauthors looked through for `with` choices (a person with more is rare; typing narrows them). */
const COAUTHOR_CHOICES_SCANNED = 500;

const EXPIRED = 'This list has expired: buttons work for 15 minutes. Run /coauthor again.';

export default {
  data: new SlashCommandBuilder()
    .setName('coauthor')
    .setDescription("A person's papers and most frequent coauthors, or the papers two people share")
    .addStringOption((option) => option.setName('name').setDescription('The person').setRequired(true).setMaxLength(100).setAutocomplete(true))
    .addStringOption((option) => option.setName('with').setDescription('Only the papers shared with this person').setMaxLength(100).setAutocomplete(true))
    .toJSON(),

  async execute(request, ctx) {
    return withNetwork(ctx, request.options, await coauthorPage(ctx, request.options, 0, ctx.now(), false));
  },

  autocomplete(request, ctx) {
    const index = ctx.library().index;
    const name = stringOption(request.options, 'name');
    const person = request.focused.name === 'with' && name !== undefined ? index.people.resolve(name) : null;
    if (!person) return filterChoices(index, request.focused);
    return withChoices(index, person, request.focused.value);
  },

  async component(request, ctx) {
    const { action } = parseCustomId(request.customId);
    if (action === OPEN_ACTION) return openSelectedPaper(request, ctx.library().index, 'coauthor');
    const { page, issuedAt, state } = await readPageRequest(request, ctx.now(), EXPIRED, ctx.pagingState);
    const [name = '', other = ''] = state;
    const options: OptionValues = other ? { name, with: other } : { name };
    // Every page carries the picture again: an edit with files replaces the message's attachments.
    return withNetwork(ctx, options, await coauthorPage(ctx, options, page, issuedAt, true));
  },
} satisfies Command;

async function coauthorPage(ctx: CommandContext, options: OptionValues, page: number, issuedAt: Date, update: boolean): Promise<Reply> {
  const index = ctx.library().index;
  const name = stringOption(options, 'name');
  if (!name) throw new UserError('Give the name of a person.');
  const person = resolvePersonOption(index, name, 'name');
  const otherName = stringOption(options, 'with');
  const other = otherName === undefined ? null : resolvePersonOption(index, otherName, 'with');
  if (other && other.key === person.key) throw new UserError(`Give two different people: both names are ${escapeText(person.name)}.`);

  const papers = other ? index.people.sharedPapers(person.key, other.key) : index.people.papersOf(person.key);
  if (papers.length === 0) {
    throw new UserError(other ? `${escapeText(person.name)} and ${escapeText(other.name)} share no paper in the corpus.` : `${escapeText(person.name)} has no paper in the corpus.`);
  }
  const pageCount = Math.ceil(papers.length / PAGE_SIZE);
  const shown = Math.min(page, pageCount - 1);
  const onPage = papers.slice(shown * PAGE_SIZE, (shown + 1) * PAGE_SIZE);
  const embed = paperListEmbed({
    title: other ? `Papers of ${escapeText(person.name)} with ${escapeText(other.name)}` : `Papers of ${escapeText(person.name)}`,
    summary:
      (other
        ? `**${papers.length}** shared ${papers.length === 1 ? 'paper' : 'papers'}, newest first.`
        : `**${papers.length}** ${papers.length === 1 ? 'paper' : 'papers'} in the corpus, newest first.`) +
      readNames(index, [
        [name, person],
        [otherName, other],
      ]),
    entries: onPage.map((paper, i) => paperListEntry(paper, shown * PAGE_SIZE + i + 1)),
    fields: other ? [] : coauthorFields(ctx, person),
    footer: `Page ${shown + 1} of ${pageCount} · pick a paper below to open it`,
  });
  const state = other ? [person.key, other.key] : [person.key];
  return { embeds: [embed], components: await pagedComponents('coauthor', onPage, shown, pageCount, issuedAt, state, ctx.pagingState), update };
}

// A line naming whom a partly typed name was read as ("“kleind” is read as Matthäus Kleindessner."); empty when every name was spelled in full.
function readNames(index: PaperSearch, names: ReadonlyArray<readonly [string | undefined, Person | null]>): string {
  const read = names.flatMap(([typed, person]) =>
    typed !== undefined && person !== null && !index.people.isSpellingOf(typed, person.key) ? [`${quote(typed)} is read as ${escapeText(person.name)}`] : [],
  );
  return read.length > 0 ? `\n${read.join('; ')}.` : '';
}

// The reply with the network as its first embed's image (cached per corpus); without it when rendering fails.
async function withNetwork(ctx: CommandContext, options: OptionValues, reply: Reply): Promise<Reply> {
  const [embed, ...rest] = reply.embeds ?? [];
  if (!embed) return reply;
  const library = ctx.library();
  const person = library.index.people.resolve(stringOption(options, 'name') ?? '');
  const otherName = stringOption(options, 'with');
  const other = otherName === undefined ? null : library.index.people.resolve(otherName);
  if (!person) return reply;
  try {
    const file = await coauthorPicture(library, person, other);
    return { ...reply, embeds: [{ ...embed, image: { url: attachmentUrl(file.name) } }, ...rest], files: [...(reply.files ?? []), file] };
  } catch (error) {
    ctx.log.error('coauthor network failed', { error });
    return reply;
  }
}

// `with` once `name` is filled: the person's coauthors matching what is typed, most shared papers first; no one
// else, since anyone else shares no paper with them (and never the person themself).
function withChoices(index: PaperSearch, person: Person, typed: string): APIApplicationCommandOptionChoice[] {
  const words = foldText(typed).split(' ').filter(Boolean);
  const matches = (name: string): boolean => {
    const nameWords = foldText(name).split(' ');
    return words.every((word) => nameWords.some((part) => part.startsWith(word)));
  };
  const choices: APIApplicationCommandOptionChoice[] = [];
  for (const { person: coauthor, shared } of index.people.coauthorsOf(person.key, COAUTHOR_CHOICES_SCANNED)) {
    if (choices.length >= LIMITS.autocompleteChoices) break;
    if (!matches(coauthor.name) || coauthor.key.length > LIMITS.choiceValue) continue;
    const count = ` — ${shared} shared ${shared === 1 ? 'paper' : 'papers'}`;
    choices.push({ name: `${truncate(coauthor.name, LIMITS.choiceName - count.length)}${count}`, value: coauthor.key });
  }
  return choices;
}

function coauthorFields(ctx: CommandContext, person: Person): APIEmbedField[] {
  const coauthors = ctx.library().index.people.coauthorsOf(person.key, TOP_COAUTHORS);
  if (coauthors.length === 0) return [];
  const lines = coauthors.map(({ person: p, shared }) => `${escapeText(p.name)} — ${shared}`);
  return [{ name: 'Most frequent coauthors (shared papers)', value: truncate(lines.join('\n'), LIMITS.embedFieldValue) }];
}
