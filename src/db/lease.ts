/** Leases: one holder per named role (the announcer) among processes sharing a state store; each step is one atomic statement. */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from '../log.js';
import type { Database, LeasesTable } from './schema.js';

/** The lease that makes one process the announcer of a state store. */
export const ANNOUNCER_LEASE = 'announcer';

/** A lease's length unless ANNOUNCE_LEASE_MS says otherwise: a standby takes over within about this long of the holder's death. */
export const DEFAULT_LEASE_MS = 20_000;

/** Another process holds the lease and keeps renewing it. */
export class LeaseHeldError extends Error {
  override name = 'LeaseHeldError';
}

/** A new holder id: host and pid for people reading the table, and a random part, as pids repeat across containers. */
export function newHolderId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID()}`;
}

/** Takes the lease `name` for `holder` if it is free, expired, or already `holder`'s; true when `holder` now holds it. */
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
export async function readLease(db: Kysely<Database>, name: string): Promise<LeasesTable | null> {
  return (await db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
}

/** How `holdLease` takes the lease. */
export interface HoldLeaseOptions {
  name: string;
  lengthMs: number;
  /** When another holds it: `lapse` (default) waits for its expiry, then takes it or throws LeaseHeldError; `forever` waits on. */
  wait?: 'lapse' | 'forever';
  signal?: AbortSignal;
  log: Logger;
  onWaiting?: () => void;
}

/** A lease this process holds, kept alive by a heartbeat until released or lost. */
export interface HeldLease {
  readonly holder: string;
  /** True while this process may act as the holder: renewed recently enough, and not lost or released. */
  held(): boolean;
  /** Stops the heartbeat and deletes the row if it is still ours. Never throws. */
  release(): Promise<void>;
}

/** Takes the lease `options.name` (waiting as `options.wait` says) and keeps it renewed. */
export async function holdLease(db: Kysely<Database>, options: HoldLeaseOptions): Promise<HeldLease> {
  const { name, log, lengthMs } = options;
  const holder = newHolderId();
  // The holder stops counting itself the holder a margin before the expiry it wrote (a stall, clock skew).
  const deadline = (writtenAt: number): number => writtenAt + lengthMs - Math.min(Math.floor(lengthMs / 4), MAX_MARGIN_MS);
  let validUntil = deadline(await takeLease(db, holder, lengthMs, options));
  let ended = false;
  let failing = false;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    if (ended) return;
    const sentAt = Date.now();
    let renewed: boolean;
    try {
      renewed = await renewLease(db, name, holder, lengthMs, sentAt);
    } catch (error) {
      // The store is unreachable: keep trying; `held()` turns false on its own once the margin is reached.
      if (!failing) log.warn('lease: renewing failed; retrying', { lease: name, error, heldForMs: Math.max(0, validUntil - Date.now()) });
      failing = true;
      return;
    }
    if (ended) return;
    if (renewed) {
      if (failing) log.info('lease: renewing works again', { lease: name });
      failing = false;
      validUntil = deadline(sentAt);
      return;
    }
    ended = true;
    clearInterval(timer);
    const current = await readLease(db, name).catch(() => null);
    log.error('lease: lost; another process took it over after this one stopped renewing in time', { lease: name, holder, newHolder: current?.holder ?? null });
  };
  const timer = setInterval(() => {
    renewing = renew();
  }, Math.max(1, Math.floor(lengthMs / 3)));
  timer.unref();
  return {
    holder,
    held: () => !ended && Date.now() < validUntil,
    async release() {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      await renewing;
      try {
        await releaseLease(db, name, holder);
      } catch (error) {
        log.warn('lease: could not release; it lapses on its own', { lease: name, error, lapsesInMs: Math.max(0, validUntil - Date.now()) });
      }
    },
  };
}

// Waits as `options.wait` says until `holder` takes the lease; returns when it was taken.
async function takeLease(db: Kysely<Database>, holder: string, lengthMs: number, options: HoldLeaseOptions): Promise<number> {
  const { name, log, signal } = options;
  const forever = options.wait === 'forever';
  let waitedFor: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const attemptAt = Date.now();
    let current: LeasesTable | null;
    try {
      if (await tryAcquireLease(db, name, holder, lengthMs, attemptAt)) {
        if (waitedFor !== null) log.info('lease: taken over from a holder that stopped renewing it', { lease: name, holder, previousHolder: waitedFor });
        return attemptAt;
      }
      current = await readLease(db, name);
    } catch (error) {
      // A standby outlives a database outage: it tries again a third of a lease later.
      if (!forever) throw error;
      log.warn('lease: the database did not answer; trying again', { lease: name, error: error instanceof Error ? error.message : String(error) });
      await sleep(Math.ceil(lengthMs / 3), undefined, { signal });
      continue;
    }
    if (current === null) continue;
    if (!forever && waitedFor === current.holder && current.expires_at > attemptAt) {
      throw new LeaseHeldError(
        `lease: the ${name} lease of this state store is held by another paperbot process that keeps renewing it (${current.holder}). ` +
          'Two bots announcing from one store would post papers twice: stop the other process, or give this one its own STATE_DIR or DATABASE_URL.',
      );
    }
    if (waitedFor !== current.holder) {
      options.onWaiting?.();
      log.info('lease: held by another process; waiting to see whether it still renews it', { lease: name, holder: current.holder, expiresInMs: Math.max(0, current.expires_at - attemptAt) });
    }
    waitedFor = current.holder;
    const untilExpiry = Math.max(0, current.expires_at - Date.now()) + EXPIRY_SLACK_MS;
    await sleep(forever ? Math.min(untilExpiry, Math.ceil(lengthMs / 3)) : untilExpiry, undefined, { signal });
  }
}

/** Waiting past an expiry by this much lets a last renewal in flight land first. */
const EXPIRY_SLACK_MS = 50;
/** The most a holder's belief stops short of its expiry. */
const MAX_MARGIN_MS = 5_000;
