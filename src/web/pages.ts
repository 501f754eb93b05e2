/** The site's HTML (the list, a page per paper) and what the feeds show of a paper; every text goes through `html`. */
import { CITATION_STYLES, CITATION_STYLE_NAMES } from '../cite/index.js';
import { linkFor, safeLinkUrl } from '../corpus/links.js';
import { nameKeys } from '../corpus/names.js';
import type { Corpus, Paper, PaperType } from '../corpus/schema.js';
import { formatPaperDate } from '../discord/embeds.js';
import { html, type Html } from './html.js';

/** What the site is titled and where it is published. */
export interface SiteOptions {
  title: string;
  /** The absolute base URL (ending in `/`) for the feeds' ids and links; null: `tag:` ids. */
  siteUrl: string | null;
}

/** The policy every page carries (and `serve` also sends as a header): only the site's own scripts, styles and pictures. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

/** The site's paths, relative to its root. */
export const SITE_PATHS = {
  index: 'index.html',
  style: 'style.css',
  script: 'site.js',
  searchIndex: 'search-index.js',
  atom: 'feed.atom',
  jsonFeed: 'feed.json',
  bibtex: 'papers.bib',
  cslJson: 'papers.json',
} as const;

/** A paper's page, relative to the site's root. */
export function paperPath(paper: Pick<Paper, 'id'>): string {
  return `papers/${paper.id}.html`;
}

/** The downloads of a paper's citation, by file extension (beside its page): style, label and media type. */
export const DOWNLOADS = {
  bib: { style: 'bibtex', label: 'BibTeX', type: 'application/x-bibtex; charset=utf-8' },
  ris: { style: 'ris', label: 'RIS', type: 'application/x-research-info-systems; charset=utf-8' },
  json: { style: 'csljson', label: 'CSL-JSON', type: 'application/vnd.citationstyles.csl+json; charset=utf-8' },
} as const;

/** The list page: every paper, newest first, grouped by year. */
export function indexPage(corpus: Corpus, title: string): string {
  const people = members(corpus);
  const keys = people.map(nameKeys);
  const categories = [...new Map(corpus.papers.map((paper) => [paper.categoryCode, paper.categoryLabel])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'en'));
  const types = [...new Set(corpus.papers.map(paperType))].sort();
  const byYear = new Map<string, Array<{ paper: Paper; ordinal: number }>>();
  corpus.papers.forEach((paper, ordinal) => {
    if (!byYear.has(yearOf(paper))) byYear.set(yearOf(paper), []);
    byYear.get(yearOf(paper))?.push({ paper, ordinal });
  });
  const count = corpus.papers.length;
  const body = html`<header>
<h1>${title}</h1>
<p>${count} ${count === 1 ? 'paper' : 'papers'} by ${people.length} ${people.length === 1 ? 'member' : 'members'}, newest first.</p>
<nav aria-label="Feeds and downloads"><ul>
<li><a href="${SITE_PATHS.atom}" type="application/atom+xml">Atom feed</a></li>
<li><a href="${SITE_PATHS.jsonFeed}" type="application/feed+json">JSON Feed</a></li>
<li><a href="${SITE_PATHS.bibtex}" download>All papers as BibTeX</a></li>
<li><a href="${SITE_PATHS.cslJson}" download>All papers as CSL-JSON</a></li>
</ul></nav>
</header>
<main id="main">
<form id="controls" role="search" aria-label="Search and filter the papers" hidden>
<label class="query">Search the papers<input type="search" name="q" autocomplete="off" spellcheck="false" placeholder="Words of a title, an abstract, an author …"></label>
<label>Member<select name="member"><option value="">Every member</option>${people.map((name, i) => html`<option value="${i}">${name}</option>`)}</select></label>
<label>Category<select name="category"><option value="">Every category</option>${categories.map(([code, label]) => html`<option value="${code}">${label}</option>`)}</select></label>
<label>Year<select name="year"><option value="">Every year</option>${[...byYear.keys()].map((year) => html`<option>${year}</option>`)}</select></label>
<label>Type<select name="type"><option value="">Every type</option>${types.map((type) => html`<option value="${type}">${typeLabel(type)}</option>`)}</select></label>
</form>
<p id="status" role="status" aria-live="polite"></p>
<ol id="results" class="papers" aria-label="Search results" hidden></ol>
<div id="papers">
${[...byYear.entries()].map(
  ([year, papers]) => html`<section aria-labelledby="year-${year}">
<h2 id="year-${year}">${year}</h2>
<ol class="papers">
${papers.map(({ paper, ordinal }) => listItem(paper, ordinal, membersOf(paper, keys)))}</ol>
</section>
`,
)}</div>
</main>
`;
  return page(title, '', body, [SITE_PATHS.searchIndex, SITE_PATHS.script]);
}

/** A paper's citation in each of CITATION_STYLES, by style (src/web/site.ts asks for them in batches). */
export type PaperCitations = Readonly<Record<(typeof CITATION_STYLES)[number], string>>;

