/**
 * Records in the shapes the services' own documentation shows: OpenAlex's Work and Author objects
 * (docs.openalex.org, api-entities/works/work-object, authorship-object, location-object), arXiv's Atom feed (the
 * API user manual, §3.3) and Crossref's `/works/{doi}` response (`status`, `message-type`, `message`).
 */

/** What a test says about one work; the rest is filled in as OpenAlex would. */
export interface WorkSpec {
  id: string;
  title: string;
  authors: Array<{ name: string; id?: string }>;
  date: string;
  doi?: string;
  arxivId?: string;
  venue?: { name: string; type: 'journal' | 'conference' | 'repository' };
  type?: string;
  typeCrossref?: string;
  abstract?: string;
  citedBy?: number;
  biblio?: { volume?: string; issue?: string; first_page?: string; last_page?: string };
}

/** An OpenAlex Work object. */
export function openAlexWork(spec: WorkSpec): Record<string, unknown> {
  const doi = spec.doi ?? (spec.arxivId ? `10.48550/arxiv.${spec.arxivId}` : undefined);
  const arxivLocation = spec.arxivId
    ? {
        is_oa: true,
        landing_page_url: `http://arxiv.org/abs/${spec.arxivId}`,
        pdf_url: `http://arxiv.org/pdf/${spec.arxivId}`,
        source: { id: 'https://openalex.org/S4306400194', display_name: 'arXiv (Cornell University)', issn_l: null, issn: null, host_organization: 'https://openalex.org/I205783295', type: 'repository' },
        license: null,
        version: 'submittedVersion',
      }
    : null;
  const venueLocation = spec.venue
    ? {
        is_oa: false,
        landing_page_url: doi ? `https://doi.org/${doi}` : null,
        pdf_url: null,
        source: { id: 'https://openalex.org/S1', display_name: spec.venue.name, issn_l: null, issn: null, host_organization: null, type: spec.venue.type },
        license: null,
        version: 'publishedVersion',
      }
    : null;
  const locations = [venueLocation, arxivLocation].filter((l) => l !== null);
  return {
    id: `https://openalex.org/${spec.id}`,
    doi: doi ? `https://doi.org/${doi}` : null,
    title: spec.title,
    display_name: spec.title,
    publication_year: Number(spec.date.slice(0, 4)),
    publication_date: spec.date,
    ids: { openalex: `https://openalex.org/${spec.id}`, ...(doi ? { doi: `https://doi.org/${doi}` } : {}) },
    language: 'en',
    primary_location: locations[0] ?? null,
    locations,
    locations_count: locations.length,
    type: spec.type ?? (spec.venue ? 'article' : 'preprint'),
    type_crossref: spec.typeCrossref ?? (spec.venue?.type === 'conference' ? 'proceedings-article' : spec.venue ? 'journal-article' : 'posted-content'),
    indexed_in: spec.arxivId ? ['arxiv', 'crossref'] : ['crossref'],
    open_access: { is_oa: Boolean(spec.arxivId), oa_status: spec.arxivId ? 'green' : 'closed', oa_url: null, any_repository_has_fulltext: Boolean(spec.arxivId) },
    authorships: spec.authors.map((author, index) => ({
      author_position: index === 0 ? 'first' : index === spec.authors.length - 1 ? 'last' : 'middle',
      author: { id: author.id ? `https://openalex.org/${author.id}` : `https://openalex.org/A9${String(index).padStart(9, '0')}`, display_name: author.name, orcid: null },
      institutions: [{ id: 'https://openalex.org/I1', display_name: 'Example University', ror: 'https://ror.org/00example', country_code: 'CH', type: 'education' }],
      countries: ['CH'],
      is_corresponding: index === 0,
      raw_author_name: author.name,
      raw_affiliation_strings: ['Example University'],
    })),
    biblio: { volume: null, issue: null, first_page: null, last_page: null, ...spec.biblio },
    is_retracted: false,
    is_paratext: false,
    cited_by_count: spec.citedBy ?? 0,
    abstract_inverted_index: spec.abstract ? invertedIndex(spec.abstract) : null,
    cited_by_api_url: `https://api.openalex.org/works?filter=cites:${spec.id}`,
    counts_by_year: [],
    updated_date: '2026-11-30T00:00:00.000000',
    created_date: '2024-01-01',
  };
}

/** An abstract as OpenAlex's inverted index: each word and the positions it is at. */
export function invertedIndex(text: string): Record<string, number[]> {
  const index: Record<string, number[]> = {};
  text.split(/\s+/).forEach((word, position) => {
    (index[word] ??= []).push(position);
  });
  return index;
}

/** An OpenAlex Author object. */
export function openAlexAuthor(id: string, name: string, figures: { works?: number; citations?: number; hIndex?: number; orcid?: string } = {}): Record<string, unknown> {
  return {
    id: `https://openalex.org/${id}`,
    orcid: figures.orcid ? `https://orcid.org/${figures.orcid}` : null,
    display_name: name,
    display_name_alternatives: [name],
    works_count: figures.works ?? 0,
    cited_by_count: figures.citations ?? 0,
    summary_stats: { '2yr_mean_citedness': 1.5, h_index: figures.hIndex ?? 0, i10_index: 0 },
    ids: { openalex: `https://openalex.org/${id}` },
    last_known_institutions: [],
    works_api_url: `https://api.openalex.org/works?filter=author.id:${id}`,
    updated_date: '2026-11-30T00:00:00.000000',
  };
}

