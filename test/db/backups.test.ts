/** The last good generation of the SQLite state file, and how a damaged or unusable state path is reported. */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer } from '../../src/announce/announcer.js';
import { openDatabase } from '../../src/db/connect.js';
import { backupSqliteFile, recoverSqliteFile, stateProblem } from '../../src/db/backups.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { arrayLogger, corpusOf, manualScheduler, paper, recordingPost } from '../announce/helpers.js';
import { tempDatabase, type TempDatabase } from './helpers.js';

const GUILD = '810000000000000001';
const CHANNEL = '810000000000000002';
const old = paper('Causal Representation Learning', '2021-02-01');
const whileGood = paper('Object-Centric Slots', '2022-05-10');
const whileDown = paper('Scalable Mechanistic Networks', '2025-04-01');

let database: TempDatabase;

beforeEach(async () => {
  database = await tempDatabase('backups');
});

afterEach(async () => {
  await database.remove();
});

async function announceOnce(papers: ReturnType<typeof paper>[], recorder: ReturnType<typeof recordingPost>): Promise<void> {
  const announcer = await createAnnouncer({ db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, post: recorder.post, log: arrayLogger().log, schedule: manualScheduler().schedule });
  announcer.update(corpusOf(papers));
  await announcer.idle();
  await announcer.stop();
}

describe('the last good generation', () => {
  it('sets a damaged file aside, restores the last good generation, and so announces the papers added since', async () => {
    const recorder = recordingPost();
    await announceOnce([old], recorder);
    await announceOnce([old, whileGood], recorder);
    expect(recorder.titles()).toEqual([whileGood.title]);
    await backupSqliteFile(database.file);
    await database.handle.close();

    await writeFile(database.file, 'this is not an SQLite database any more, it was overwritten by a bad disk');
    const { log, lines } = arrayLogger();
    const recovery = recoverSqliteFile(database.file, log);
    expect(recovery).toBe('restored');
    expect(lines[0]?.msg).toMatchInlineSnapshot(`"database: the state file is unreadable; it was set aside and the last good generation restored. Papers added since that generation are announced as new"`);
    expect(lines[0]?.restoredFrom).toBe(`${database.file}.bak`);
    expect((await readdir(database.dir)).some((name) => name.startsWith('paperbot.db.corrupt-'))).toBe(true);

    database.handle = await openDatabase(`sqlite:${database.file}`);
    await migrateToLatest(database.handle.db);
    await announceOnce([old, whileGood, whileDown], recorder);
    expect(recorder.titles()).toEqual([whileGood.title, whileDown.title]);
  });

  it('starts a new database when there is no good generation, saying so', async () => {
    await database.handle.close();
    await writeFile(database.file, 'garbage');
    const { log, lines } = arrayLogger();
    expect(recoverSqliteFile(database.file, log)).toBe('set-aside');
    expect(existsSync(database.file)).toBe(false);
    expect(String(lines[0]?.msg)).toContain('there is no good generation to restore');
    database.handle = await openDatabase(`sqlite:${database.file}`);
  });

  it('leaves a good file alone', () => {
    const { log, lines } = arrayLogger();
    expect(recoverSqliteFile(database.file, log)).toBe('ok');
    expect(lines).toEqual([]);
  });
});

describe('an unusable state path', () => {
  it('is reported with the path and what to do', () => {
    const file = '/srv/paperbot/state/paperbot.db';
    const problem = (code: string): string => stateProblem(Object.assign(new Error(code), { code }), file);
    expect(problem('EACCES')).toMatchInlineSnapshot(
      `"state: /srv/paperbot/state/paperbot.db cannot be read or written (permission denied): give the bot's user read and write access to it and its folder, or set STATE_DIR (or DATABASE_URL) to a folder it owns"`,
    );
    expect(problem('EROFS')).toMatchInlineSnapshot(`"state: /srv/paperbot/state/paperbot.db is on a read-only file system: mount it writable, or set STATE_DIR (or DATABASE_URL) to a writable folder"`);
    expect(problem('SQLITE_FULL')).toMatchInlineSnapshot(`"state: the disk holding /srv/paperbot/state/paperbot.db is full: free some space there, or set STATE_DIR (or DATABASE_URL) to another disk"`);
    expect(problem('EISDIR')).toMatchInlineSnapshot(`"state: /srv/paperbot/state/paperbot.db is a directory where a file should be: remove or rename it, or set STATE_DIR (or DATABASE_URL) elsewhere"`);
  });
});
