/** Opening DATABASE_URL's database (an SQLite file, the default, or Postgres for shared state) and telling whether it answers. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

/** An open database. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The URL with any password hidden: safe to log. */
  label: string;
  close(): Promise<void>;
}

/** A database that cannot be opened or used; the message names the database and what to do. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** Reads a DATABASE_URL: `sqlite:<path>` (relative to the working directory; `sqlite::memory:`) or `postgres(ql)://…`, else a DatabaseError. */
export function parseDatabaseUrl(url: string): { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string } {
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') throw new DatabaseError('database: DATABASE_URL "sqlite:" names no file: write sqlite:<path>, e.g. sqlite:.state/paperbot.db');
    return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', connectionString: value };
  throw new DatabaseError(`database: DATABASE_URL must start with sqlite: or postgres://, got "${redactUrl(value).slice(0, 40)}"`);
}

/** A URL with its password replaced by `***`, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Opens the database at `url` and checks that it answers. Throws a `DatabaseError` saying what is wrong and what to do. */
export async function openDatabase(url: string): Promise<DatabaseHandle> {
  const target = parseDatabaseUrl(url);
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.connectionString);
}

function openSqlite(file: string): DatabaseHandle {
  const label = `sqlite:${file}`;
  const memory = file === ':memory:';
  if (!memory) {
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new DatabaseError(`database: ${path.resolve(file)} is a directory, not a database file: remove it or set DATABASE_URL to another file`);
    }
    try {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    } catch (error) {
      throw new DatabaseError(`database: cannot create the folder of ${path.resolve(file)}: ${errorCode(error)}: create it, or set STATE_DIR or DATABASE_URL to a writable place`, { cause: error });
    }
  }
  let database: SQLite.Database;
  try {
    database = new SQLite(file);
    // WAL lets readers run beside the one writer; FULL sync makes a committed "announced" survive a power cut.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    throw new DatabaseError(`database: cannot open ${memory ? file : path.resolve(file)}: ${sqliteProblem(error)}`, { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, label, close: () => db.destroy() };
}

async function openPostgres(connectionString: string): Promise<DatabaseHandle> {
  const label = redactUrl(connectionString);
  const pool = new pg.Pool({
    connectionString,
    max: POOL_SIZE,
    // Our bigint columns hold ms timestamps and counts, all far below 2^53: read them as numbers, not strings.
    types: { getTypeParser: (oid: number, format?: string) => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig,
  });
  // A client's network error must not end the process (the next query reports it); a checked-out client emits on itself.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new DatabaseError(`database: cannot reach ${label}: ${errorCode(error)}: check that Postgres runs there and DATABASE_URL is right`, { cause: error });
  }
  return { db, label, close: () => db.destroy() };
}

// What went wrong opening an SQLite file, in words an admin can act on.
function sqliteProblem(error: unknown): string {
  const code = errorCode(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return `${code}: the file is not an SQLite database or is damaged`;
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') return `${code}: the file or its folder cannot be written: check permissions and free space`;
  return code;
}

/** The error's code (`ENOENT`, `SQLITE_FULL`, `ECONNREFUSED`), else its message. */
export function errorCode(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  return typeof message === 'string' ? message : String(error);
}

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

const POOL_SIZE = 10;
const INT8_OID = 20;
/** Network errors of a connection, and SQLite's codes for a file that cannot be written now. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'SQLITE_FULL', 'SQLITE_BUSY', 'SQLITE_READONLY', 'ENOSPC']);
/** Postgres's SQLSTATE classes 08 (connection exception), 57P01–57P03 (shut down, crash, starting up) and 53 (out of resources). */
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123]|53...)$/;
/** node-postgres's own words for a connection lost or never made. */
const UNREACHABLE_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i;
