/**
 * Local stand-ins for OpenAlex, arXiv and Crossref on 127.0.0.1, one server with a prefix each (`/openalex`,
 * `/arxiv`, `/crossref`). They answer in the documented shapes (./fixtures.ts), page OpenAlex's works by cursor as
 * OpenAlex does, and can be told to fail the next requests of a service: a 429 with Retry-After, a 503, an HTML
 * error page. Every request is recorded (time, path, query, User-Agent) for the tests' checks of politeness.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arxivErrorFeed, arxivFeed, crossrefResponse, openAlexAuthor, openAlexWork, type ArxivSpec, type CrossrefSpec, type WorkSpec } from './fixtures.js';

/** One request as the stand-in saw it. */
export interface SeenRequest {
  service: 'openalex' | 'arxiv' | 'crossref';
  path: string;
  query: URLSearchParams;
  userAgent: string;
  at: number;
}

/** A scripted failure, answered instead of the real response. */
export type Fault = { status: 429 | 503; retryAfter?: string } | { status: 503 | 500; html: true } | { html200: true } | { status: 200; body: string; contentType: string };

/** An OpenAlex author the stand-in knows. */
export interface StandInAuthor {
  id: string;
  name: string;
  orcid?: string;
  hIndex?: number;
  citations?: number;
  works: WorkSpec[];
}

/** The stand-ins' data and controls. */
export class ScholarlyStandIn {
  readonly authors = new Map<string, StandInAuthor>();
  readonly arxiv = new Map<string, ArxivSpec>();
  readonly crossref = new Map<string, CrossrefSpec>();
  readonly requests: SeenRequest[] = [];
  readonly #faults = new Map<SeenRequest['service'], Fault[]>();
  #server: Server | null = null;
  #origin = '';

  /** `http://127.0.0.1:port`. */
  get origin(): string {
    return this.#origin;
  }

  /** The environment the bot needs to use these stand-ins. */
  env(): Record<string, string> {
    return { OPENALEX_API_URL: `${this.#origin}/openalex`, ARXIV_API_URL: `${this.#origin}/arxiv`, CROSSREF_API_URL: `${this.#origin}/crossref` };
  }

  /** The next requests to `service` are answered with these, in order, before any real answer. */
  fail(service: SeenRequest['service'], ...faults: Fault[]): void {
    this.#faults.set(service, [...(this.#faults.get(service) ?? []), ...faults]);
  }

  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => this.#handle(request, response));
    server.listen(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.#server = server;
    this.#origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const [, service = '', ...rest] = url.pathname.split('/');
    if (service !== 'openalex' && service !== 'arxiv' && service !== 'crossref') return send(response, 404, 'text/plain', 'no such stand-in');
    const path = `/${rest.join('/')}`;
    this.requests.push({ service, path, query: url.searchParams, userAgent: String(request.headers['user-agent'] ?? ''), at: Date.now() });
    const fault = this.#faults.get(service)?.shift();
    if (fault) return answerFault(response, fault);
    if (service === 'openalex') return this.#openalex(path, url.searchParams, response);
    if (service === 'arxiv') return this.#arxiv(path, url.searchParams, response);
    return this.#crossref(path, response);
  }

  #openalex(path: string, query: URLSearchParams, response: ServerResponse): void {
    if (path === '/works') {
      const filter = /^(?:authorships\.)?author\.id:(A\d+)$/.exec(query.get('filter') ?? '');
      if (!filter) return sendJson(response, 400, { error: 'Invalid query parameters error.', message: 'stand-in: only filter=authorships.author.id:A… is served' });
      const works = this.authors.get(filter[1] ?? '')?.works ?? [];
      const perPage = Math.min(Number(query.get('per-page') ?? 25), 200);
      const cursor = query.get('cursor');
      if (cursor === null) return sendJson(response, 400, { error: 'stand-in: use cursor paging' });
      const offset = cursor === '*' ? 0 : Number(Buffer.from(cursor, 'base64').toString('utf8'));
      const page = works.slice(offset, offset + perPage);
      const next = page.length > 0 ? Buffer.from(String(offset + page.length)).toString('base64') : null;
      return sendJson(response, 200, {
        meta: { count: works.length, db_response_time_ms: 12, page: null, per_page: perPage, next_cursor: next, groups_count: null },
        results: page.map(openAlexWork),
        group_by: [],
      });
    }
    if (path === '/authors') {
      const search = (query.get('search') ?? '').toLowerCase();
      const found = [...this.authors.values()].filter((author) => author.name.toLowerCase() === search);
      return sendJson(response, 200, { meta: { count: found.length, db_response_time_ms: 5, page: 1, per_page: 25 }, results: found.map((a) => this.#authorObject(a)), group_by: [] });
    }
    const single = /^\/authors\/(?:(A\d+)|orcid:(.+))$/.exec(decodeURIComponent(path));
    if (single) {
      const author = single[1] ? this.authors.get(single[1]) : [...this.authors.values()].find((a) => a.orcid === single[2]);
      return author ? sendJson(response, 200, this.#authorObject(author)) : sendJson(response, 404, { error: 'Not Found', message: 'stand-in: no such author' });
    }
    return sendJson(response, 404, { error: 'Not Found' });
  }

  #authorObject(author: StandInAuthor): Record<string, unknown> {
    return openAlexAuthor(author.id, author.name, { works: author.works.length, citations: author.citations ?? 0, hIndex: author.hIndex ?? 0, ...(author.orcid ? { orcid: author.orcid } : {}) });
  }

  #arxiv(path: string, query: URLSearchParams, response: ServerResponse): void {
    if (path !== '/query') return send(response, 404, 'text/plain', 'not found');
    const ids = (query.get('id_list') ?? '').split(',').filter(Boolean);
    const bad = ids.find((id) => !/^(\d{4}\.\d{4,5}|[a-z-]+\/\d{7})(v\d+)?$/.test(id));
    if (bad) return send(response, 400, 'application/atom+xml', arxivErrorFeed(bad));
    const found = ids.map((id) => this.arxiv.get(id.replace(/v\d+$/, ''))).filter((entry) => entry !== undefined);
    return send(response, 200, 'application/atom+xml; charset=utf-8', arxivFeed(found, ids));
  }

  #crossref(path: string, response: ServerResponse): void {
    const match = /^\/works\/(.+)$/.exec(path);
    const doi = match ? decodeURIComponent(match[1] ?? '').toLowerCase() : '';
    const spec = [...this.crossref.values()].find((work) => work.doi.toLowerCase() === doi);
    // Crossref answers an unknown DOI with a plain-text 404.
    if (!spec) return send(response, 404, 'text/plain', 'Resource not found.');
    return sendJson(response, 200, crossrefResponse(spec));
  }
}

function answerFault(response: ServerResponse, fault: Fault): void {
  if ('html200' in fault) return send(response, 200, 'text/html; charset=utf-8', HTML_PAGE);
  if ('body' in fault) return send(response, fault.status, fault.contentType, fault.body);
  if ('html' in fault) return send(response, fault.status, 'text/html; charset=utf-8', HTML_PAGE);
  if (fault.retryAfter !== undefined) response.setHeader('retry-after', fault.retryAfter);
  return sendJson(response, fault.status, { error: fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable' });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json', JSON.stringify(body));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const HTML_PAGE = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy could not reach the service.</p></body></html>\n';
