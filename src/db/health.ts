/** Whether the database answers, for readiness checks. */
import { sql } from 'kysely';
import type { DatabaseHandle } from './connect.js';

/** How long a readiness probe waits for the database. */
const PROBE_TIMEOUT_MS = 2_000;

/** True when `select 1` comes back within two seconds. */
export async function databaseAnswers(handle: DatabaseHandle): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([sql`select 1`.execute(handle.db).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
