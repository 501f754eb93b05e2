/**
 * /latest [count] [category] [author] — the newest papers, newest first, as a public reply fit for a channel.
 */
import { SlashCommandBuilder } from 'discord.js';
import { UserError, type Command } from '../src/discord/command.js';
import { OPEN_ACTION, invalidComponentMessage, openSelectedPaper, paperSelectRow, parseCustomId } from '../src/discord/components.js';
import { paperListEmbed, paperListEntry } from '../src/discord/embeds.js';
import { filterChoices, filtersFromOptions, integerOption } from '../src/discord/options.js';

const COUNT_MIN = 1;
const COUNT_MAX = 10;
const COUNT_DEFAULT = 5;

export default {
  data: new SlashCommandBuilder()
    .setName('latest')
    .setDescription("The lab's newest papers")
    .addIntegerOption((option) => option.setName('count').setDescription(`How many (${COUNT_MIN}–${COUNT_MAX}, default ${COUNT_DEFAULT})`).setMinValue(COUNT_MIN).setMaxValue(COUNT_MAX))
    .addStringOption((option) => option.setName('category').setDescription('Only this category: a code or arXiv name, e.g. LG or cs.LG').setMaxLength(50).setAutocomplete(true))
    .addStringOption((option) => option.setName('author').setDescription('Only papers by this person').setMaxLength(100).setAutocomplete(true))
    .toJSON(),

  execute(request, ctx) {
    const index = ctx.library().index;
    const count = integerOption(request.options, 'count', COUNT_MIN, COUNT_MAX, COUNT_DEFAULT);
    const { filters, labels } = filtersFromOptions(index, request.options);
    // A search without words lists the filtered papers, newest first.
    const papers = index.search('', { ...filters, limit: count }).hits.map((hit) => hit.paper);
    if (papers.length === 0) throw new UserError(labels.length ? `No paper matches those filters (${labels.join(', ')}).` : 'The corpus has no papers.');
    const embed = paperListEmbed({
      title: papers.length === 1 ? 'The latest paper' : `The ${papers.length} latest papers`,
      summary: labels.length ? `Newest first, ${labels.join(', ')}.` : 'Newest first.',
      entries: papers.map((paper, i) => paperListEntry(paper, i + 1)),
      footer: `${index.size} papers in the corpus · pick one below to open it (only you will see it)`,
    });
    const select = paperSelectRow('latest', papers);
    return { embeds: [embed], components: select ? [select] : [] };
  },

  autocomplete(request, ctx) {
    return filterChoices(ctx.library().index, request.focused);
  },

  component(request, ctx) {
    if (parseCustomId(request.customId).action !== OPEN_ACTION) throw new UserError(invalidComponentMessage('latest'));
    return openSelectedPaper(request, ctx.library().index, 'latest');
  },
} satisfies Command;
