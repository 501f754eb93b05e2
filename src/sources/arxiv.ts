/** arXiv's API (https://info.arxiv.org/help/api/user-manual.html): batched `id_list` queries; an error entry is a diagnostic. */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { ARXIV_ID } from '../corpus/schema.js';
import { firstIssue, isHtml, PoliteClient, SourceError, type ServiceOptions, type SourceResponse } from './http.js';

/** One arXiv entry, as the bot uses it. */
export type ArxivEntry = Exclude<ReturnType<typeof toEntry>, string>;

const TextSchema = z.union([z.string(), z.number()]).transform(String);
const AttributeTermSchema = z.object({ '@_term': z.string() });

const EntrySchema = z.object({
  id: TextSchema,
  title: TextSchema,
  summary: TextSchema.optional(),
  published: TextSchema.optional(),
  author: z.array(z.object({ name: TextSchema })).optional(),
  category: z.array(AttributeTermSchema).optional(),
  'arxiv:primary_category': AttributeTermSchema.optional(),
  'arxiv:doi': TextSchema.optional(),
});

const FeedSchema = z.object({
  feed: z.object({
    entry: z.array(z.unknown()).optional(),
  }),
});

/** arXiv's `/query`. */
export function arxivClient(options: ServiceOptions) {
  // arXiv's terms: no more than one request every three seconds.
  const http = new PoliteClient({ service: 'arXiv', intervalMs: 3_000, mailto: false }, options);
  return {
    /** The entries of these ids, in batches of `BATCH`. Throws a `SourceError` when a batch cannot be read. */
    async entries(ids: readonly string[]): Promise<{ entries: Map<string, ArxivEntry>; skipped: string[] }> {
      const entries = new Map<string, ArxivEntry>();
      const skipped: string[] = [];
      const wanted = [...new Set(ids.filter((id) => ARXIV_ID.test(id)).map(withoutVersion))];
      for (let at = 0; at < wanted.length; at += BATCH) {
        const batch = wanted.slice(at, at + BATCH);
        const url = http.url('/query', { id_list: batch.join(','), max_results: String(batch.length) });
        for (const raw of atomEntries(url, await http.get(url, 'application/atom+xml'))) {
          const parsed = EntrySchema.safeParse(raw);
          const entry = parsed.success ? toEntry(parsed.data) : `an entry of the wrong shape at ${firstIssue(parsed.error)}`;
          if (typeof entry === 'string') skipped.push(entry);
          else entries.set(entry.id, entry);
        }
      }
      return { entries, skipped };
    },
  };
}

const ATOM = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => name === 'entry' || name === 'author' || name === 'category' || name === 'link',
  processEntities: true,
});

// An Atom feed's raw entries; throws a `SourceError` (shape) for anything that is not an Atom feed.
function atomEntries(url: URL, response: SourceResponse): unknown[] {
  const shape = (detail: string, cause?: unknown): SourceError => new SourceError('arXiv', url.href, 'shape', detail, { cause });
  if (isHtml(response)) throw shape('answered an HTML page instead of an Atom feed');
  let xml: unknown;
  try {
    xml = ATOM.parse(response.text, true);
  } catch (error) {
    throw shape(`answered malformed XML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, error);
  }
  const feed = FeedSchema.safeParse(xml);
  if (!feed.success) throw shape('answered XML that is not an Atom feed', feed.error);
  return feed.data.feed.entry ?? [];
}

/** An arXiv id without its version: `2006.15055v2` → `2006.15055`. */
export function withoutVersion(id: string): string {
  return id.replace(/v\d+$/, '');
}

// An entry as the bot uses it, or why it is left out (an error entry, an id that is not arXiv's).
function toEntry(raw: z.infer<typeof EntrySchema>) {
  const idUrl = raw.id.trim();
  if (/\/api\/errors/.test(idUrl)) return `arXiv error: ${clean(raw.summary ?? raw.title)}`;
  const full = /arxiv\.org\/abs\/(.+)$/.exec(idUrl)?.[1] ?? '';
  if (!ARXIV_ID.test(full)) return `an entry with an id that is not arXiv's: ${idUrl.slice(0, 80)}`;
  const authors = (raw.author ?? []).map((author) => clean(author.name)).filter((name) => name.length > 0);
  const title = clean(raw.title);
  if (!title || authors.length === 0) return `arXiv ${full}: no title or no author`;
  const published = /^\d{4}-\d{2}-\d{2}/.exec(raw.published ?? '')?.[0];
  if (!published) return `arXiv ${full}: no publication date`;
  return {
    id: withoutVersion(full),
    title,
    summary: clean(raw.summary ?? ''),
    authors,
    // `YYYY-MM-DD` of the first version.
    published,
    primaryCategory: raw['arxiv:primary_category']?.['@_term'] ?? null,
    categories: (raw.category ?? []).map((category) => category['@_term']),
    doi: raw['arxiv:doi'] ? clean(raw['arxiv:doi']) : null,
  };
}

// Atom text as arXiv writes it: wrapped lines and runs of spaces.
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Ids per `id_list` query. */
const BATCH = 100;
