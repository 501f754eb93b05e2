/**
 * JSON Feed version 1.1 (https://www.jsonfeed.org/version/1.1/) as a JSON Schema for ajv, written from the
 * specification's own words: `version`, `title` and `items` are required of a feed; `id` of an item, and
 * `content_html` or `content_text` (at least one); an author object has at least one of `name`, `url`, `avatar`;
 * URLs are URLs and dates RFC 3339.
 */
const author = {
  type: 'object',
  properties: { name: { type: 'string' }, url: { type: 'string', format: 'uri' }, avatar: { type: 'string', format: 'uri' } },
  anyOf: [{ required: ['name'] }, { required: ['url'] }, { required: ['avatar'] }],
} as const;

const item = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    url: { type: 'string', format: 'uri' },
    external_url: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    content_html: { type: 'string' },
    content_text: { type: 'string' },
    summary: { type: 'string' },
    image: { type: 'string', format: 'uri' },
    banner_image: { type: 'string', format: 'uri' },
    date_published: { type: 'string', format: 'date-time' },
    date_modified: { type: 'string', format: 'date-time' },
    authors: { type: 'array', items: author },
    tags: { type: 'array', items: { type: 'string' } },
    language: { type: 'string' },
  },
  anyOf: [{ required: ['content_html'] }, { required: ['content_text'] }],
} as const;

/** A JSON Feed 1.1 document. */
export const JSON_FEED_1_1_SCHEMA = {
  type: 'object',
  required: ['version', 'title', 'items'],
  properties: {
    version: { const: 'https://jsonfeed.org/version/1.1' },
    title: { type: 'string' },
    home_page_url: { type: 'string', format: 'uri' },
    feed_url: { type: 'string', format: 'uri' },
    description: { type: 'string' },
    user_comment: { type: 'string' },
    next_url: { type: 'string', format: 'uri' },
    icon: { type: 'string', format: 'uri' },
    favicon: { type: 'string', format: 'uri' },
    authors: { type: 'array', items: author },
    language: { type: 'string' },
    expired: { type: 'boolean' },
    items: { type: 'array', items: item },
  },
} as const;
