import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { arxivClient } from '../../src/sources/arxiv.js';
import { crossrefClient } from '../../src/sources/crossref.js';
import { SourceError, parseRetryAfter } from '../../src/sources/http.js';
import { openAlexClient, abstractFromInvertedIndex } from '../../src/sources/openalex.js';
import { invertedIndex, type WorkSpec } from './standins/fixtures.js';
import { ScholarlyStandIn } from './standins/server.js';

const CONTACT = 'admin@lab.example';
const standIn = new ScholarlyStandIn();

beforeAll(() => standIn.start());
afterAll(() => standIn.stop());
beforeEach(() => {
  standIn.requests.length = 0;
  standIn.authors.clear();
});

function openAlex(): ReturnType<typeof openAlexClient> {
  return openAlexClient({ baseUrl: `${standIn.origin}/openalex`, contact: CONTACT, log: silentLogger, intervalMs: 0, backoffMs: 20 });
}

function works(n: number): WorkSpec[] {
  return Array.from({ length: n }, (_, i) => ({ id: `W${1000 + i}`, title: `Work number ${i}`, authors: [{ name: 'Ada Quill', id: 'A5000000001' }], date: '2024-03-01' }));
}

describe('OpenAlex client', () => {
  it('reads every work of an author past 200 by cursor, 200 a page, with mailto and the contact in the User-Agent', async () => {
    standIn.authors.set('A5000000001', { id: 'A5000000001', name: 'Ada Quill', works: works(450) });
    const read = await openAlex().worksOf('A5000000001');
    expect(read.works.map((w) => w.id)).toEqual(works(450).map((w) => `https://openalex.org/${w.id}`));
    const pages = standIn.requests.filter((r) => r.path === '/works');
    // 200 + 200 + 50, then the empty page that ends the cursor.
    expect(pages.length).toBe(4);
    expect(pages.every((r) => r.query.get('per-page') === '200' && r.query.get('mailto') === CONTACT && r.query.get('filter') === 'authorships.author.id:A5000000001')).toBe(true);
    expect(pages[0]?.query.get('cursor')).toBe('*');
    expect(pages[1]?.query.get('cursor')).not.toBe('*');
    expect(pages[0]?.userAgent).toContain(`mailto:${CONTACT}`);
  });

  it('waits as Retry-After says on a 429, then reads the page', async () => {
    standIn.authors.set('A1', { id: 'A1', name: 'Ada Quill', works: works(3) });
    standIn.fail('openalex', { status: 429, retryAfter: '1' });
    const read = await openAlex().worksOf('A1');
    expect(read.works).toHaveLength(3);
    const [first, second] = standIn.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('tries again after a 503 and after an HTML error page of a 502, backing off, then reads the page', async () => {
    standIn.authors.set('A1', { id: 'A1', name: 'Ada Quill', works: works(2) });
    standIn.fail('openalex', { status: 503 }, { status: 500, html: true });
    const read = await openAlex().worksOf('A1');
    expect(read.works).toHaveLength(2);
    expect(standIn.requests.filter((r) => r.path === '/works')).toHaveLength(4);
  });

  it('takes an HTML page answered with 200 as a diagnostic of its own, not tried again and not a crash', async () => {
    standIn.authors.set('A1', { id: 'A1', name: 'Ada Quill', works: works(2) });
    standIn.fail('openalex', { html200: true });
    const error = await openAlex().worksOf('A1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('shape');
    expect((error as SourceError).message).toMatch(/^OpenAlex: answered an HTML page instead of JSON \(http:\/\/127\.0\.0\.1:\d+\/openalex\/works\?.*mailto=…/);
    expect(standIn.requests).toHaveLength(1);
  });

  it('reports malformed JSON and JSON of the wrong shape as shape errors', async () => {
    standIn.fail('openalex', { status: 200, body: '{"meta": {', contentType: 'application/json' }, { status: 200, body: '{"results": 3}', contentType: 'application/json' });
    const malformed = (await openAlex().worksOf('A1').catch((e: unknown) => e)) as SourceError;
    const wrong = (await openAlex().worksOf('A1').catch((e: unknown) => e)) as SourceError;
    expect([malformed.kind, wrong.kind]).toEqual(['shape', 'shape']);
    expect(malformed.message).toContain('malformed JSON');
    expect(wrong.message).toContain('wrong shape at meta');
  });

  it('gives up after its retries with the last failure, and on a Retry-After longer than it waits for', async () => {
    const client = openAlexClient({ baseUrl: `${standIn.origin}/openalex`, contact: CONTACT, log: silentLogger, intervalMs: 0, backoffMs: 1 });
    standIn.fail('openalex', { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    await expect(client.worksOf('A1')).rejects.toThrow(/^OpenAlex: answered 503, and again after every retry/);
    expect(standIn.requests).toHaveLength(5);
    standIn.fail('openalex', { status: 429, retryAfter: '3600' });
    await expect(client.worksOf('A1')).rejects.toMatchObject({ kind: 'rate-limited' });
  });

  it('answers an unknown author with null and finds authors by name', async () => {
    standIn.authors.set('A7', { id: 'A7', name: 'Ivo Marek', works: [], hIndex: 4 });
    expect(await openAlex().author('A404')).toBeNull();
    expect((await openAlex().author('A7'))?.summary_stats?.h_index).toBe(4);
    expect((await openAlex().searchAuthors('Ivo Marek')).map((a) => a.id)).toEqual(['https://openalex.org/A7']);
  });

  it('keeps the good works of a page and names the one of the wrong shape', async () => {
    const page = { meta: { count: 2, next_cursor: null }, results: [{ id: 'https://openalex.org/W1', title: 'Fine', authorships: [] }, { id: 'https://openalex.org/W2', authorships: 'none' }] };
    standIn.fail('openalex', { status: 200, body: JSON.stringify(page), contentType: 'application/json' });
    const read = await openAlex().worksOf('A1');
    expect(read.works.map((w) => w.id)).toEqual(['https://openalex.org/W1']);
    expect(read.skipped).toEqual([expect.stringMatching(/^https:\/\/openalex\.org\/W2: wrong shape at authorships/)]);
  });
});

describe('abstractFromInvertedIndex', () => {
  it('rebuilds the words in their order from the positions', () => {
    const text = 'Despite growing interest in Open Access , in the past in Open';
    expect(abstractFromInvertedIndex(invertedIndex(text))).toBe(text);
    expect(abstractFromInvertedIndex(null)).toBe('');
  });
});

describe('Retry-After', () => {
  it('reads seconds and an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('arXiv client', () => {
  it('asks in batched id_list queries, one at a time and spaced, and reads the primary category and categories', async () => {
    standIn.arxiv.clear();
    const ids = Array.from({ length: 150 }, (_, i) => `2401.${String(10000 + i)}`);
    for (const id of ids) standIn.arxiv.set(id, { id, title: `Paper ${id}`, authors: ['Ada Quill', 'Ivo Marek'], published: '2024-01-15', primaryCategory: 'cs.LG', categories: ['cs.LG', 'stat.ML'] });
    const client = arxivClient({ baseUrl: `${standIn.origin}/arxiv`, contact: CONTACT, log: silentLogger, intervalMs: 300 });
    const read = await client.entries(ids.map((id) => `${id}v2`));
    expect(read.entries.size).toBe(150);
    expect(read.entries.get('2401.10003')).toMatchObject({ title: 'Paper 2401.10003', authors: ['Ada Quill', 'Ivo Marek'], primaryCategory: 'cs.LG', categories: ['cs.LG', 'stat.ML'], published: '2024-01-15' });
    const queries = standIn.requests.filter((r) => r.service === 'arxiv');
    expect(queries.map((q) => q.query.get('id_list')?.split(',').length)).toEqual([100, 50]);
    expect(queries[1]!.at - queries[0]!.at).toBeGreaterThanOrEqual(300);
  });

  it('leaves out an error entry and refuses an HTML page', async () => {
    const client = arxivClient({ baseUrl: `${standIn.origin}/arxiv`, contact: CONTACT, log: silentLogger, intervalMs: 0 });
    standIn.fail('arxiv', { status: 200, body: (await import('./standins/fixtures.js')).arxivErrorFeed('1234.5'), contentType: 'application/atom+xml' });
    const read = await client.entries(['2401.10000']);
    expect(read.entries.size).toBe(0);
    expect(read.skipped).toEqual(['arXiv error: incorrect id format for 1234.5']);
    standIn.fail('arxiv', { html200: true });
    await expect(client.entries(['2401.10000'])).rejects.toMatchObject({ kind: 'shape' });
  });
});

describe('Crossref client', () => {
  it('reads a DOI’s work and answers null for an unknown DOI', async () => {
    standIn.crossref.set('10.1234/abc', { doi: '10.1234/ABC', title: 'A Study of Things', authors: [{ given: 'Ada', family: 'Quill' }], issued: [2023, 5], container: 'Journal of Examples', volume: '12' });
    const client = crossrefClient({ baseUrl: `${standIn.origin}/crossref`, contact: CONTACT, log: silentLogger, intervalMs: 0 });
    const work = await client.work('10.1234/abc');
    expect(work).toMatchObject({ DOI: '10.1234/ABC', title: ['A Study of Things'], 'container-title': ['Journal of Examples'], volume: '12', issued: { 'date-parts': [[2023, 5]] } });
    expect(await client.work('10.1234/nothing')).toBeNull();
    const last = standIn.requests.at(-1);
    expect(last?.userAgent).toContain(`mailto:${CONTACT}`);
  });
});
