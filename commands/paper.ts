/**
 * /paper query — one paper as a rich embed, with Cite (BibTeX), Related and Code buttons.
 * The query autocompletes on titles; free text or a paper id works too. When the words match more than one
 * paper, the reply opens the best and says so ("1 of 3 papers matching …"), with a menu of the others; when no
 * paper has every word, it says the paper has only some of them.
 */
import { SlashCommandBuilder } from 'discord.js';
import { citationBlock, citationStylesOf } from '../src/discord/citation.js';
import type { Paper } from '../src/corpus/schema.js';
import { UserError, type Command, type CommandContext, type Reply } from '../src/discord/command.js';
import { readQuery } from '../src/search/query.js';
import type { PaperLookup, PaperSearch } from '../src/search/types.js';
import { OPEN_ACTION, invalidComponentMessage, openSelectedPaper, paperReply, paperSelectRow, parseCustomId } from '../src/discord/components.js';
import { escapeText, paperListEmbed, paperListEntry } from '../src/discord/embeds.js';
import { LIMITS } from '../src/discord/limits.js';
import { fitChoices, quote, stringOption } from '../src/discord/options.js';

/** How many related papers the Related button lists. */
const RELATED_COUNT = 5;

/** How many "did you mean" titles a miss offers. */
const SUGGESTION_COUNT = 3;

/** How many other matches the menu under a paper offers (a select menu holds 25). */
const OTHER_MATCHES = LIMITS.selectOptions;

export default {
  data: new SlashCommandBuilder()
    .setName('paper')
    .setDescription("Show one of the lab's papers: abstract, authors, code and citation")
    .addStringOption((option) =>
      option.setName('query').setDescription('A title (pick from the list), a paper id, or any words about it').setRequired(true).setMaxLength(200).setAutocomplete(true),
    )
    .toJSON(),

  execute(request, ctx) {
    const query = stringOption(request.options, 'query');
    if (!query) throw new UserError('Give a title, a paper id or some words about the paper.');
    const index = ctx.library().index;
    const byId = index.get(query);
    const lookup: PaperLookup = byId ? { paper: byId, total: 1 } : index.lookupPaper(query);
    if (!lookup.paper) throw noMatch(query, index.didYouMean(query, SUGGESTION_COUNT));
    return withOtherMatches(index, query, lookup.paper, lookup);
  },

  autocomplete(request, ctx) {
    return fitChoices(ctx.library().index.suggestTitles(request.focused.value, LIMITS.autocompleteChoices));
  },

  async component(request, ctx) {
    const { action, args } = parseCustomId(request.customId);
    if (action === OPEN_ACTION) return openSelectedPaper(request, ctx.library().index, 'paper');
    if (action === 'cite') return { content: await citationBlock(paperById(ctx, args[0]), 'bibtex', LIMITS.messageContent, citationStylesOf(ctx)), ephemeral: true };
    if (action === 'related') return relatedReply(ctx, paperById(ctx, args[0]));
    throw new UserError(invalidComponentMessage('paper'));
  },
} satisfies Command;

function paperById(ctx: CommandContext, id: string | undefined): Paper {
  const paper = id ? ctx.library().index.get(id) : undefined;
  if (!paper) throw new UserError('That paper is no longer in the corpus. Run /paper again.');
  return paper;
}

function relatedReply(ctx: CommandContext, paper: Paper) {
  const related = ctx.library().index.related(paper.id, RELATED_COUNT);
  if (related.length === 0) {
    return { content: `No other paper in the corpus is close to “${escapeText(paper.title)}”.`, ephemeral: true };
  }
  const embed = paperListEmbed({
    title: `Papers like “${escapeText(paper.title)}”`,
    summary: '',
    entries: related.map((p, i) => paperListEntry(p, i + 1)),
  });
  const select = paperSelectRow('paper', related);
  return { embeds: [embed], components: select ? [select] : [], ephemeral: true };
}

// The paper opened, and what else the words matched: a line saying so and a menu of the other matches.
function withOtherMatches(index: PaperSearch, query: string, paper: Paper, lookup: PaperLookup): Reply {
  const reply = paperReply(paper);
  if (lookup.total <= 1 && lookup.matched !== 'some') return reply;
  const others = index
    .search(query, { limit: OTHER_MATCHES + 1 })
    .hits.map((hit) => hit.paper)
    .filter((other) => other.id !== paper.id)
    .slice(0, OTHER_MATCHES);
  const rest = others.length > 0 ? ' — pick another below, or /search for the rest.' : '.';
  const content =
    lookup.matched === 'some'
      ? `No paper has all of the words of ${quote(query)}; this is 1 of ${lookup.total} ${lookup.total === 1 ? 'paper' : 'papers'} with some of them${rest}`
      : `1 of ${lookup.total} papers matching ${quote(query)}${rest}`;
  const select = paperSelectRow('paper', others, 'Other matches…');
  return { ...reply, content, components: [...(reply.components ?? []), ...(select ? [select] : [])] };
}

function noMatch(query: string, suggestions: Paper[]): UserError {
  const { years } = readQuery(query);
  const only = years === null ? '' : years.from === years.to ? ` from ${years.from} (a year typed in the query)` : ` from ${years.from}–${years.to} (years typed in the query)`;
  const lines = [`No paper${only} matches ${quote(query)}.`];
  if (suggestions.length > 0) {
    lines.push('Did you mean:', ...suggestions.map((p) => `• ${escapeText(p.title)}`));
  } else {
    lines.push('Try fewer or other words, or /search for a list.');
  }
  return new UserError(lines.join('\n'));
}
