/**
 * /cite paper [format] — one paper's citation as a code block ready to paste, or as a RIS or CSL-JSON file. The
 * reply is public: a citation is usually asked for to share it. Words that match several papers cite the best and
 * name the others, as autocomplete would show them. `format` autocompletes over the built-in formats and styles
 * and any CSL style the lab dropped into DATA_DIR/styles.
 */
import { SlashCommandBuilder } from 'discord.js';
import { CITATION_STYLES, CitationStyleError, citationStyleName, EXPORT_FORMATS, FILE_FORMATS, type CitationStyle, type CitationStyles } from '../src/cite/index.js';
import type { Paper } from '../src/corpus/schema.js';
import { findArxivId, findDoi } from '../src/corpus/links.js';
import { citationBlock, citationExport, citationStylesOf } from '../src/discord/citation.js';
import { UserError, type Command, type CommandContext, type Reply } from '../src/discord/command.js';
import { escapeText } from '../src/discord/embeds.js';
import { clip, LIMITS, truncate } from '../src/discord/limits.js';
import { fitChoices, quote } from '../src/discord/options.js';
import type { PaperSearch } from '../src/search/types.js';

/** The longest title shown in a "did you mean" line. */
const TITLE_SHOWN_MAX = 100;
/** How many "did you mean" titles an unmatched query gets. */
const DID_YOU_MEAN = 3;
/** How many of the other matching papers the reply names. */
const OTHER_MATCHES = 5;
const DEFAULT_STYLE: CitationStyle = 'bibtex';

export default {
  data: new SlashCommandBuilder()
    .setName('cite')
    .setDescription('Cite a paper in BibTeX, APA, MLA, Chicago, IEEE or a lab style, or as a RIS or CSL-JSON file')
    .addStringOption((option) =>
      option.setName('paper').setDescription('The paper: start typing its title, or give its id').setRequired(true).setAutocomplete(true),
    )
    .addStringOption((option) => option.setName('format').setDescription('bibtex (default), apa, mla, chicago, ieee, ris, csljson, or a style the lab added').setAutocomplete(true))
    .toJSON(),

  async execute(request, ctx): Promise<Reply> {
    const styles = citationStylesOf(ctx);
    const style = styleOf(request.options.format, styles);
    const query = String(request.options.paper ?? '');
    const identified = await paperByIdentifier(query, ctx);
    const { paper, note } = identified ? { paper: identified, note: '' } : paperFor(query, ctx.library().index);
    const lead = note ? `${note}\n` : '';
    try {
      if (EXPORT_FORMATS[style]) {
        const exported = await citationExport(paper, style, LIMITS.messageContent - lead.length, styles);
        const description = `${citationStyleName(style, styles)}: ${truncate(paper.title, 900)}`;
        return { content: `${lead}${exported.content}`, files: [{ name: exported.fileName, data: new TextEncoder().encode(exported.text), description }] };
      }
      return { content: `${lead}${await citationBlock(paper, style, LIMITS.messageContent - lead.length, styles)}` };
    } catch (error) {
      if (error instanceof CitationStyleError) throw new UserError(`The citation style ${quote(style)} cannot be used: ${error.message}`);
      throw error;
    }
  },

  autocomplete(request, ctx) {
    if (request.focused.name === 'format') return formatChoices(request.focused.value, citationStylesOf(ctx));
    if (request.focused.name !== 'paper') return [];
    return fitChoices(ctx.library().index.suggestTitles(request.focused.value, LIMITS.autocompleteChoices));
  },
} satisfies Command;

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

// The built-in formats, then every CSL style (shipped, then the lab's), those whose id or name has the typed text;
// every one where none has it (as /help's command names do).
function formatChoices(typed: string, styles: CitationStyles) {
  const ids = [...CITATION_STYLES, ...styles.list().map((style) => style.id)].filter((id, i, all) => all.indexOf(id) === i);
  const needle = typed.trim().toLowerCase();
  const all = ids.map((id) => ({ name: citationStyleName(id, styles), value: id }));
  const matching = all.filter((choice) => choice.value.includes(needle) || choice.name.toLowerCase().includes(needle));
  return fitChoices(matching.length > 0 ? matching : all);
}

// The format option: absent means BibTeX; anything but a known format or style is the member's mistake.
function styleOf(value: string | number | boolean | undefined, styles: CitationStyles): CitationStyle {
  if (value === undefined) return DEFAULT_STYLE;
  const id = String(value).trim().toLowerCase();
  if (id in FILE_FORMATS || styles.get(id)) return id;
  const known = [...CITATION_STYLES, ...styles.list().map((style) => style.id)].filter((name, i, all) => all.indexOf(name) === i);
  throw new UserError(`There is no citation format ${quote(String(value))}. Choose one of: ${known.join(', ')}.`);
}

// An autocompleted paper id, else whatever the member typed (a title, an acronym, words about it); where the words
// match several papers, a line naming the others.
function paperFor(query: string, index: PaperSearch): { paper: Paper; note: string } {
  const trimmed = query.trim();
  if (!trimmed) throw new UserError('Name the paper to cite: start typing its title and pick it from the list.');
  const byId = index.get(trimmed);
  if (byId) return { paper: byId, note: '' };
  const lookup = index.lookupPaper(trimmed);
  if (lookup.paper) return { paper: lookup.paper, note: lookup.total > 1 ? otherMatches(index, trimmed, lookup.paper, lookup.total) : '' };
  const guesses = index.didYouMean(trimmed, DID_YOU_MEAN).map((guess) => `\n• ${escapeText(truncate(guess.title, TITLE_SHOWN_MAX))}`);
  const didYouMean = guesses.length > 0 ? `\nDid you mean:${guesses.join('')}` : '';
  throw new UserError(`No paper matches ${quote(trimmed)}. Try /search to look for it, or pick a title from the list as you type.${didYouMean}`);
}

// "1 of N matching …", the cited paper first, then the best of the others by title as autocomplete lists them.
function otherMatches(index: PaperSearch, query: string, paper: Paper, total: number): string {
  const others = index
    .search(query, { limit: OTHER_MATCHES + 1 })
    .hits.map((hit) => hit.paper)
    .filter((other) => other.id !== paper.id)
    .slice(0, OTHER_MATCHES);
  const lines = [`1 of ${total} papers matching ${quote(query)}: “${escapeText(clip(paper.title, LIMITS.choiceName))}”, pick another with \`/cite paper:\``];
  lines.push(...others.map((other) => `• ${escapeText(clip(other.title, LIMITS.choiceName))}`));
  return lines.join('\n');
}
