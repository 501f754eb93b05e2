/**
 * /cite paper [format] — one paper's citation as a code block ready to paste. The reply is public:
 * a citation is usually asked for to share it.
 */
import { SlashCommandBuilder } from 'discord.js';
import { CITATION_STYLES, CITATION_STYLE_NAMES, citationBlock, citationExport, EXPORT_FORMATS, isCitationStyle, type CitationStyle } from '../src/cite/index.js';
import type { Paper } from '../src/corpus/schema.js';
import type { Command, CommandContext, Reply } from '../src/discord/command.js';
import { findArxivId, findDoi } from '../src/corpus/links.js';
import { escapeText } from '../src/discord/embeds.js';
import { UserError } from '../src/discord/errors.js';
import { LIMITS, truncate } from '../src/discord/limits.js';
import { fitChoices, quote } from '../src/discord/options.js';
import type { PaperSearch } from '../src/search/types.js';

/** The longest title shown in a "did you mean" line. */
const TITLE_SHOWN_MAX = 100;
/** How many "did you mean" titles an unmatched query gets. */
const DID_YOU_MEAN = 3;
const DEFAULT_STYLE: CitationStyle = 'bibtex';

export default {
  data: new SlashCommandBuilder()
    .setName('cite')
    .setDescription('Cite a paper in BibTeX, APA, MLA, Chicago or IEEE, or as a RIS or CSL-JSON file')
    .addStringOption((option) =>
      option.setName('paper').setDescription('The paper: start typing its title, or give its id').setRequired(true).setAutocomplete(true),
    )
    .addStringOption((option) =>
      option
        .setName('format')
        .setDescription('Citation style (default BibTeX)')
        .addChoices(...CITATION_STYLES.map((style) => ({ name: CITATION_STYLE_NAMES[style], value: style }))),
    )
    .toJSON(),

  async execute(request, ctx): Promise<Reply> {
    const style = styleOf(request.options.format);
    const query = String(request.options.paper ?? '');
    const paper = (await paperByIdentifier(query, ctx)) ?? paperFor(query, ctx.library().index);
    if (EXPORT_FORMATS[style]) {
      const exported = citationExport(paper, style);
      return { content: exported.content, files: [{ name: exported.fileName, data: new TextEncoder().encode(exported.text), description: `${CITATION_STYLE_NAMES[style]}: ${truncate(paper.title, 900)}` }] };
    }
    return { content: citationBlock(paper, style) };
  },

  autocomplete(request, ctx) {
    if (request.focused.name !== 'paper') return [];
    return fitChoices(ctx.library().index.suggestTitles(request.focused.value, LIMITS.autocompleteChoices));
  },
} satisfies Command;

// The format option: absent means BibTeX; anything but a known style (possible offline) is the member's mistake.
function styleOf(value: string | number | boolean | undefined): CitationStyle {
  if (value === undefined) return DEFAULT_STYLE;
  if (isCitationStyle(value)) return value;
  throw new UserError(`There is no citation format ${quote(String(value))}. Choose one of: ${CITATION_STYLES.join(', ')}.`);
}

/**
 * The paper a DOI, an arXiv id, or a doi.org or arxiv.org URL names: the corpus's own copy where it has one, else
 * fetched from Crossref or arXiv (where lab.yaml lets the bot ask). Null when the query is no such identifier.
 */
async function paperByIdentifier(query: string, ctx: CommandContext): Promise<Paper | null> {
  const text = query.trim();
  const doi = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?10\.\d{4,9}\//i.test(text) ? findDoi(text) : null;
  const arxivId = doi ? null : /^(?:arxiv:\s*|https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/)?[a-z0-9.\/-]+$/i.test(text) ? findArxivId(text) : null;
  if (!doi && !arxivId) return null;
  const inCorpus = ctx.library().corpus.papers.find((paper) => (doi ? paper.doi?.toLowerCase() === doi.toLowerCase() : paper.arxivId?.replace(/v\d+$/, '') === arxivId?.replace(/v\d+$/, '')));
  if (inCorpus) return inCorpus;
  const what = doi ? `the DOI ${quote(doi)}` : `the arXiv id ${quote(arxivId ?? '')}`;
  if (!ctx.lookup) throw new UserError(`No paper in the corpus has ${what}, and this bot does not look papers up (it has no DATA_DIR/lab.yaml).`);
  let found: Paper | null;
  try {
    found = doi ? await ctx.lookup.byDoi(doi) : await ctx.lookup.byArxivId(arxivId ?? '');
  } catch (error) {
    ctx.log.warn('cite: looking a paper up failed', { doi, arxivId, error });
    throw new UserError(`${doi ? 'Crossref' : 'arXiv'} could not be asked about ${what} just now. Try again in a while.`);
  }
  if (!found) throw new UserError(`${doi ? 'Crossref' : 'arXiv'} knows no paper with ${what}. Check it, or cite a paper of the corpus by its title.`);
  return found;
}

// An autocompleted paper id, else whatever the member typed (a title, an acronym, words about it).
function paperFor(query: string, index: PaperSearch): Paper {
  const trimmed = query.trim();
  if (!trimmed) throw new UserError('Name the paper to cite: start typing its title and pick it from the list.');
  const paper = index.get(trimmed) ?? index.findPaper(trimmed);
  if (paper) return paper;
  const guesses = index.didYouMean(trimmed, DID_YOU_MEAN).map((guess) => `\n• ${escapeText(truncate(guess.title, TITLE_SHOWN_MAX))}`);
  const didYouMean = guesses.length > 0 ? `\nDid you mean:${guesses.join('')}` : '';
  throw new UserError(`No paper matches ${quote(trimmed)}. Try /search to look for it, or pick a title from the list as you type.${didYouMean}`);
}
