/**
 * The publication site in a real browser (Debian's chromium through playwright-core): written by `renderSite` and
 * opened from `file://`, and served live by `npm run serve`. Search answers as /search does, filters narrow the
 * list, a paper's BibTeX is copied through the clipboard, nothing leaves the page, axe-core finds no serious
 * problem, a hostile title stays text, and a page dropped into DATA_DIR/profiles reaches the page and the feeds.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { newestFirst } from '../../src/corpus/merge.js';
import { papersOwnedBy } from '../../src/corpus/names.js';
import { printProfilePage } from '../../src/corpus/print.js';
import type { Corpus, Paper } from '../../src/corpus/schema.js';
import { formatCitation } from '../../src/cite/index.js';
import { PaperIndex } from '../../src/search/index.js';
import { renderSite, writeSite } from '../../src/web/site.js';
import { paper } from '../announce/helpers.js';
import { HOSTILE_OWNER, PARITY_QUERIES, PHRASE_QUERIES, siteCorpus } from '../web/fixture.js';
import { botEnvironment, BotProcess, makeWorkspace, REPO_ROOT, type Workspace } from './bot-process.js';
import { launchChromium, refuseOutsideRequests } from './browser.js';
import { listeningUrl, publicKeyHex } from './serve-process.js';
import { DiscordStandIn } from './standin/server.js';

let browser: Browser;
let corpus: Corpus;
let papers: Paper[];
let index: PaperIndex;
let dir: string;

beforeAll(async () => {
  corpus = await siteCorpus();
  papers = [...corpus.papers].sort(newestFirst);
  index = PaperIndex.build(corpus);
  dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-site-'));
  await writeSite(await renderSite(corpus, { title: 'Lab publications', siteUrl: null }), dir);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const fileUrl = (file: string): string => pathToFileURL(path.join(dir, file)).href;

// Types a query and returns the ids of the papers listed, in order, once the status line has answered it.
// The results for `query` typed key by key, or (`submit`) filled in at once and submitted with Enter.
async function searchFor(page: Page, query: string, submit = false): Promise<string[]> {
  const before = await page.locator('#status').textContent();
  await page.fill('input[type=search]', submit ? query : '');
  if (submit) await page.locator('input[type=search]').press('Enter');
  else await page.locator('input[type=search]').pressSequentially(query);
  await page.waitForFunction((old) => document.querySelector('#results')?.hasAttribute('hidden') === false || document.querySelector('#status')?.textContent !== old, before);
  return page.$$eval('#results > li > a.title', (links) => links.map((link) => (link.getAttribute('href') ?? '').replace(/^papers\/|\.html$/g, '')));
}

// The ids of the list's visible papers.
function visibleIds(page: Page): Promise<string[]> {
  return page.$$eval('#papers li[data-i]:not([hidden]) > a.title', (links) => links.map((link) => (link.getAttribute('href') ?? '').replace(/^papers\/|\.html$/g, '')));
}

describe('the site from file://', () => {
  it('lists every paper newest first, grouped by year, and searches as /search does', async () => {
    const context = await browser.newContext();
    const outside = await refuseOutsideRequests(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(fileUrl('index.html'));
    expect(await visibleIds(page)).toEqual(papers.map((p) => p.id));
    expect(await page.$$eval('#papers h2', (heads) => heads.map((h) => h.textContent))).toEqual([...new Set(papers.map((p) => p.date.slice(0, 4)))]);
    // Submitted: the words /search reads, the same papers in the same order.
    for (const query of PARITY_QUERIES) {
      expect(await searchFor(page, query, true), query).toEqual(index.search(query, { limit: 100 }).hits.map((hit) => hit.paper.id));
    }
    // Re-ranked by phrase and nearness in /search only: the same papers.
    for (const query of PHRASE_QUERIES) {
      const expected = index.search(query, { limit: 100 }).hits.map((hit) => hit.paper.id);
      expect([...(await searchFor(page, query, true))].sort(), query).toEqual([...expected].sort());
    }
    // A typo typed letter by letter: the page answers each keystroke, the last with the paper /search finds.
    expect((await searchFor(page, 'bommerang distilation'))[0]).toBe(index.search('bommerang distilation').hits[0]?.paper.id);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters by year and by member (the profile owner), and with a query', async () => {
    const page = await browser.newPage();
    await page.goto(fileUrl('index.html'));
    await page.selectOption('select[name=year]', '2023');
    expect(await visibleIds(page)).toEqual(papers.filter((p) => p.date.startsWith('2023')).map((p) => p.id));
    await page.selectOption('select[name=year]', '');
    await page.selectOption('select[name=member]', { label: 'Bo Ström' });
    const owned = papersOwnedBy(papers, 'Bo Ström').map((p) => p.id);
    expect(owned.length).toBeGreaterThan(0);
    expect(await visibleIds(page)).toEqual(owned);
    await page.selectOption('select[name=member]', { label: 'Francesco Locatello' });
    const shown = await searchFor(page, 'causal');
    const expected = index.search('causal', { limit: 100 }).hits.map((hit) => hit.paper).filter((p) => p.owners.includes('Francesco Locatello'));
    expect(shown).toEqual(expected.map((p) => p.id));
    await page.close();
  });

  it('opens a paper and copies its BibTeX through the clipboard', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    await page.goto(fileUrl('index.html'));
    const target = papers[0] as Paper;
    await page.click(`a.title[href="papers/${target.id}.html"]`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(target.title);
    await page.click('button[data-copy="cite-bibtex"]');
    await expect.poll(() => page.locator('button[data-copy="cite-bibtex"]').textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await formatCitation(target, 'bibtex'));
    await context.close();
  });

  it('keeps a hostile title and abstract as text: no element and no script made of them', async () => {
    const hostile = papers.find((p) => p.owners.includes(HOSTILE_OWNER)) as Paper;
    for (const file of ['index.html', `papers/${hostile.id}.html`]) {
      const page = await browser.newPage();
      await page.goto(fileUrl(file));
      const found = await page.evaluate(() => ({
        injected: (window as unknown as { injected?: number }).injected ?? null,
        bold: document.getElementById('bold') !== null,
        images: document.images.length,
        scripts: Array.from(document.scripts, (script) => script.getAttribute('src')),
      }));
      expect(found).toEqual({ injected: null, bold: false, images: 0, scripts: file === 'index.html' ? ['search-index.js', 'site.js'] : ['../site.js'] });
      if (file !== 'index.html') expect(await page.locator('h1').textContent()).toBe(hostile.title);
      else expect(await page.locator(`a.title[href="papers/${hostile.id}.html"]`).textContent()).toBe(hostile.title);
      await page.close();
    }
  });

  it('has no serious or critical accessibility problem (axe-core), light and dark, and fits a phone', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      // The pages' policy allows no injected script; axe is injected for the check only.
      const context = await browser.newContext({ bypassCSP: true, colorScheme, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      for (const file of ['index.html', `papers/${(papers[0] as Paper).id}.html`]) {
        await page.goto(fileUrl(file));
        await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: unknown[] }> }> } }).axe;
          const result = await axe.run(document);
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        });
        expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `${colorScheme} ${file}`).toEqual([]);
      }
      await page.goto(fileUrl('index.html'));
      await searchFor(page, 'causal');
      await page.screenshot({ path: path.join(REPO_ROOT, `data/readme/site-${colorScheme}.png`) });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.fill('input[type=search]', '');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await context.close();
    }
  }, 60_000);
});

describe('the site served by npm run serve', () => {
  let discord: DiscordStandIn;
  let workspace: Workspace;
  let server: BotProcess;
  let base: string;

  beforeAll(async () => {
    discord = await DiscordStandIn.start();
    workspace = await makeWorkspace();
    const env = botEnvironment(discord, workspace, { SITE_URL: 'https://lab.example.org/pubs/', SITE_TITLE: 'Served lab' });
    server = BotProcess.start({ ...env, DISCORD_TOKEN: '', DISCORD_PUBLIC_KEY: publicKeyHex(generateKeyPairSync('ed25519').publicKey), PORT: '0', HOST: '127.0.0.1' }, 'serve');
    base = await listeningUrl(server);
  }, 60_000);

  afterAll(async () => {
    server?.kill();
    await discord?.close();
    await workspace?.remove();
  });

  it('serves the page at / beside /healthz, with its policy, and searches as /search does', async () => {
    const served = await loadCorpus(workspace.profilesDir);
    const servedIndex = PaperIndex.build(served);
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/papers/..%2f..%2fpackage.json`)).status).toBe(404);
    const context = await browser.newContext();
    const outside = await refuseOutsideRequests(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect((await visibleIds(page)).length).toBe(served.papers.length);
    for (const query of ['DINOSAUR', 'sclable mechanistc', 'causal']) {
      expect((await searchFor(page, query))[0], query).toBe(servedIndex.search(query).hits[0]?.paper.id);
    }
    const first = [...served.papers].sort(newestFirst)[0] as Paper;
    await page.goto(`${base}/papers/${first.id}.html`);
    await page.click('button[data-copy="cite-bibtex"]');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(await formatCitation(first, 'bibtex'));
    expect(outside).toEqual([]);
    await context.close();
    // The first page waits for the citation engines to compile in their thread: seconds alone, more beside other tests.
  }, 60_000);

  it('shows a paper dropped into DATA_DIR/profiles on the page and in both feeds within the settle time', async () => {
    const title = 'A Freshly Announced Paper on Served Publication Pages';
    const newest = paper(title, '2099-01-02', { authors: ['Nadia Newcomer', 'Ada Lovelace'], owners: ['Nadia Newcomer'] });
    // Served once before the page arrives: what follows must be made again from the new corpus.
    for (const file of ['/', '/feed.atom', '/feed.json']) expect(await (await fetch(`${base}${file}`)).text()).not.toContain(title);
    await writeFile(path.join(workspace.profilesDir, 'nadia-newcomer.txt'), printProfilePage({ owner: 'Nadia Newcomer', primaryCategory: 'LG', papersListed: 1 }, [newest]));
    const page = await browser.newPage();
    // ANNOUNCE_SETTLE_MS is 1 s in the tests; the rescan and the rebuild take their time on a busy machine.
    await expect
      .poll(
        async () => {
          await page.goto(`${base}/`);
          return page.locator('#papers li[data-i="0"] a.title').textContent();
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(title);
    expect(await page.locator('select[name=member] option').allTextContents()).toContain('Nadia Newcomer');
    const atom = await (await fetch(`${base}/feed.atom`)).text();
    expect(atom).toContain(`<title>${title}</title>`);
    expect(atom).toContain(`<id>https://lab.example.org/pubs/papers/${newest.id}.html</id>`);
    const json = (await (await fetch(`${base}/feed.json`)).json()) as { items: Array<{ title: string }> };
    expect(json.items[0]?.title).toBe(title);
    await page.close();
  }, 30_000);
});

describe('the site served by npm start on WEB_PORT', () => {
  it('serves the list page and the feeds beside the gateway bot', async () => {
    const discord = await DiscordStandIn.start();
    const workspace = await makeWorkspace();
    const bot = BotProcess.start(botEnvironment(discord, workspace, { WEB_PORT: '0', HOST: '127.0.0.1', SITE_TITLE: 'Gateway lab' }));
    try {
      const listening = await bot.waitForLog('"publication site listening"', (line) => line.msg === 'publication site listening', 30_000);
      const base = `http://127.0.0.1:${String(listening['port'])}`;
      const served = await loadCorpus(workspace.profilesDir);
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      expect(await page.locator('h1').textContent()).toBe('Gateway lab');
      expect((await visibleIds(page)).length).toBe(served.papers.length);
      await page.close();
      const feed = (await (await fetch(`${base}/feed.json`)).json()) as { title: string };
      expect(feed.title).toBe('Gateway lab');
    } finally {
      bot.kill();
      await discord.close();
      await workspace.remove();
    }
  }, 60_000);
});
