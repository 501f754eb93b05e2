/**
 * One racer for the lease race test, run as its own process (node --import tsx): opens DATABASE_URL (argv[2]) and
 * for each stdin line `<lease name> <start at, ms since the epoch>` waits until that instant, tries to take the
 * lease once, and prints `{"name":…,"won":…}`.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/connect.js';
import { newHolderId, tryAcquireLease } from '../../src/db/lease.js';

const handle = await openDatabase(process.argv[2] ?? '');
const holder = newHolderId();
process.stdout.write(`${JSON.stringify({ ready: true, holder })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [name = '', startAt = '0'] = line.trim().split(' ');
  // Sleep most of the way, then spin, so both racers fire within the same millisecond.
  const wait = Number(startAt) - Date.now();
  if (wait > 5) await new Promise((resolve) => setTimeout(resolve, wait - 5));
  while (Date.now() < Number(startAt));
  const won = await tryAcquireLease(handle.db, name, holder, 60_000);
  process.stdout.write(`${JSON.stringify({ name, won })}\n`);
}
await handle.close();
