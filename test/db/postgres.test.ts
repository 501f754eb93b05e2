/**
 * The schema on a real Postgres server of this test's own (test/db/postgres.ts): the migrations apply, apply once
 * when two replicas start together, announcement claims hold as on SQLite, and the server is gone afterwards.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAnnouncements, markAnnounced } from '../../src/db/announcements.js';
import { openDatabase } from '../../src/db/connect.js';
import { databaseAnswers } from '../../src/db/connect.js';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { startPostgres, type PostgresServer } from './postgres.js';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

describe('Postgres', () => {
  it('takes every migration, once, when two replicas migrate at the same moment', async () => {
    const url = await server.createDatabase('migrations');
    const [a, b] = await Promise.all([openDatabase(url), openDatabase(url)]);
    try {
      expect(a.label).toMatch(/^postgres(ql)?:\/\//);
      const reports = await Promise.all([migrateToLatest(a.db, a.label), migrateToLatest(b.db, b.label)]);
      const names = Object.keys(MIGRATIONS).sort();
      expect(reports.flatMap((r) => r.applied).sort()).toEqual(names);
      expect(reports.map((r) => r.current)).toEqual([names.at(-1), names.at(-1)]);
      const tables = (await a.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toContain('leases');
      expect(await databaseAnswers(b)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('hands a posted paper out never again, and a conflicting claim leaves its nonce and posted time alone', async () => {
    const handle = await openDatabase(await server.createDatabase('claims'));
    try {
      await migrateToLatest(handle.db, handle.label);
      const claim = { guildId: 'g', channelId: 'c' };
      expect(await claimAnnouncements(handle.db, { ...claim, paperIds: ['a', 'b'], nonce: 'n1', now: 1_000 })).toEqual(['a', 'b']);
      await markAnnounced(handle.db, 'g', ['a'], [], 2_000);
      expect(await claimAnnouncements(handle.db, { ...claim, paperIds: ['a', 'b', 'c'], nonce: 'n2', now: 3_000 })).toEqual(['b', 'c']);
      const rows = await handle.db.selectFrom('announcements').select(['paper_id', 'nonce', 'posted_at']).orderBy('paper_id').execute();
      expect(rows.map((row) => ({ ...row, posted_at: row.posted_at === null ? null : Number(row.posted_at) }))).toEqual([
        { paper_id: 'a', nonce: 'n1', posted_at: 2_000 },
        { paper_id: 'b', nonce: 'n1', posted_at: null },
        { paper_id: 'c', nonce: 'n2', posted_at: null },
      ]);
    } finally {
      await handle.close();
    }
  });

  it('stops the server: its port refuses connections afterwards', async () => {
    const other = await startPostgres();
    const port = other.port;
    await other.stop();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  }, 60_000);
});
