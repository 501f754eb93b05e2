/**
 * Leases: one holder per named role (the announcer) among every process sharing a state store, decided by one row
 * of the `leases` table. The holder renews its row every third of the lease's length (a heartbeat); the row is
 * taken over only once it has expired, that is once its holder stopped renewing. Taking, renewing and taking over
 * are each one atomic SQL statement, the same on SQLite and Postgres, so two processes racing can never both win.
 * A holder is a random id per process start, never a pid: pids repeat across containers (every container's bot
 * is pid 1), so nothing here compares pids.
 *
 * Time is each process's wall clock in ms. A holder counts itself the holder only until a margin before the expiry
 * it last wrote, so a stalled or clock-skewed holder stops acting before anyone else may take over.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database } from './schema.js';

/** The lease that makes one process the announcer of a state store. */
export const ANNOUNCER_LEASE = 'announcer';

/**
 * A lease's length unless told otherwise (ANNOUNCE_LEASE_MS): a holder that stopped renewing loses it after this
 * long. 20 s, so a standby replica (waiting with `wait: 'forever'`: until the expiry, and at most a third of the length
 * at a time) takes over within about 20 s of the holder's death.
 */
export const DEFAULT_LEASE_MS = 20_000;

/** The row of a lease, as stored. */
export interface LeaseRow {
  name: string;
  holder: string;
  acquiredAt: number;
  expiresAt: number;
}

/** Another process holds the lease and keeps renewing it. */
export class LeaseHeldError extends Error {
  override name = 'LeaseHeldError';
  /** The row as last read: who holds it and until when. */
  readonly lease: LeaseRow | null;

  constructor(message: string, lease: LeaseRow | null) {
    super(message);
    this.lease = lease;
  }
}

