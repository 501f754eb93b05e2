/** How papers are shown: pure builders, paper in, `APIEmbed` out; people's names escaped, only http(s) URLs ever linked. */
import { escapeMarkdown, type APIEmbed, type APIEmbedField } from 'discord.js';
import { NO_CATEGORY } from '../corpus/categories.js';
import { identifierLinks, linkFor } from '../corpus/links.js';
import { foldText } from '../corpus/names.js';
import { MAX_URL_LENGTH, type Paper } from '../corpus/schema.js';
import { LIMITS, clip, truncate } from './limits.js';

const TITLE_IN_LIST_MAX = 150;
const SNIPPET_MAX = 200;
const SHORT_AUTHORS = 3;
const SNIPPET_LEAD_WORDS = 6;
const FOOTER_MAX = 200;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The colour of embeds about the lab rather than one paper: Discord's blurple. */
export const EMBED_COLOUR = 0x5865f2;

/** Embed colours by category code; anything else gets the default. */
const CATEGORY_COLOURS: ReadonlyMap<string, number> = new Map([
  ['LG', 0x5865f2],
  ['CV', 0x57f287],
  ['ML', 0xfee75c],
  ['ME', 0xeb459e],
  ['QM', 0xed4245],
  ['OC', 0xf0b232],
]);
const DEFAULT_COLOUR = 0x99aab5;

/** Text shown literally: control and bidi characters stripped, markdown and link syntax escaped, mentions defused. */
export function escapeText(text: string): string {
  return defuseMentions(escapeLinks(escapeMarkdown(stripControls(text))));
}

/** Control and bidi characters stripped, and a zero-width space after every `@` so no mention shows as one. */
export function defuseMentions(text: string): string {
  return stripControls(text).replace(/@/g, '@\u200b');
}

/** A page's own markdown (an abstract): mentions defused, and `[`/`]` escaped so no link hides behind other text. */
export function corpusMarkdown(text: string): string {
  return defuseMentions(text).replace(/[[\]]/g, '\\$&');
}

// Removes control characters (newline and tab kept) and the bidi controls, which could reorder what a member reads.
function stripControls(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}

// Escapes link syntax and breaks every `scheme://` (a backslash before punctuation reads as a literal): no link can form.
function escapeLinks(text: string): string {
  return text.replace(/[[\]()<>]/g, '\\$&').replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:');
}

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `2022-07-19` → `Jul 19, 2022`, the way the profile pages print dates; anything else is returned as is. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return isoDate;
  return `${month} ${Number(match[3])}, ${match[1]}`;
}

/** The paper's date as far as it is known: `Jul 19, 2022`, `Mar 2024` or `2023` (a BibTeX entry may give only a year). */
export function formatPaperDate(paper: Pick<Paper, 'date' | 'datePrecision'>): string {
  const precision = paper.datePrecision ?? 'day';
  if (precision === 'day') return formatDate(paper.date);
  const year = paper.date.slice(0, 4);
  const month = MONTHS[Number(paper.date.slice(5, 7)) - 1];
  return precision === 'month' && month ? `${month} ${year}` : year;
}

/** The paper's year as a number. */
export function paperYear(paper: Paper): number {
  return Number(paper.date.slice(0, 4));
}

/** The URL when it is an absolute http(s) URL of a sane length, else null: nothing else is ever linked. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url || url.length > MAX_URL_LENGTH) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// The authors as one escaped line within a field: cut at a name, never mid-name, and then ending "et al.".
function authorLine(paper: Paper): string {
  const max = LIMITS.embedFieldValue;
  const names = paper.authors.map((name) => escapeText(name));
  const full = names.join(', ') + (paper.authorsTruncated ? ' et al.' : '');
  if (full.length <= max) return full;
  const suffix = ' et al.';
  let line = '';
  for (const name of names) {
    const next = line ? `${line}, ${name}` : name;
    if (next.length + suffix.length > max) break;
    line = next;
  }
  return line ? `${line}${suffix}` : truncate(names[0] ?? '', max);
}

/** A short author list for one line of a list: up to three names, then "et al."; `show` escapes each name. */
export function shortAuthors(paper: Paper, show: (name: string) => string = escapeText): string {
  const shown = paper.authors.slice(0, SHORT_AUTHORS).map(show);
  const more = paper.authors.length > SHORT_AUTHORS || paper.authorsTruncated;
  return shown.join(', ') + (more ? ' et al.' : '');
}

