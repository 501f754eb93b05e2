import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, parseDatabaseUrl, redactUrl } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const MIGRATIONS_DIR = path.join(REPO_ROOT, 'src/db/migrations');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'paperbot-db-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The migration files on disk, by name: what a fresh database must end up with.
async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.ts')).map((name) => name.replace(/\.ts$/, '')).sort();
}

function tablesOf(file: string): string[] {
  const database = new SQLite(file, { readonly: true });
  try {
    return (database.prepare("select name from sqlite_master where type = 'table' order by name").all() as Array<{ name: string }>).map((row) => row.name);
  } finally {
    database.close();
  }
}

describe('migrateToLatest', () => {
  it('applies every migration file to a fresh SQLite file, in name order, and nothing the second time', async () => {
    const file = path.join(dir, 'state', 'paperbot.db');
    const handle = await openDatabase(`sqlite:${file}`);
    try {
      const first = await migrateToLatest(handle.db);
      const expected = await migrationFiles();
      expect(first.applied).toEqual(expected);
      expect(first.current).toBe(expected[expected.length - 1]);
      expect(await migrateToLatest(handle.db)).toEqual({ applied: [], current: first.current });
    } finally {
      await handle.close();
    }
    expect(tablesOf(file)).toContain('leases');
  });

  it('refuses a database written by a newer paperbot, naming what it does not know', async () => {
    const file = path.join(dir, 'paperbot.db');
    const handle = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(handle.db);
      const raw = new SQLite(file);
      raw.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('2099-01-01-01-from-the-future', new Date().toISOString());
      raw.close();
      await expect(migrateToLatest(handle.db, handle.label)).rejects.toThrow(
        `database: sqlite:${file} has migrations this paperbot does not know (2099-01-01-01-from-the-future): it was written by a newer version. Upgrade paperbot, or point DATABASE_URL at another database.`,
      );
    } finally {
      await handle.close();
    }
  });
});

describe('openDatabase', () => {
  it('says so when the database path is a directory', async () => {
    const where = path.join(dir, 'paperbot.db');
    await mkdir(where);
    await expect(openDatabase(`sqlite:${where}`)).rejects.toThrow(
      `database: ${where} is a directory, not a database file: remove it or set DATABASE_URL to another file`,
    );
  });

  it('says so when the file is not a database', async () => {
    const file = path.join(dir, 'paperbot.db');
    await writeFile(file, 'this is a text file, not SQLite '.repeat(100));
    const error = await openDatabase(`sqlite:${file}`).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toBe(`database: cannot open ${file}: SQLITE_NOTADB: the file is not an SQLite database or is damaged`);
  });

  it('says which Postgres it could not reach, without the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    await expect(openDatabase('postgres://paperbot:hunter2@127.0.0.1:1/paperbot')).rejects.toThrow(
      'database: cannot reach postgres://paperbot:***@127.0.0.1:1/paperbot: ECONNREFUSED: check that Postgres runs there and DATABASE_URL is right',
    );
  });
});

describe('parseDatabaseUrl', () => {
  it('reads SQLite files and Postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:.state/paperbot.db')).toEqual({ kind: 'sqlite', file: '.state/paperbot.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/paperbot.db')).toEqual({ kind: 'sqlite', file: '/var/lib/paperbot.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgresql://u:p@h/db')).toEqual({ kind: 'postgres', connectionString: 'postgresql://u:p@h/db' });
  });

  it('refuses other engines and an empty file name', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow('database: DATABASE_URL must start with sqlite: or postgres://, got "mysql://h/db"');
    expect(() => parseDatabaseUrl('sqlite:')).toThrow('names no file');
  });

  it('hides passwords in what it prints', () => {
    expect(redactUrl('postgres://paperbot:s3cr%40t@db:5432/paperbot')).toBe('postgres://paperbot:***@db:5432/paperbot');
    expect(redactUrl('postgres://db/paperbot')).toBe('postgres://db/paperbot');
  });
});

describe('npm run migrate', () => {
  it('migrates the database of DATABASE_URL and says what it applied, then that it is up to date', async () => {
    const file = path.join(dir, 'cli.db');
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], {
        cwd: REPO_ROOT,
        env: { PATH: process.env['PATH'], DATABASE_URL: `sqlite:${file}` },
      });
    const names = await migrationFiles();
    const first = await run();
    expect(first.stdout).toBe(
      [`sqlite:${file}: applied ${names.length} migration${names.length === 1 ? '' : 's'} (now at ${names[names.length - 1]}):`, ...names.map((n) => `  ${n}`), ''].join('\n'),
    );
    expect((await run()).stdout).toBe(`sqlite:${file}: up to date (now at ${names[names.length - 1]})\n`);
  });
});