/** A new holder id: host and pid for people reading the table, a random part for uniqueness. */
export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID()}`;
}

/**
 * Takes the lease `name` for `holder` when it is free, expired, or already `holder`'s; true when `holder` now
 * holds it. One statement: an insert that, on a row already there, updates it only where it expired or is ours.
 */
export async function tryAcquireLease(db: Kysely<Database>, name: string, holder: string, lengthMs: number, now: number = Date.now()): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name, holder, acquired_at: now, expires_at: now + lengthMs })
    .onConflict((conflict) =>
      conflict
        .column('name')
        .doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          acquired_at: eb.case().when('leases.holder', '=', holder).then(eb.ref('leases.acquired_at')).else(eb.ref('excluded.acquired_at')).end(),
          expires_at: eb.ref('excluded.expires_at'),
        }))
        .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst();
  return row?.holder === holder;
}

/** Extends `holder`'s lease to `now + lengthMs`; false when the row is no longer `holder`'s (taken over or gone). */
export async function renewLease(db: Kysely<Database>, name: string, holder: string, lengthMs: number, now: number = Date.now()): Promise<boolean> {
  const result = await db.updateTable('leases').set({ expires_at: now + lengthMs }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the lease up at once, if `holder` still has it, so the next process need not wait for it to expire. */
export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}

/** The lease's row, or null when nobody has taken it. */
export async function readLease(db: Kysely<Database>, name: string): Promise<LeaseRow | null> {
  const row = await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? { name: row.name, holder: row.holder, acquiredAt: Number(row.acquired_at), expiresAt: Number(row.expires_at) } : null;
}

/** How `holdLease` takes the lease. */
export interface HoldLeaseOptions {
  name: string;
  /** The lease's length (default 20 s); it is renewed every third of it. */
  lengthMs?: number;
  /** Defaults to `newHolderId()`. */
  holder?: string;
  /**
   * When another process holds the lease: `lapse` (default) waits until its expiry and takes it if the holder has
   * stopped renewing, else throws `LeaseHeldError`; `forever` waits until it can take it (a standby), or until `signal`;
   * `never` throws `LeaseHeldError` at once (a caller that retries on its own schedule).
   */
  wait?: 'lapse' | 'forever' | 'never';
  signal?: AbortSignal;
  log: Logger;
  /** Called each time the wait starts on another holder (a standby says so). */
  onWaiting?: (lease: LeaseRow) => void;
  /** Called once if the lease is lost (taken over after this process stopped renewing in time). */
  onLost?: (lease: LeaseRow | null) => void;
  /** The wall clock in ms (tests). */
  now?: () => number;
}

/** A lease this process holds, kept alive by a heartbeat until released or lost. */
export interface HeldLease {
  readonly name: string;
  readonly holder: string;
  /** True while this process may act as the holder: renewed recently enough, and not lost or released. */
  held(): boolean;
  /** Stops the heartbeat and deletes the row if it is still ours. Never throws. */
  release(): Promise<void>;
}

/** Takes the lease `options.name` (waiting as `options.wait` says) and keeps it renewed. */
export async function holdLease(db: Kysely<Database>, options: HoldLeaseOptions): Promise<HeldLease> {
  const lengthMs = options.lengthMs ?? DEFAULT_LEASE_MS;
  const holder = options.holder ?? newHolderId();
  const now = options.now ?? Date.now;
  let waitedFor: string | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const attemptAt = now();
    let current: LeaseRow | null;
    try {
      if (await tryAcquireLease(db, options.name, holder, lengthMs, attemptAt)) {
        if (waitedFor !== null) options.log.info('lease: taken over from a holder that stopped renewing it', { lease: options.name, holder, previousHolder: waitedFor });
        return new Heartbeat(db, options.name, holder, lengthMs, attemptAt, options);
      }
      current = await readLease(db, options.name);
    } catch (error) {
      // A standby outlives a database outage: it tries again a third of a lease later.
      if (options.wait !== 'forever') throw error;
      options.log.warn('lease: the database did not answer; trying again', { lease: options.name, error: error instanceof Error ? error.message : String(error) });
      await sleep(Math.ceil(lengthMs / 3), undefined, { signal: options.signal });
      continue;
    }
    if (current === null) continue;
    const gaveUp = options.wait === 'never' || (options.wait !== 'forever' && waitedFor === current.holder);
    if (gaveUp && current.expiresAt > attemptAt) {
      throw new LeaseHeldError(heldMessage(options.name, current), current);
    }
    if (waitedFor !== current.holder) {
      options.onWaiting?.(current);
      options.log.info('lease: held by another process; waiting to see whether it still renews it', { lease: options.name, holder: current.holder, expiresInMs: Math.max(0, current.expiresAt - attemptAt) });
    }
    waitedFor = current.holder;
    const untilExpiry = Math.max(0, current.expiresAt - now()) + EXPIRY_SLACK_MS;
    await sleep(options.wait === 'forever' ? Math.min(untilExpiry, Math.ceil(lengthMs / 3)) : untilExpiry, undefined, { signal: options.signal });
  }
}

class Heartbeat implements HeldLease {
  readonly name: string;
  readonly holder: string;
  readonly #db: Kysely<Database>;
  readonly #lengthMs: number;
  readonly #options: HoldLeaseOptions;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  #validUntil: number;
  #ended = false;
  #failing = false;
  #renewing: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Database>, name: string, holder: string, lengthMs: number, takenAt: number, options: HoldLeaseOptions) {
    this.#db = db;
    this.name = name;
    this.holder = holder;
    this.#lengthMs = lengthMs;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#validUntil = this.#deadline(takenAt);
    this.#timer = setInterval(() => {
      this.#renewing = this.#renew();
    }, Math.max(1, Math.floor(lengthMs / 3)));
    this.#timer.unref();
  }

  held(): boolean {
    return !this.#ended && this.#now() < this.#validUntil;
  }

  async release(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    await this.#renewing;
    try {
      await releaseLease(this.#db, this.name, this.holder);
    } catch (error) {
      this.#options.log.warn('lease: could not release; it lapses on its own', { lease: this.name, error, lapsesInMs: Math.max(0, this.#validUntil - this.#now()) });
    }
  }

  async #renew(): Promise<void> {
    if (this.#ended) return;
    const sentAt = this.#now();
    let renewed: boolean;
    try {
      renewed = await renewLease(this.#db, this.name, this.holder, this.#lengthMs, sentAt);
    } catch (error) {
      // The store is unreachable: keep trying; `held()` turns false on its own once the margin is reached.
      if (!this.#failing) this.#options.log.warn('lease: renewing failed; retrying', { lease: this.name, error, heldForMs: Math.max(0, this.#validUntil - this.#now()) });
      this.#failing = true;
      return;
    }
    if (this.#ended) return;
    if (renewed) {
      if (this.#failing) this.#options.log.info('lease: renewing works again', { lease: this.name });
      this.#failing = false;
      this.#validUntil = this.#deadline(sentAt);
      return;
    }
    this.#ended = true;
    clearInterval(this.#timer);
    const current = await readLease(this.#db, this.name).catch(() => null);
    this.#options.log.error('lease: lost; another process took it over after this one stopped renewing in time', { lease: this.name, holder: this.holder, newHolder: current?.holder ?? null });
    this.#options.onLost?.(current);
  }

  // The holder stops counting itself the holder a margin before the expiry it wrote (a stall, clock skew).
  #deadline(writtenAt: number): number {
    return writtenAt + this.#lengthMs - Math.min(Math.floor(this.#lengthMs / 4), MAX_MARGIN_MS);
  }
}

function heldMessage(name: string, lease: LeaseRow): string {
  return (
    `lease: the ${name} lease of this state store is held by another paperbot process that keeps renewing it (${lease.holder}). ` +
    'Two bots announcing from one store would post papers twice: stop the other process, or give this one its own STATE_DIR or DATABASE_URL.'
  );
}

/** Waiting past an expiry by this much lets a last renewal in flight land first. */
const EXPIRY_SLACK_MS = 50;
/** The most a holder's belief stops short of its expiry. */
const MAX_MARGIN_MS = 5_000;