/** What a test says about one arXiv entry. */
export interface ArxivSpec {
  id: string;
  version?: number;
  title: string;
  authors: string[];
  published: string;
  summary?: string;
  primaryCategory: string;
  categories?: string[];
  doi?: string;
  journalRef?: string;
}

/** An arXiv API response: an Atom feed with OpenSearch totals and arXiv's extension elements. */
export function arxivFeed(entries: readonly ArxivSpec[], idList: readonly string[] = entries.map((e) => e.id)): string {
  const body = entries
    .map((entry) => {
      const full = `${entry.id}v${entry.version ?? 1}`;
      const categories = entry.categories ?? [entry.primaryCategory];
      return `  <entry>
    <id>http://arxiv.org/abs/${full}</id>
    <updated>${entry.published}T12:00:00Z</updated>
    <published>${entry.published}T12:00:00Z</published>
    <title>${escapeXml(entry.title)}</title>
    <summary>  ${escapeXml(entry.summary ?? 'An abstract.')}
</summary>
${entry.authors.map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`).join('\n')}
${entry.doi ? `    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">${entry.doi}</arxiv:doi>\n    <link title="doi" href="http://dx.doi.org/${entry.doi}" rel="related"/>\n` : ''}${entry.journalRef ? `    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">${escapeXml(entry.journalRef)}</arxiv:journal_ref>\n` : ''}    <link href="http://arxiv.org/abs/${full}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/${full}" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${entry.primaryCategory}" scheme="http://arxiv.org/schemas/atom"/>
${categories.map((term) => `    <category term="${term}" scheme="http://arxiv.org/schemas/atom"/>`).join('\n')}
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list=${idList.join(',')}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: id_list=${idList.join(',')}</title>
  <id>http://arxiv.org/api/stand-in</id>
  <updated>2026-12-01T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries.length}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${idList.length}</opensearch:itemsPerPage>
${body}
</feed>
`;
}

/** arXiv's answer to a malformed id: a feed with one error entry (user manual §3.4). */
export function arxivErrorFeed(badId: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title xmlns="http://www.w3.org/2005/Atom">ArXiv Query: id_list=${badId}</title>
  <id xmlns="http://www.w3.org/2005/Atom">http://arxiv.org/api/stand-in</id>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <entry xmlns="http://www.w3.org/2005/Atom">
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_${badId}</id>
    <title>Error</title>
    <summary>incorrect id format for ${badId}</summary>
    <updated>2026-12-01T00:00:00-05:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_${badId}" rel="alternate" type="text/html"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
</feed>
`;
}

/** What a test says about one Crossref work. */
export interface CrossrefSpec {
  doi: string;
  title: string;
  authors: Array<{ given: string; family: string }>;
  issued: [number, number?, number?];
  type?: string;
  container?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  page?: string;
  abstract?: string;
}

/** Crossref's answer to `/works/{doi}`. */
export function crossrefResponse(spec: CrossrefSpec): Record<string, unknown> {
  return {
    status: 'ok',
    'message-type': 'work',
    'message-version': '1.0.0',
    message: {
      indexed: { 'date-parts': [[2026, 11, 30]], 'date-time': '2026-11-30T00:00:00Z', timestamp: 1_796_000_000_000 },
      'reference-count': 12,
      publisher: spec.publisher ?? 'Example Press',
      ...(spec.issue ? { issue: spec.issue } : {}),
      'content-domain': { domain: [], 'crossmark-restriction': false },
      'short-container-title': [],
      ...(spec.abstract ? { abstract: `<jats:p>${spec.abstract}</jats:p>` } : {}),
      DOI: spec.doi,
      type: spec.type ?? 'journal-article',
      created: { 'date-parts': [[spec.issued[0], 1, 1]], 'date-time': `${spec.issued[0]}-01-01T00:00:00Z`, timestamp: 0 },
      ...(spec.page ? { page: spec.page } : {}),
      source: 'Crossref',
      'is-referenced-by-count': 3,
      title: [spec.title],
      prefix: spec.doi.split('/')[0],
      ...(spec.volume ? { volume: spec.volume } : {}),
      author: spec.authors.map((author, index) => ({ given: author.given, family: author.family, sequence: index === 0 ? 'first' : 'additional', affiliation: [] })),
      member: '1',
      'container-title': spec.container ? [spec.container] : [],
      language: 'en',
      deposited: { 'date-parts': [[2026, 1, 1]], 'date-time': '2026-01-01T00:00:00Z', timestamp: 0 },
      score: 1,
      issued: { 'date-parts': [spec.issued.filter((part) => part !== undefined)] },
      'references-count': 12,
      URL: `https://doi.org/${spec.doi}`,
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
