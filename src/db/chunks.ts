/**
 * Writing many rows: in statements of CHUNK_ROWS rows (SQLite and Postgres cap a statement's parameters), with a
 * turn of the event loop between statements. better-sqlite3 runs each statement synchronously and an awaited
 * Kysely query resumes as a microtask, so a big drop's thousands of rows written back to back would keep every
 * interaction waiting past Discord's 3 seconds.
 */
import { setImmediate } from 'node:timers/promises';

/** Rows per statement (at most 6 parameters a row: far below SQLite's 32,766 and Postgres's 65,535). */
const CHUNK_ROWS = 500;

/** `items` in slices of CHUNK_ROWS, letting the event loop run before each slice after the first. */
export async function* inChunks<T>(items: readonly T[]): AsyncGenerator<T[]> {
  for (let start = 0; start < items.length; start += CHUNK_ROWS) {
    if (start > 0) await setImmediate();
    yield items.slice(start, start + CHUNK_ROWS);
  }
}
