/**
 * /stats [profile] — the corpus at a glance: each profile's owner, h-index, citations, papers listed on the
 * page vs indexed, and papers per year and per category; one field per profile, within Discord's limits.
 * A chart of papers per year by category comes attached (the text stands without it); `profile` narrows
 * both to one page's owner.
 */
import { SlashCommandBuilder, type APIApplicationCommandOptionChoice, type APIEmbed, type APIEmbedField } from 'discord.js';
import { categoryFor } from '../src/corpus/categories.js';
import { foldText, papersOwnedBy, personKey } from '../src/corpus/names.js';
import { impossibleStats } from '../src/corpus/parse.js';
import type { Corpus, Paper, Profile } from '../src/corpus/schema.js';
import { sourceReads, type SourceRead } from '../src/db/works.js';
import { UserError, type Command, type CommandContext, type Reply, type ReplyFile } from '../src/discord/command.js';
import { EMBED_COLOUR, embedLength, escapeText, fitEmbed } from '../src/discord/embeds.js';
import { LIMITS, truncate } from '../src/discord/limits.js';
import { quote, stringOption } from '../src/discord/options.js';
import { attachmentUrl } from '../src/discord/payload.js';
import { statsPicture } from '../src/discord/pictures.js';
import type { Library } from '../src/search/library.js';

/** Room kept in the embed for the "more profiles" field. */
const MORE_FIELD_ROOM = 120;
/** The longest line of counts (per year, per category) in a profile's field. */
const COUNTS_LINE_MAX = 300;
const UNKNOWN = '—';
/** Why fewer papers are indexed than read (the corpus CLI says it the same way). */
const REPEATS_MERGED = 'repeats on the page merged';

export default {
  data: new SlashCommandBuilder()
    .setName('stats')
    .setDescription('Profiles, citations and papers per year and category in the corpus')
    .addStringOption((option) => option.setName('profile').setDescription("Only this page's owner").setMaxLength(100).setAutocomplete(true))
    .toJSON(),

  async execute(request, ctx): Promise<Reply> {
    const library = ctx.library();
    const typed = stringOption(request.options, 'profile');
    const profile = typed === undefined ? null : profileNamed(library.corpus, typed);
    // When each source was last read, and OpenAlex's figures per member (docs/sources.md); none without lab.yaml.
    const reads = ctx.db ? await sourceReads(ctx.db).catch((error: unknown) => (ctx.log.warn('stats: source reads not read', { error }), [])) : [];
    const embed = statsEmbed(library, profile, reads);
    const papers = profile ? papersOwnedBy(library.corpus.papers, profile.owner) : library.corpus.papers;
    if (papers.length === 0) return { embeds: [embed] };
    const scope = profile ? { label: profile.owner, papers, key: `profile:${personKey(profile.owner)}` } : { label: 'whole corpus', papers, key: 'corpus' };
    return withChart(ctx, embed, () => statsPicture(library, scope));
  },

  autocomplete(request, ctx): APIApplicationCommandOptionChoice[] {
    const words = foldText(request.focused.value).split(' ').filter(Boolean);
    return ctx
      .library()
      .corpus.profiles.map((profile) => profile.owner)
      .filter((owner) => owner.length <= LIMITS.choiceValue && words.every((word) => foldText(owner).split(' ').some((part) => part.startsWith(word))))
      .sort((a, b) => a.localeCompare(b))
      .slice(0, LIMITS.autocompleteChoices)
      .map((owner) => ({ name: owner, value: owner }));
  },
} satisfies Command;

// The embed with the chart as its image; without it (a render failure is logged) when the chart cannot be drawn.
async function withChart(ctx: CommandContext, embed: APIEmbed, picture: () => Promise<ReplyFile>): Promise<Reply> {
  try {
    const file = await picture();
    return { embeds: [{ ...embed, image: { url: attachmentUrl(file.name) } }], files: [file] };
  } catch (error) {
    ctx.log.error('stats chart failed', { error });
    return { embeds: [embed] };
  }
}

// The profile whose owner is `typed` (any case and accents), else a UserError naming the profiles there are.
function profileNamed(corpus: Corpus, typed: string): Profile {
  const key = personKey(typed);
  const profile = corpus.profiles.find((p) => personKey(p.owner) === key);
  if (profile) return profile;
  const owners = corpus.profiles.map((p) => escapeText(p.owner));
  const listed = owners.length <= 10 ? owners.join(', ') : `${owners.slice(0, 10).join(', ')} and ${owners.length - 10} more`;
  throw new UserError(`No profile page belongs to ${quote(typed)}. Profiles: ${listed || 'none'}.`);
}

// One embed: totals in the description, a field per profile while they fit, then how many did not.
function statsEmbed(library: Library, only: Profile | null, reads: readonly SourceRead[]): APIEmbed {
  const { corpus, index } = library;
  const embed: APIEmbed = {
    title: only ? `Statistics of ${escapeText(only.owner)}` : 'Corpus statistics',
    ...(only ? {} : { description: overview(corpus, index.size) }),
    color: EMBED_COLOUR,
    footer: { text: footer(corpus, library.loadedAt, reads) },
  };
  const fields: APIEmbedField[] = [];
  let used = embedLength(embed);
  for (const profile of only ? [only] : corpus.profiles) {
    const field = profileField(profile, papersOwnedBy(corpus.papers, profile.owner), reads);
    const length = field.name.length + field.value.length;
    if (fields.length >= LIMITS.embedFields - 1 || used + length > LIMITS.embedTotal - MORE_FIELD_ROOM) break;
    fields.push(field);
    used += length;
  }
  const hidden = (only ? 1 : corpus.profiles.length) - fields.length;
  if (hidden > 0) fields.push({ name: 'More profiles', value: `${countOf(hidden, 'more profile')} not shown: the message has no room for them.` });
  return fitEmbed({ ...embed, fields });
}

