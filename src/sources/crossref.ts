/** Crossref's REST API (https://api.crossref.org): a DOI's `/works/{doi}` record, checked with zod; `mailto` for the polite pool. */
import { z } from 'zod';
import { nullWhenNotFound, PoliteClient, type ServiceOptions } from './http.js';

const DatePartsSchema = z.object({ 'date-parts': z.array(z.array(z.number().int().nullable())).min(1) });

/** The fields of a Crossref work the bot reads. */
export const CrossrefWorkSchema = z.object({
  DOI: z.string(),
  type: z.string(),
  title: z.array(z.string()).optional(),
  subtitle: z.array(z.string()).optional(),
  author: z.array(z.object({ given: z.string().optional(), family: z.string().optional(), name: z.string().optional() })).optional(),
  'container-title': z.array(z.string()).optional(),
  publisher: z.string().optional(),
  volume: z.string().optional(),
  issue: z.string().optional(),
  page: z.string().optional(),
  'article-number': z.string().optional(),
  abstract: z.string().optional(),
  issued: DatePartsSchema.optional(),
  published: DatePartsSchema.optional(),
});
export type CrossrefWork = z.infer<typeof CrossrefWorkSchema>;

const ResponseSchema = z.object({ status: z.literal('ok'), 'message-type': z.literal('work'), message: CrossrefWorkSchema });

/** Crossref's `/works/{doi}`. */
export function crossrefClient(options: ServiceOptions) {
  const http = new PoliteClient({ service: 'Crossref', intervalMs: 100, mailto: true }, options);
  return {
    /** The work of a DOI; null when Crossref has none (404). Throws a `SourceError` for anything else. */
    async work(doi: string): Promise<CrossrefWork | null> {
      // The DOI is one path segment whose slashes Crossref takes as they are; other characters are escaped.
      const url = http.url(`/works/${doi.split('/').map(encodeURIComponent).join('/')}`);
      return (await http.getJson(url, ResponseSchema).catch(nullWhenNotFound))?.message ?? null;
    },
  };
}
