/**
 * The site from a corpus, in Node: escaping, the feeds against RFC 4287 and JSON Feed 1.1, the page's search
 * against the bot's own index, the served paths and the command line. The browser tests are in test/e2e/site.test.ts.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSiteArgs } from '../../src/cli/site.js';
import { newestFirst } from '../../src/corpus/merge.js';
import type { Corpus, Paper } from '../../src/corpus/schema.js';
import { PaperIndex } from '../../src/search/index.js';
import { foldedWords } from '../../src/search/text.js';
import { SITE_INDEX_GLOBAL, pageSearch, type PageSearch, type SiteIndex } from '../../src/web/client/search.js';
import { FEED_SIZE, TAG_PREFIX } from '../../src/web/feeds.js';
import { html } from '../../src/web/html.js';
import { renderSite, sitePath, type Site } from '../../src/web/site.js';
import { HOSTILE_TEXT, PARITY_QUERIES, PHRASE_QUERIES, siteCorpus } from './fixture.js';
import { JSON_FEED_1_1_SCHEMA } from './json-feed-schema.js';

let corpus: Corpus;
let papers: Paper[];
let site: Site;
let tagged: Site;
beforeAll(async () => {
  corpus = await siteCorpus();
  papers = [...corpus.papers].sort(newestFirst);
  site = await renderSite(corpus, { title: 'Lab "papers" <b>', siteUrl: 'https://lab.example.org/pubs/' });
  tagged = await renderSite(corpus, { title: 'Lab papers', siteUrl: null });
}, 60_000);

const body = (from: Site, file: string): string => {
  const found = from.get(file);
  if (!found) throw new Error(`no ${file} in the site`);
  return found.body;
};

// A text as the template escapes it, and what an HTML/XML parser reads back from it (the five references it writes).
const escapeText = (text: string): string => html`${text}`.toString();
const unescape = (text: string): string => text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[name] ?? '');

describe('escaping', () => {
  it('leaves no markup character in any text, and reads back as the text (XML-forbidden characters dropped)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '"', "'", '&', '</script>', '&amp;'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 200 }), (text) => {
        const escaped = html`<p title="${text}">${text}</p>`.toString();
        const inner = escaped.slice('<p title="'.length, escaped.indexOf('">'));
        expect(inner).not.toMatch(/[<>"']/);
        const allowed = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
        expect(unescape(inner)).toBe(allowed);
        expect(XMLValidator.validate(`<r a="${escapeText(text)}">${escapeText(text)}</r>`)).toBe(true);
      }),
    );
  });

  it('writes a hostile title and abstract as text on the list page, the paper page and in the feed', () => {
    const hostile = papers.find((paper) => paper.title.includes('</script>'));
    expect(hostile).toBeDefined();
    const listPage = body(site, 'index.html');
    const paperPage = body(site, `papers/${hostile?.id}.html`);
    for (const page of [listPage, paperPage, body(site, 'feed.atom')]) {
      expect(page).not.toContain('<script>window.injected');
      expect(page).not.toContain('<b id="bold">');
      expect(page).not.toContain('<img src=x');
    }
    expect(paperPage).toContain(escapeText(HOSTILE_TEXT));
    // Only the site's own two scripts: the index and the page script.
    expect(listPage.match(/<script/g)).toHaveLength(2);
    expect(body(site, 'index.html')).toContain('<title>Lab &quot;papers&quot; &lt;b&gt;</title>');
  });
});

// RFC 4287's required elements, read with an XML parser; ids must be absolute IRIs.
function checkAtom(xml: string): void {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'author', 'link', 'category'].includes(name) }).parse(xml) as {
    feed: Record<string, unknown> & { entry: Array<Record<string, unknown>> };
  };
  const { feed } = parsed;
  expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
  const absoluteIri = (value: unknown): void => {
    expect(typeof value).toBe('string');
    expect(value).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/i);
    expect(() => new URL(String(value))).not.toThrow();
  };
  const dateTime = (value: unknown): void => expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  absoluteIri(feed['id']);
  expect(typeof feed['title']).toBe('string');
  dateTime(feed['updated']);
  const feedAuthors = (feed['author'] as Array<{ name?: unknown }> | undefined) ?? [];
  expect(feed.entry.length).toBeGreaterThan(0);
  for (const entry of feed.entry) {
    absoluteIri(entry['id']);
    expect(entry['title']).toBeDefined();
    dateTime(entry['updated']);
    const authors = (entry['author'] as Array<{ name?: unknown }> | undefined) ?? [];
    expect(authors.length + feedAuthors.length).toBeGreaterThan(0);
    for (const author of [...authors, ...feedAuthors]) expect(String(author.name ?? '')).not.toBe('');
    // No content: an alternate link is required.
    const links = (entry['link'] as Array<Record<string, string>> | undefined) ?? [];
    if (entry['content'] === undefined) expect(links.some((link) => (link['@rel'] ?? 'alternate') === 'alternate')).toBe(true);
    for (const link of links) absoluteIri(link['@href']);
  }
}

describe('the feeds', () => {
  it('are Atom with every element RFC 4287 requires, ids under SITE_URL or tag: URIs without it', () => {
    for (const from of [site, tagged]) checkAtom(body(from, 'feed.atom'));
    expect(body(tagged, 'feed.atom')).toContain(`<id>${TAG_PREFIX}`);
    expect(body(site, 'feed.atom')).toContain('<link rel="self" type="application/atom+xml" href="https://lab.example.org/pubs/feed.atom"/>');
  });

  it('read back with a feed parser: the newest papers, newest first, with their authors', () => {
    const feed = parseFeed(body(site, 'feed.atom'));
    const newest = papers.slice(0, FEED_SIZE);
    expect(feed.items.map((item) => item.title)).toEqual(newest.map((paper) => paper.title));
    expect(feed.items.map((item) => item.id)).toEqual(newest.map((paper) => `https://lab.example.org/pubs/papers/${paper.id}.html`));
    expect(feed.items[0]?.authors.map((author) => author.name)).toEqual(newest[0]?.authors);
    expect(feed.updated?.toISOString().slice(0, 10)).toBe(newest[0]?.date);
    expect(feed.self).toBe('https://lab.example.org/pubs/feed.atom');
  });

  it('are JSON Feed 1.1 by the specification, with and without SITE_URL', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON_FEED_1_1_SCHEMA);
    for (const from of [site, tagged]) {
      const feed = JSON.parse(body(from, 'feed.json')) as { items: Array<{ id: string }> };
      expect(validate(feed), ajv.errorsText(validate.errors)).toBe(true);
      expect(feed.items.map((item) => item.id.slice(item.id.lastIndexOf('/') + 1).replace(/^.*:/, '').replace('.html', ''))).toEqual(papers.slice(0, FEED_SIZE).map((paper) => paper.id));
    }
    // A feed the schema must refuse: it can fail.
    expect(validate({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ id: 'x' }] })).toBe(false);
  });

  it('hold the whole corpus as BibTeX and CSL-JSON', () => {
    expect(body(site, 'papers.bib').match(/^@\w+\{/gm)).toHaveLength(papers.length);
    const items = JSON.parse(body(site, 'papers.json')) as Array<{ title: string }>;
    expect(items.map((item) => item.title).sort()).toHaveLength(papers.length);
  });
});

describe('search in the page', () => {
  let search: PageSearch;
  let index: PaperIndex;
  beforeAll(() => {
    const holder: Record<string, SiteIndex> = {};
    new Function('self', body(site, 'search-index.js'))(holder);
    search = pageSearch(holder[SITE_INDEX_GLOBAL] as SiteIndex);
    index = PaperIndex.build(corpus);
  });

  // The ids of the papers the page shows for `query` (a year typed among the words filters, as the page does).
  const shown = (query: string, typing = false): string[] => {
    const found = search(query, typing);
    const years = found?.years ?? null;
    const ordinals = found?.ordinals ?? papers.map((_, i) => i);
    return ordinals.map((i) => papers[i] as Paper).filter((paper) => years === null || (Number(paper.date.slice(0, 4)) >= years.from && Number(paper.date.slice(0, 4)) <= years.to)).map((paper) => paper.id);
  };
  const searched = (query: string): string[] => index.search(query, { limit: 100 }).hits.map((hit) => hit.paper.id);

  it.each(PARITY_QUERIES)('finds what /search finds for "%s", in the same order', (query) => {
    const expected = searched(query);
    expect(expected.length).toBeGreaterThan(0);
    expect(shown(query)).toEqual(expected);
  });

  // The page does not re-rank by phrase and nearness (its index holds no text): the same papers, another order.
  it.each(PHRASE_QUERIES)('finds the papers /search finds for "%s"', (query) => {
    const expected = searched(query);
    expect(expected.length).toBeGreaterThan(0);
    expect([...shown(query)].sort()).toEqual([...expected].sort());
  });

  it('reads an unfinished last word as the commonest word of the corpus it begins, only while it is typed', () => {
    // The corpus's words beginning with "disentang", by the number of papers printing them, from the papers' own text.
    const counts = new Map<string, number>();
    for (const paper of papers) {
      const words = new Set(foldedWords([paper.title, paper.abstract, ...paper.authors, ...paper.affiliations].join(' ')));
      for (const word of words) if (word.startsWith('disentang')) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const [commonest] = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.length - b.length || (a < b ? -1 : 1));
    expect(commonest).toBeDefined();
    expect(counts.size).toBeGreaterThan(1);
    expect(shown('disentang', true)).toEqual(searched(commonest?.[0] ?? ''));
    expect(shown('disentang', false)).toEqual(searched('disentang'));
    expect(shown('disentang ', true)).toEqual(searched('disentang'));
    expect(shown('disentang', true)).not.toEqual(searched('disentang'));
    // A word the corpus has by word form is searched as it is: "learn" finds "learning" as /search finds it.
    expect(shown('learn', true)).toEqual(searched('learn'));
    expect(searched('learn').length).toBeGreaterThan(0);
  });

  it('has no words in an empty query and no paper for a word nowhere in the corpus', () => {
    expect(search('  ')).toBeNull();
    expect(search('qqqqzzzzxxxx')?.ordinals).toEqual([]);
  });
});

describe('served paths', () => {
  it('map / to the list page and refuse a way out of the site', () => {
    expect(sitePath('/')).toBe('index.html');
    expect(sitePath('/papers/abc123.html')).toBe('papers/abc123.html');
    for (const bad of ['/../etc/passwd', '/papers/%2e%2e/x', '/%E0%A4%A', '/a\\b', 'relative']) expect(sitePath(bad)).toBeNull();
  });
});

describe('npm run site', () => {
  it('reads --out, --title and --url, and names a missing or bad one', () => {
    expect(parseSiteArgs(['--out', 'site/', '--url', 'https://lab.example.org/p'])).toEqual({ out: 'site/', title: null, url: 'https://lab.example.org/p/' });
    expect(() => parseSiteArgs([])).toThrow(/--out is missing/);
    expect(() => parseSiteArgs(['--out', 'x', '--url', 'lab.example.org'])).toThrow(/--url must be an absolute/);
    expect(() => parseSiteArgs(['--out', 'x', '--bogus'])).toThrow(/bogus/);
  });
});
