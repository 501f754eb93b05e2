/** Atom (RFC 4287) and JSON Feed 1.1 of the newest papers; `tag:` ids (RFC 4151) without SITE_URL; the papers' own dates. */
import type { Corpus, Paper } from '../corpus/schema.js';
import { html } from './html.js';
import { SITE_PATHS, authorLine, paperLinks, paperPath, venueLine, type SiteOptions } from './pages.js';

/** Papers in each feed: the newest. */
export const FEED_SIZE = 50;

/** The authority and date of the `tag:` ids used where no SITE_URL is set. */
export const TAG_PREFIX = 'tag:paperbot.invalid,2026:';

/** An empty Atom feed's `updated` (else its newest paper's date). */
const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00Z';

/** The Atom feed of the newest `FEED_SIZE` papers. */
export function atomFeed(corpus: Corpus, options: SiteOptions): string {
  const papers = corpus.papers.slice(0, FEED_SIZE);
  const base = options.siteUrl;
  return html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${base ?? `${TAG_PREFIX}feed`}</id>
<title>${options.title}</title>
<updated>${papers[0] ? timestamp(papers[0]) : EMPTY_FEED_UPDATED}</updated>
<author><name>${options.title}</name></author>
<generator>paperbot</generator>
${base ? html`<link rel="self" type="application/atom+xml" href="${base}${SITE_PATHS.atom}"/>
<link rel="alternate" type="text/html" href="${base}"/>
` : ''}${papers.map(
    (paper) => html`<entry>
<id>${paperId(paper, base)}</id>
<title>${paper.title}</title>
<updated>${timestamp(paper)}</updated>
<published>${timestamp(paper)}</published>
${paper.authors.map((name) => html`<author><name>${name}</name></author>`)}
<link rel="alternate" type="text/html" href="${paperUrl(paper, base)}"/>
<category term="${paper.category}" label="${paper.categoryLabel}"/>
<summary type="text">${summary(paper)}</summary>
</entry>
`,
  )}</feed>
`.toString();
}

/** The JSON Feed (version 1.1) of the newest `FEED_SIZE` papers. */
export function jsonFeed(corpus: Corpus, options: SiteOptions): string {
  const base = options.siteUrl;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: options.title,
    ...(base ? { home_page_url: base, feed_url: `${base}${SITE_PATHS.jsonFeed}` } : {}),
    authors: [{ name: options.title }],
    language: 'en',
    items: corpus.papers.slice(0, FEED_SIZE).map((paper) => ({
      id: paperId(paper, base),
      url: paperUrl(paper, base),
      title: paper.title,
      content_text: summary(paper),
      summary: venueLine(paper),
      date_published: timestamp(paper),
      authors: paper.authors.map((name) => ({ name })),
      tags: [paper.categoryLabel],
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

// A paper's id: its page under the site's URL, or a tag: URI.
function paperId(paper: Paper, base: string | null): string {
  return base ? `${base}${paperPath(paper)}` : `${TAG_PREFIX}paper:${paper.id}`;
}

// Where a reader opens the paper: its page on the site, or (with no site URL) its own link.
function paperUrl(paper: Paper, base: string | null): string {
  return (base ? null : paperLinks(paper)[0]?.url) ?? paperId(paper, base);
}

function summary(paper: Paper): string {
  return [authorLine(paper), venueLine(paper), '', paper.abstract].join('\n').trim();
}

// RFC 3339 at midnight UTC of the paper's date.
function timestamp(paper: Paper): string {
  return `${paper.date}T00:00:00Z`;
}
