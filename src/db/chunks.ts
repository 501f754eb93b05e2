/** Many rows in statements of CHUNK_ROWS, yielding between them: better-sqlite3 is synchronous and would stall interactions. */
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
