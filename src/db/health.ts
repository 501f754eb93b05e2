/** Whether the database answers, for readiness checks. */
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from './connect.js';

/** True when `select 1` comes back within two seconds. */
export async function databaseAnswers(handle: DatabaseHandle): Promise<boolean> {
  return Promise.race([sql`select 1`.execute(handle.db).then(() => true), delay(2_000, false, { ref: false })]);
}

/** Whether `error` says the database cannot be used right now (Postgres down, a connection cut, a full disk), not a bug in a query. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, message, errors } = cause as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR') || UNREACHABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
    // Node reports a refused connection to every address of a host as an AggregateError of them.
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnreachable(inner))) return true;
  }
  return false;
}

/** Network errors of a connection, and SQLite's codes for a file that cannot be written now. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_READONLY', 'ENOSPC']);
/** Postgres's SQLSTATE classes 08 (connection exception), 57P01–57P03 (shut down, crash, starting up) and 53 (out of resources). */
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123]|53...)$/;
/** node-postgres's own words for a connection lost or never made. */
const UNREACHABLE_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i;
