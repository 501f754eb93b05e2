/** A citation in chat: a code block that always closes within the message limit, or for RIS and CSL-JSON a file. */
import { citationKey, citationStyleName, collapse, EXPORT_FORMATS, formatCitation, shippedStyles, type CitationStyle, type CitationStyles } from '../cite/index.js';
import type { Paper } from '../corpus/schema.js';
import type { CommandContext } from './command.js';
import { escapeText } from './embeds.js';
import { clip, LIMITS, truncate } from './limits.js';

/** The styles a command cites with: the running bot's (shipped and the lab's own), else the shipped ones. */
export function citationStylesOf(ctx: Pick<CommandContext, 'citationStyles'>): CitationStyles {
  return ctx.citationStyles ?? shippedStyles();
}

/** Author counts tried, in turn, when a citation is too long: the rest become "et al." / "and others". */
const AUTHORS_KEPT_WHEN_LONG = [10, 3, 1] as const;
const TITLE_IN_NOTE_MAX = 150;
const NAME_MAX_WHEN_LONG = 40;

/** The citation fenced, at most `max` characters in all: shortened as citations are (fewer authors, "et al.", then the title). */
export async function citationBlock(paper: Paper, style: CitationStyle, max: number = LIMITS.messageContent, styles: CitationStyles = shippedStyles()): Promise<string> {
  return fenced(style, await fittedCitation(paper, style, max - fenced(style, '').length, styles));
}

/** The paper in an export format (RIS, CSL-JSON): the file's name and text, and the message (the record where it fits). */
export async function citationExport(
  paper: Paper,
  style: CitationStyle,
  max: number = LIMITS.messageContent,
  styles: CitationStyles = shippedStyles(),
): Promise<{ fileName: string; text: string; content: string }> {
  const extension = EXPORT_FORMATS[style]?.extension ?? 'txt';
  const fileName = `${citationKey(paper)}.${extension}`;
  const text = await formatCitation(paper, style, styles);
  const block = fenced(style, defuseFences(text.replace(/\r\n/g, '\n').trimEnd()));
  const title = escapeText(truncate(collapse(paper.title), TITLE_IN_NOTE_MAX));
  const note = `${citationStyleName(style, styles).replace(/ \(.*$/, '')} of “${title}” attached as ${fileName} (too long to show here): open it in Zotero, Mendeley or EndNote to import the paper.`;
  const content = block.length <= max ? block : clip(note, max);
  return { fileName, text, content };
}

// The text in a code block in the style's language: bibtex and json highlight, the prose styles and RIS have none.
function fenced(style: CitationStyle, body: string): string {
  return `\`\`\`${style === 'bibtex' ? 'bibtex' : (EXPORT_FORMATS[style]?.fence ?? '')}\n${body}\n\`\`\``;
}

// The citation, shortened until its fence-safe text fits `budget`.
async function fittedCitation(paper: Paper, style: CitationStyle, budget: number, styles: CitationStyles): Promise<string> {
  const render = async (p: Paper): Promise<string> => defuseFences(await formatCitation(p, style, styles));
  let text = await render(paper);
  if (text.length <= budget) return text;

  let shorter = paper;
  for (const kept of AUTHORS_KEPT_WHEN_LONG) {
    if (shorter.authors.length <= kept) continue;
    shorter = { ...shorter, authors: shorter.authors.slice(0, kept), authorsTruncated: true };
    text = await render(shorter);
    if (text.length <= budget) return text;
  }

  shorter = { ...shorter, authors: shorter.authors.map((name) => truncate(name.trim(), NAME_MAX_WHEN_LONG) || name) };
  for (let length = shorter.title.length; length >= 1; length = Math.floor(length / 2)) {
    text = await render({ ...shorter, title: truncate(shorter.title, length) || '…' });
    if (text.length <= budget) return text;
  }
  // Unreachable for a message-sized budget; kept so the block always closes.
  return clip(text, Math.max(0, budget));
}

// Breaks every run of backticks with zero-width spaces, so no "```" can close the block early.
function defuseFences(text: string): string {
  return text.replace(/`(?=`)/g, '`\u200b');
}
