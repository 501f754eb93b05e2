/**
 * The database's tables as Kysely types: one `Database` interface, one interface per table. The tables themselves
 * are made by the migrations in src/db/migrations/; a table added there is added here too.
 */

/** A lease: who holds a named role (e.g. the announcer) and until when. Held only while renewed. */
export interface LeasesTable {
  /** The role leased, e.g. `announcer`. */
  name: string;
  /** An id of the holding process, unique per process start (never a pid: pids repeat across containers). */
  holder: string;
  /** When the holder took it, in ms since the epoch. */
  acquired_at: number;
  /** When it lapses unless renewed, in ms since the epoch. */
  expires_at: number;
}

/** The state of a paged reply too long for its buttons' custom_ids (src/db/paging.ts). */
export interface PagingStateTable {
  /** Random, base64url; the custom_id carries it. */
  key: string;
  /** The state's fields as a JSON array of strings. */
  fields: string;
  /** When it was stored, in ms since the epoch. */
  created_at: number;
}

/** Every table paperbot keeps. */
export interface Database {
  leases: LeasesTable;
  paging_state: PagingStateTable;
}
