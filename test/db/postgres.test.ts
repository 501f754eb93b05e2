/**
 * The schema on a real Postgres server of this test's own (test/db/postgres.ts): the migrations apply, apply once
 * when two replicas start together, and the server is gone afterwards.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { databaseAnswers } from '../../src/db/health.js';
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
      expect(a.kind).toBe('postgres');
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