/** The category as a member reads it, `show` escaping it: `Machine Learning (cs.LG)`. */
export function categoryText(paper: Paper, show: (text: string) => string = escapeText): string {
  const code = show(paper.category);
  return paper.categoryLabel === paper.category ? code : `${show(paper.categoryLabel)} (${code})`;
}

/** The full /paper embed. */
export function paperEmbed(paper: Paper): APIEmbed {
  const fields: APIEmbedField[] = [
    { name: 'Authors', value: authorLine(paper) || '—', inline: false },
    { name: 'Published', value: formatPaperDate(paper), inline: true },
  ];
  if (paper.categoryCode !== NO_CATEGORY.code) fields.push({ name: 'Category', value: categoryText(paper), inline: true });
  if (paper.venue) fields.push({ name: 'Venue', value: escapeText(paper.venue), inline: false });
  const identifiers = identifierLinks(paper);
  // The URLs are made of safe characters only (src/corpus/links.ts), so they sit in markdown links as they are.
  if (identifiers.length > 0) fields.push({ name: 'Links', value: identifiers.map((link) => `[${escapeText(link.label)}](${link.url})`).join(' · '), inline: false });
  if (paper.citedBy) fields.push({ name: 'Cited by', value: `${paper.citedBy.count.toLocaleString('en')} (${paper.citedBy.source}, ${formatDate(paper.citedBy.asOf)})`, inline: true });
  if (paper.affiliations.length > 0) fields.push({ name: 'Affiliations', value: escapeText(paper.affiliations.join(', ')), inline: true });
  const url = safeHttpUrl(paper.codeUrl);
  if (url) fields.push({ name: paperLinkLabel(paper), value: url, inline: false });
  else if (paper.hasCode) fields.push({ name: 'Code', value: 'Code is available (no link on the page).', inline: false });

  return fitEmbed({
    title: escapeText(paper.title),
    url: linkFor(paper).url,
    description: corpusMarkdown(paper.abstract.trim()) || (/\.bib$/i.test(paper.source.file) ? '*No abstract given.*' : '*No abstract on the page.*'),
    color: CATEGORY_COLOURS.get(paper.categoryCode) ?? DEFAULT_COLOUR,
    fields,
    footer: { text: clip(stripControls(`Source: ${pageName(paper.source.file)}, line ${paper.source.line} · id ${paper.id}`), FOOTER_MAX) },
  });
}

/** "Code" only where the page flags code; a URL in an unflagged paper's abstract is just a "Link" (often a project page). */
export function paperLinkLabel(paper: Paper): 'Code' | 'Link' {
  return paper.hasCode ? 'Code' : 'Link';
}

/** The page's file name alone (`bob.txt`): embeds are public, and the server's directories are nobody's business. */
function pageName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

/** The characters Discord counts toward the 6000 of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  let length = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  length += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) length += field.name.length + field.value.length;
  return length;
}

/** One embed cut to every per-embed limit and to `budget` characters in all; non-http(s) URLs dropped. */
export function fitEmbed(embed: APIEmbed, budget: number = LIMITS.embedTotal): APIEmbed {
  const fitted: APIEmbed = { ...embed };
  if (fitted.title !== undefined) fitted.title = truncate(fitted.title, LIMITS.embedTitle) || '—';
  const url = safeHttpUrl(fitted.url);
  if (url) fitted.url = url;
  else delete fitted.url;
  if (fitted.footer) fitted.footer = { ...fitted.footer, text: truncate(fitted.footer.text, LIMITS.embedFooterText) };
  if (fitted.author) fitted.author = { ...fitted.author, name: truncate(fitted.author.name, LIMITS.embedAuthorName) };
  if (fitted.fields) {
    fitted.fields = fitted.fields.slice(0, LIMITS.embedFields).map((field) => ({
      ...field,
      name: truncate(field.name, LIMITS.embedFieldName) || '​',
      value: truncate(field.value, LIMITS.embedFieldValue) || '​',
    }));
  }
  if (fitted.description !== undefined) fitted.description = truncate(fitted.description, LIMITS.embedDescription);

  // Past the budget, in turn: the description, the fields' values from the last, whole fields, footer, author, title.
  const over = (): number => embedLength(fitted) - budget;
  const shorten = (text: string, min = 1): string => truncate(text, Math.max(min, text.length - over()));
  if (over() > 0 && fitted.description) {
    fitted.description = shorten(fitted.description, 0);
    if (!fitted.description) delete fitted.description;
  }
  if (over() > 0 && fitted.fields) {
    const fields = (fitted.fields = [...fitted.fields]);
    for (let i = fields.length - 1; i >= 0 && over() > 0; i--) {
      const field = fields[i];
      if (field) fields[i] = { ...field, value: shorten(field.value) || '…' };
    }
    while (over() > 0 && fields.length > 0) fields.pop();
  }
  if (over() > 0 && fitted.footer) fitted.footer = { ...fitted.footer, text: shorten(fitted.footer.text) };
  if (over() > 0 && fitted.author) fitted.author = { ...fitted.author, name: shorten(fitted.author.name) };
  if (over() > 0 && fitted.title) fitted.title = shorten(fitted.title);
  return fitted;
}

