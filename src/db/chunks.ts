/**
 * Writing many rows in statements of CHUNK_ROWS (SQLite and Postgres cap a statement's parameters), with a turn of the
 * event loop between them: better-sqlite3 is synchronous, and thousands of rows back to back would stall interactions.
 */
import { setImmediate } from 'node:timers/promises';

/** Rows per statement (at most 6 parameters a row: far below SQLite's 32,766 and Postgres's 65,535). */
const CHUNK_ROWS = 500;

/** `items` in slices of CHUNK_ROWS, letting the event loop run between slices. */
export async function* inChunks<T>(items: readonly T[]): AsyncGenerator<T[]> {
  for (let start = 0; start < items.length; start += CHUNK_ROWS) {
    if (start > 0) await setImmediate();
    yield items.slice(start, start + CHUNK_ROWS);
  }
}