/** A paper's page: abstract, authors, links, citations (`citations`) with copy buttons, downloads. */
export function paperPage(paper: Paper, siteTitle: string, citations: PaperCitations): string {
  const links = paperLinks(paper);
  const body = html`<header>
<p><a href="../${SITE_PATHS.index}">${siteTitle}</a></p>
</header>
<main id="main">
<article>
<h1>${paper.title}</h1>
<p class="authors">${authorLine(paper)}</p>
<p class="venue">${venueLine(paper)}</p>
${linkList(links, 'Links')}
<h2>Abstract</h2>
<p class="abstract">${paper.abstract === '' ? 'No abstract.' : paper.abstract}</p>
<h2>Details</h2>
<dl class="facts">
<dt>Type</dt><dd>${typeLabel(paperType(paper))}</dd>
<dt>Category</dt><dd>${paper.categoryLabel} (${paper.category})</dd>
<dt>Members</dt><dd>${paper.owners.join(', ')}</dd>
${paper.affiliations.length > 0 ? html`<dt>Affiliations</dt><dd>${paper.affiliations.join('; ')}</dd>` : ''}
</dl>
<h2>Cite</h2>
${CITATION_STYLES.map(
  (style) => html`<section class="citation" aria-labelledby="cite-${style}-name">
<h3 id="cite-${style}-name">${CITATION_STYLE_NAMES[style]}</h3>
<pre id="cite-${style}" tabindex="0">${citations[style]}</pre>
<button type="button" data-copy="cite-${style}" hidden>Copy ${CITATION_STYLE_NAMES[style].replace(/ \(.*$/, '')}</button>
</section>
`,
)}
<h2>Download</h2>
<ul class="links">${Object.entries(DOWNLOADS).map(([extension, file]) => html`<li><a href="${paper.id}.${extension}" download>${file.label}</a></li>`)}</ul>
</article>
</main>
`;
  return page(`${paper.title} · ${siteTitle}`, '../', body, [`../${SITE_PATHS.script}`]);
}

type ShownLink = { label: string; url: string };

// A paper type as the type filter and a paper's page show it: `book-chapter` → "Book chapter".
function typeLabel(type: PaperType): string {
  return type.charAt(0).toUpperCase() + type.slice(1).replace('-', ' ');
}

/** A paper without a type is cited as a preprint (src/corpus/schema.ts), and listed as one. */
function paperType(paper: Paper): PaperType {
  return paper.type ?? 'preprint';
}

/** The paper's links: arXiv and its PDF, the DOI, its own URL (else `linkFor`'s arXiv title search), and the code. */
export function paperLinks(paper: Paper): ShownLink[] {
  const links: ShownLink[] = [];
  const main = linkFor(paper);
  if (main.kind === 'arxiv') links.push({ label: 'arXiv', url: main.url }, { label: 'PDF', url: main.url.replace('/abs/', '/pdf/') });
  const doi = paper.doi ? linkFor({ title: paper.title, doi: paper.doi }) : null;
  if (doi?.kind === 'doi') links.push({ label: 'DOI', url: doi.url });
  const own = paper.url ? safeLinkUrl(paper.url) : null;
  if (own && !links.some((link) => link.url === own)) links.push({ label: 'Paper', url: own });
  if (links.length === 0) links.push({ label: main.label, url: main.url });
  const code = paper.codeUrl ? safeLinkUrl(paper.codeUrl) : null;
  if (code) links.push({ label: 'Code', url: code });
  return links;
}

/** Where and when: `NeurIPS · Dec 2023`, or the date and the category where no venue is known. */
export function venueLine(paper: Paper): string {
  return [paper.venue ?? paper.categoryLabel, formatPaperDate(paper)].join(' · ');
}

/** The authors as printed, with "et al." where the page cut the list short. */
export function authorLine(paper: Paper): string {
  return paper.authorsTruncated ? `${paper.authors.join(', ')}, et al.` : paper.authors.join(', ');
}

// One paper of the list: title, authors, venue and links on a line each, and what the filters read.
function listItem(paper: Paper, ordinal: number, memberIndexes: readonly number[]): Html {
  return html`<li data-i="${ordinal}" data-y="${yearOf(paper)}" data-m="${memberIndexes.join(' ')}" data-c="${paper.categoryCode}" data-t="${paperType(paper)}">
<a class="title" href="${paperPath(paper)}">${paper.title}</a>
<span class="authors">${authorLine(paper)}</span>
<span class="venue">${venueLine(paper)}</span>
${linkList(paperLinks(paper), null)}</li>
`;
}

function linkList(links: readonly ShownLink[], label: string | null): Html {
  return html`<ul class="links"${label ? html` aria-label="${label}"` : ''}>${links.map((link) => html`<li><a href="${link.url}" rel="noopener">${link.label}</a></li>`)}</ul>`;
}

// The document around a page's body; `root` leads from the page back to the site's root.
function page(title: string, root: string, body: Html, scripts: readonly string[]): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="stylesheet" href="${root}${SITE_PATHS.style}">
<link rel="alternate" type="application/atom+xml" href="${root}${SITE_PATHS.atom}" title="${title}">
<link rel="alternate" type="application/feed+json" href="${root}${SITE_PATHS.jsonFeed}" title="${title}">
</head>
<body>
<a class="skip" href="#main">Skip to the papers</a>
${body}<footer><p>Made by paperbot from the lab's profile pages. <a href="${root}${SITE_PATHS.atom}">Atom</a> · <a href="${root}${SITE_PATHS.jsonFeed}">JSON Feed</a></p></footer>
${scripts.map((src) => html`<script src="${src}" defer></script>
`)}</body>
</html>
`.toString();
}

function yearOf(paper: Paper): string {
  return paper.date.slice(0, 4);
}

// The lab's members: the profiles' owners (a page or a BibTeX file each), once per person, in alphabetical order.
function members(corpus: Corpus): string[] {
  const byKey = new Map<string, string>();
  for (const profile of corpus.profiles) {
    const key = nameKeys(profile.owner)[0] ?? profile.owner;
    if (!byKey.has(key)) byKey.set(key, profile.owner);
  }
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, 'en'));
}

// The positions in `memberKeys` (each member's `nameKeys`) of the members whose profile lists the paper (any spelling of the name).
function membersOf(paper: Paper, memberKeys: ReadonlyArray<readonly string[]>): number[] {
  const owners = new Set(paper.owners.flatMap(nameKeys));
  return memberKeys.flatMap((keys, i) => (keys.some((key) => owners.has(key)) ? [i] : []));
}