/** Several embeds for one message: at most 10, and 6000 characters over all (later embeds give way first). */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted: APIEmbed[] = [];
  let used = 0;
  for (const embed of embeds.slice(0, LIMITS.embedsPerMessage)) {
    const remaining = LIMITS.embedTotal - used;
    if (remaining <= 0) break;
    const one = fitEmbed(embed, remaining);
    if (embedLength(one) > remaining) break;
    fitted.push(one);
    used += embedLength(one);
  }
  return fitted;
}

/** The title as a markdown link to the paper, escaped so no title breaks it (`linkFor` URLs hold no `()[]` or space). */
export function paperLink(paper: Paper): string {
  const text = escapeText(truncate(paper.title, TITLE_IN_LIST_MAX)).replace(/\[/g, '(').replace(/\]/g, ')');
  return `[${text}](${linkFor(paper).url})`;
}

/** One line of `text` around the first word whose folding starts with a folded term, escaped, matches in bold; else its start. */
export function snippet(text: string, terms: readonly string[]): string {
  const words = text.replace(/[*_~`|\\]/g, '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const folded = terms.map((term) => foldText(term)).filter(Boolean);
  const matches = (word: string): boolean => {
    const parts = foldText(word).split(' ');
    return folded.some((term) => parts.some((part) => part.startsWith(term)));
  };
  const first = folded.length > 0 ? words.findIndex(matches) : -1;
  const start = Math.max(0, first - SNIPPET_LEAD_WORDS);
  const pieces: string[] = [];
  let length = start > 0 ? 2 : 0;
  let end = start;
  for (; end < words.length; end++) {
    const word = words[end] ?? '';
    const shown = matches(word) ? boldCore(word) : escapeText(word);
    if (length + shown.length + 3 > SNIPPET_MAX) break;
    pieces.push(shown);
    length += shown.length + 1;
  }
  if (pieces.length === 0) return truncate(escapeText(words[start] ?? ''), SNIPPET_MAX);
  return `${start > 0 ? '… ' : ''}${pieces.join(' ')}${end < words.length ? ' …' : ''}`;
}

// A word in bold without its surrounding punctuation: "(slots)," → "(**slots**),".
function boldCore(word: string): string {
  const match = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word);
  const [, lead = '', core = word, trail = ''] = match ?? [];
  if (!core) return escapeText(word);
  return `${escapeText(lead)}**${escapeText(core)}**${escapeText(trail)}`;
}

/** One entry of a list of papers: numbered linked title, short authors, date and category, and an optional snippet. */
export function paperListEntry(paper: Paper, number: number, snippetText = ''): string {
  const meta = `${shortAuthors(paper)} · ${formatPaperDate(paper)} · ${escapeText(paper.categoryLabel)}`;
  return `**${number}.** ${paperLink(paper)}\n${meta}${snippetText ? `\n> ${snippetText}` : ''}`;
}

/** A list of papers as one embed: a title, a summary line, the entries, and a footer. */
export function paperListEmbed(list: { title: string; summary: string; entries: readonly string[]; footer?: string; fields?: APIEmbedField[] }): APIEmbed {
  // Whole entries only: a cut in the middle of one would break its markdown link.
  let description = list.summary;
  for (const [i, entry] of list.entries.entries()) {
    const more = `\n\n…and ${list.entries.length - i} more.`;
    const next = description ? `${description}\n\n${entry}` : entry;
    const room = i === list.entries.length - 1 ? LIMITS.embedDescription : LIMITS.embedDescription - more.length;
    if (next.length > room) {
      description += more;
      break;
    }
    description = next;
  }
  return fitEmbed({
    title: list.title,
    description,
    color: DEFAULT_COLOUR,
    ...(list.fields?.length ? { fields: list.fields } : {}),
    ...(list.footer ? { footer: { text: clip(list.footer, FOOTER_MAX) } } : {}),
  });
}
