/** The database's tables as Kysely types, as the migrations in src/db/migrations/ make them. Times are ms since the epoch. */

/** A lease: who holds a named role (e.g. the announcer) and until when (src/db/lease.ts). */
export interface LeasesTable {
  name: string;
  holder: string;
  acquired_at: number;
  expires_at: number;
}

/** The state of a paged reply too long for its buttons' custom_ids (src/db/paging.ts). */
export interface PagingStateTable {
  /** Random, base64url; the custom_id carries it. */
  key: string;
  /** A JSON array of strings. */
  fields: string;
  created_at: number;
}

/** One member's work as last read from the sources (src/db/works.ts). */
export interface SourceWorksTable {
  member: string;
  /** The OpenAlex work, `W…`. */
  work_id: string;
  /** The paper made of it (with arXiv's categories), as JSON. */
  paper: string;
  fetched_at: number;
}

/** When a source was last read for a member, and how it went. */
export interface SourceReadsTable {
  /** `openalex` or `arxiv`. */
  source: string;
  member: string;
  last_ok_at: number | null;
  last_attempt_at: number;
  last_error: string | null;
  /** The OpenAlex author read for the member (`A…`). */
  author_id: string | null;
  /** src/db/works.ts's `AuthorRecord` as JSON. */
  author: string | null;
}

/** A server's settings; a row exists once the bot has met the server. */
export interface GuildSettingsTable {
  guild_id: string;
  announce_channel_id: string | null;
  /** `off`, `daily` or `weekly`. */
  digest_schedule: string;
  /** 0 = Sunday … 6 = Saturday, for a weekly digest. */
  digest_weekday: number | null;
  /** The UTC hour (0–23) the digest is posted at. */
  digest_hour: number | null;
  /** When the digest was switched on: its first period lists papers found from then on. */
  digest_since: number | null;
  created_at: number;
  updated_at: number;
}

/** A baseline taken: the papers present then count as seen in that scope (a guild id, or `follows`). */
export interface BaselinesTable {
  scope: string;
  papers: number;
  taken_at: number;
}

/** The keys of papers seen in a scope (src/announce/seen.ts): kind `id`, `title`, `abstract` or `signature`. */
export interface SeenKeysTable {
  scope: string;
  kind: string;
  value: string;
  created_at: number;
}

/** A paper claimed for announcement in a server before it is posted; `posted_at` once Discord took it. */
export interface AnnouncementsTable {
  guild_id: string;
  paper_id: string;
  channel_id: string;
  /** The message's nonce, so a repeat of an unconfirmed post is the same message to Discord. */
  nonce: string;
  claimed_at: number;
  posted_at: number | null;
}

/** A paper found new (not in the first baseline), and when: what follows and digests are about. */
export interface NewPapersTable {
  paper_id: string;
  title: string;
  found_at: number;
}

/** One member's follow: an author (person key), a topic (a query, with optional filters) or a category. */
export interface FollowsTable {
  id: string;
  user_id: string;
  /** The server it was made in: where the member is checked for still being there. */
  guild_id: string;
  /** `author`, `topic` or `category`. */
  kind: string;
  /** The person key, the query, or the category code. */
  value: string;
  /** A topic's category filter (code); null: any. */
  category: string | null;
  /** A topic's has_code filter: 1, 0, or null for either. */
  has_code: number | null;
  label: string;
  /** kind, value and filters in one string: a member cannot follow the same thing twice. */
  rule_key: string;
  created_at: number;
  last_paper_id: string | null;
  last_delivered_at: number | null;
}

/** One direct message (or attempt) to a member about one paper. */
export interface DeliveriesTable {
  user_id: string;
  paper_id: string;
  /** `pending` (claimed, not confirmed), `sent`, `failed` (DMs closed) or `skipped` (left every shared server). */
  status: string;
  /** The ids of the follows that matched, comma-separated. */
  follow_ids: string;
  nonce: string;
  error: string | null;
  created_at: number;
  updated_at: number;
}

/** A server's digest for one period, claimed before it is posted. */
export interface DigestsTable {
  guild_id: string;
  /** `daily:YYYY-MM-DD` or `weekly:YYYY-MM-DD` (the due date, UTC). */
  period: string;
  /** `claimed`, `posted` or `empty` (no new papers: nothing posted). */
  status: string;
  channel_id: string;
  /** The papers found in [since, until) are listed. */
  since: number;
  until: number;
  papers: number;
  nonce: string;
  claimed_at: number;
  posted_at: number | null;
}

/** Every table paperbot keeps. */
export interface Database {
  leases: LeasesTable;
  guild_settings: GuildSettingsTable;
  baselines: BaselinesTable;
  seen_keys: SeenKeysTable;
  announcements: AnnouncementsTable;
  new_papers: NewPapersTable;
  follows: FollowsTable;
  deliveries: DeliveriesTable;
  digests: DigestsTable;
  paging_state: PagingStateTable;
  source_works: SourceWorksTable;
  source_reads: SourceReadsTable;
}
