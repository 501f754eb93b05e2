/**
 * OpenAlex (https://docs.openalex.org): an author's works by cursor, 200 a page, `mailto` from lab.yaml's contact.
 * Every page and work is checked with zod; a work of the wrong shape is a diagnostic that costs only itself.
 */
import { z } from 'zod';
import { firstIssue, nullWhenNotFound, PoliteClient, type ServiceOptions } from './http.js';

const NullableString = z.string().nullable().optional();

/** A Location object: where a copy of the work lives, and its source (journal, conference, repository). */
const LocationSchema = z.object({
  landing_page_url: NullableString,
  pdf_url: NullableString,
  source: z.object({ display_name: NullableString, type: NullableString, host_organization_name: NullableString }).nullable().optional(),
  version: NullableString,
});
export type Location = z.infer<typeof LocationSchema>;

/** An Authorship object: a dehydrated author and the institutions they gave on this work. */
const AuthorshipSchema = z.object({
  author: z.object({ display_name: NullableString }),
  institutions: z.array(z.object({ display_name: NullableString })).optional(),
  raw_author_name: NullableString,
});

/** The fields of a Work object the bot reads. */
export const WorkSchema = z.object({
  id: z.string().regex(/^https:\/\/openalex\.org\/W\d+$/),
  doi: NullableString,
  title: NullableString,
  display_name: NullableString,
  publication_year: z.number().int().nullable().optional(),
  publication_date: NullableString,
  type: NullableString,
  type_crossref: NullableString,
  primary_location: LocationSchema.nullable().optional(),
  locations: z.array(LocationSchema).optional(),
  authorships: z.array(AuthorshipSchema),
  biblio: z.object({ volume: NullableString, issue: NullableString, first_page: NullableString, last_page: NullableString }).nullable().optional(),
  cited_by_count: z.number().int().nonnegative().optional(),
  abstract_inverted_index: z.record(z.string(), z.array(z.number().int().nonnegative())).nullable().optional(),
  is_paratext: z.boolean().optional(),
});
export type Work = z.infer<typeof WorkSchema>;

/** A list response: `meta` with the cursor for the next page, and the results (each checked on its own). */
const ListSchema = z.object({
  meta: z.object({ count: z.number().int().nonnegative(), next_cursor: z.string().nullable().optional() }),
  results: z.array(z.unknown()),
});

/** An Author object's fields the bot reads: the author's figures for /stats. */
const AuthorSchema = z.object({
  id: z.string().regex(/^https:\/\/openalex\.org\/A\d+$/),
  display_name: z.string(),
  works_count: z.number().int().nonnegative().optional(),
  cited_by_count: z.number().int().nonnegative().optional(),
  summary_stats: z.object({ h_index: z.number().int().nonnegative().nullable().optional() }).nullable().optional(),
});
export type Author = z.infer<typeof AuthorSchema>;

/** OpenAlex's `/works` and `/authors`. */
export function openAlexClient(options: ServiceOptions) {
  const http = new PoliteClient({ service: 'OpenAlex', intervalMs: 250, mailto: true }, options);
  return {
    /** Every work of an author (`A…`) by cursor, and one line per work left out. Throws a `SourceError` when a page cannot be read. */
    async worksOf(authorId: string, select?: readonly string[]): Promise<{ works: Work[]; skipped: string[] }> {
      const works: Work[] = [];
      const skipped: string[] = [];
      let cursor: string | null = '*';
      for (let page = 0; cursor !== null && page < MAX_PAGES; page += 1) {
        const params: Record<string, string> = { filter: `authorships.author.id:${authorId}`, 'per-page': String(PER_PAGE), cursor };
        if (select) params.select = select.join(',');
        const list = await http.getJson(http.url('/works', params), ListSchema);
        for (const result of list.results) {
          const work = WorkSchema.safeParse(result);
          if (work.success) works.push(work.data);
          else {
            const id = (result as { id?: unknown } | null)?.id;
            skipped.push(`${typeof id === 'string' ? id : 'a work'}: wrong shape at ${firstIssue(work.error)}`);
          }
        }
        // The last page answers with no results (and, at OpenAlex, a null cursor).
        cursor = list.results.length > 0 ? (list.meta.next_cursor ?? null) : null;
      }
      return { works, skipped };
    },

    /** Authors whose names match `name`, best first (OpenAlex's own ranking). */
    async searchAuthors(name: string): Promise<Author[]> {
      const list = await http.getJson(http.url('/authors', { search: name, 'per-page': String(AUTHOR_CANDIDATES) }), ListSchema);
      return list.results.flatMap((result) => {
        const author = AuthorSchema.safeParse(result);
        return author.success ? [author.data] : [];
      });
    },

    /** One author by OpenAlex id (`A…`) or ORCID (`orcid:0000-…`); null where OpenAlex has none. */
    async author(id: string): Promise<Author | null> {
      return http.getJson(http.url(`/authors/${encodeURIComponent(id)}`), AuthorSchema).catch(nullWhenNotFound);
    },
  };
}

/** The short form of an OpenAlex id URL: `https://openalex.org/W123` → `W123`. */
export function shortId(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** The abstract rebuilt from `abstract_inverted_index` (word → positions); a position given twice keeps the first word. */
export function abstractFromInvertedIndex(index: Record<string, readonly number[]> | null | undefined): string {
  if (!index) return '';
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) {
    for (const position of positions) if (position < MAX_ABSTRACT_WORDS) words[position] ??= word;
  }
  // A sparse array: the positions no word fills are skipped.
  return words.filter((word) => word !== undefined).join(' ');
}

/** OpenAlex's largest page. */
const PER_PAGE = 200;
/** 200 × 250 = 50,000 works: more than any one person's, and a bound on a cursor that never ends. */
const MAX_PAGES = 250;
const AUTHOR_CANDIDATES = 10;
/** An abstract longer than this many words is not one (a bound on a hostile index's positions). */
const MAX_ABSTRACT_WORDS = 5_000;