function overview(corpus: Corpus, indexed: number): string {
  if (corpus.profiles.length === 0 && indexed === 0) return 'The corpus is empty: no profile page has been read.';
  const withCode = corpus.papers.filter((paper) => paper.hasCode).length;
  const totals = `**${countOf(corpus.profiles.length, 'profile')} · ${countOf(indexed, 'paper')} indexed** (${withCode} with code)`;
  // With one profile its field says the rest; with several, the counts over all of them come first.
  if (corpus.profiles.length === 1) return totals;
  return [totals, `**By year:** ${countsLine(byYear(corpus.papers))}`, `**By category:** ${countsLine(byCategory(corpus.papers))}`].join('\n');
}

function profileField(profile: Profile, papers: Paper[], reads: readonly SourceRead[]): APIEmbedField {
  const primary = profile.primaryCategory ? ` (${escapeText(categoryFor(profile.primaryCategory).arxiv)})` : '';
  const listed = profile.papersListed ?? profile.stats.papers;
  // "read" counts the page's paper blocks; a paper the page lists twice is read twice and indexed once.
  const read = profile.papersRead === papers.length ? '' : ` · **${number(profile.papersRead)}** read`;
  const merged = profile.papersRead > papers.length ? ` (${REPEATS_MERGED})` : '';
  const citations = profile.stats.citations;
  // The header's figures are the page's claims, not ours: said so, and flagged when they contradict each other.
  const doubt = impossibleStats(profile.stats, profile.papersListed) ? ' (these cannot all be true)' : '';
  // A .bib file has no header: no h-index, citations or count of papers listed, so nothing "as printed" to show.
  const printed = profile.format === 'bibtex' ? [] : [`As printed on the page: h-index **${number(profile.stats.hIndex)}** · **${number(citations)}** ${citations === 1 ? 'citation' : 'citations'} · **${number(listed)}** ${listed === 1 ? 'paper' : 'papers'}${doubt}`];
  const author = reads.find((read) => read.source === 'openalex' && personKey(read.member) === personKey(profile.owner))?.author;
  const openalex = author ? [`OpenAlex ${escapeText(author.id)}: h-index **${figure(author.hIndex)}** · **${figure(author.citations)}** citations · **${figure(author.worksCount)}** works`] : [];
  return {
    name: `${escapeText(profile.owner)}${primary}`,
    value: [
      ...printed,
      ...openalex,
      `Indexed here: **${number(papers.length)}** ${papers.length === 1 ? 'paper' : 'papers'}${read}${merged}`,
      `By year: ${countsLine(byYear(papers))}`,
      `By category: ${countsLine(byCategory(papers))}`,
    ].join('\n'),
  };
}

function footer(corpus: Corpus, loadedAt: Date, reads: readonly SourceRead[]): string {
  const loaded = `Loaded ${minute(loadedAt.getTime())}${sourcesRead(reads)}`;
  // A header whose figures contradict each other is flagged in its own field above (and said once by `npm run
  // corpus` and at start): not counted again as a problem in every reply.
  const headerNotes = new Set(corpus.profiles.map((p) => `${p.file}\n${impossibleStats(p.stats, p.papersListed)}`));
  const problems = corpus.diagnostics.filter((d) => !headerNotes.has(`${d.file}\n${d.reason}`)).length;
  return problems === 0 ? loaded : `${loaded} · ${countOf(problems, 'problem')} reading the pages`;
}

// " · OpenAlex read 2026-12-07 04:30 · arXiv read …": each source's latest good read, and a failure since.
function sourcesRead(reads: readonly SourceRead[]): string {
  const parts: string[] = [];
  for (const [source, name] of SOURCE_NAMES) {
    const mine = reads.filter((read) => read.source === source);
    if (mine.length === 0) continue;
    const ok = Math.max(...mine.map((read) => read.lastOkAt ?? -Infinity));
    const failed = mine.some((read) => read.lastError !== null);
    parts.push(`${name} ${Number.isFinite(ok) ? `read ${minute(ok)}` : 'never read'}${failed ? ' (last try failed)' : ''}`);
  }
  return parts.map((part) => ` · ${part}`).join('');
}

function minute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function figure(value: number | null): string {
  return value === null ? '?' : number(value);
}

const SOURCE_NAMES: ReadonlyArray<[string, string]> = [
  ['openalex', 'OpenAlex'],
  ['arxiv', 'arXiv'],
];

// Newest year first.
function byYear(papers: Paper[]): Array<[string, number]> {
  return [...tally(papers.map((paper) => paper.date.slice(0, 4)))].sort((a, b) => b[0].localeCompare(a[0]));
}

// Most papers first, ties by name.
function byCategory(papers: Paper[]): Array<[string, number]> {
  return [...tally(papers.map((paper) => paper.category))].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

// "2025 12 · 2024 30 · …", markdown-escaped, cut at a separator when long.
function countsLine(counts: Array<[string, number]>): string {
  if (counts.length === 0) return UNKNOWN;
  return truncate(counts.map(([key, count]) => `${escapeText(key)} ${count}`).join(' · '), COUNTS_LINE_MAX);
}

function number(value: number | null): string {
  return value === null ? UNKNOWN : value.toLocaleString('en-US');
}

function countOf(count: number, noun: string): string {
  return `${number(count)} ${noun}${count === 1 ? '' : 's'}`;
}
