/**
 * The scenarios end to end, short of Discord: pages on disk → watcher (real parser, merge, index)
 * → announcer → a recording `post`, with the record in a temp SQLite database.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HTTPError } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer, type Announcer } from '../../src/announce/announcer.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { watchCorpus, type CorpusWatcher } from '../../src/corpus/watch.js';
import { LibraryHolder } from '../../src/library.js';
import { PaperIndex } from '../../src/search/index.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';
import { arrayLogger, manualScheduler, pageText, recordingPost, removeDir, tempDir } from './helpers.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
const CHANNEL = '987654321098765432';
const GUILD = '887654321098765432';
const GRACE = pageText('Grace Hopper', [
  { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025' },
  { title: 'Compilers Before Compilers', date: 'Apr 4, 2025' },
]);

let dataDir: string;
let database: TempDatabase;
let holder: LibraryHolder;
let recorder: ReturnType<typeof recordingPost>;
let timers: ReturnType<typeof manualScheduler>;
let logged: ReturnType<typeof arrayLogger>;
let stops: Array<() => Promise<void>>;

beforeEach(async () => {
  dataDir = await tempDir('reload-data');
  database = await tempDatabase('reload-state');
  await copyFile('data/profiles/francesco-locatello.txt', join(dataDir, 'francesco-locatello.txt'));
  const corpus = await loadCorpus(dataDir, { asOf: AS_OF });
  holder = new LibraryHolder({ corpus, index: PaperIndex.build(corpus), loadedAt: new Date() });
  recorder = recordingPost();
  timers = manualScheduler();
  logged = arrayLogger();
  stops = [];
});

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  await removeDir(dataDir);
  await database.remove();
});

// The bot's wiring: the announcer takes the served corpus, and every swap after.
async function startBot(): Promise<{ announcer: Announcer; watcher: CorpusWatcher }> {
  const announcer = await createAnnouncer({ db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, post: recorder.post, log: logged.log, schedule: timers.schedule });
  announcer.update(holder.current.corpus);
  const watcher = await watchCorpus({ dir: dataDir, holder, asOf: AS_OF, log: logged.log, rescanMs: 3_600_000, onChange: (_previous, next) => announcer.update(next.corpus) });
  const stop = async (): Promise<void> => {
    await watcher.stop();
    await announcer.stop();
  };
  stops.push(stop);
  await announcer.idle();
  return { announcer, watcher };
}

describe('announcing papers as pages are added', () => {
  it('announces the two papers of an added page once, and nothing for the same page again or after a restart', async () => {
    const first = await startBot();
    expect(recorder.attempts).toBe(0);

    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    await first.watcher.rescan();
    await first.announcer.idle();
    expect(recorder.titles()).toEqual(['Compilers Before Compilers', 'Nanoseconds You Can Hold']);
    expect(recorder.messages[0]?.body.allowed_mentions).toEqual({ parse: [] });

    await writeFile(join(dataDir, 'grace-hopper.txt'), `${GRACE}\n`);
    await first.watcher.rescan();
    await first.announcer.idle();
    expect(recorder.titles()).toHaveLength(2);

    await stops.pop()?.();
    const second = await startBot();
    await second.watcher.rescan();
    await second.announcer.idle();
    expect(recorder.titles()).toHaveLength(2);
  });

  it('serves the old corpus and announces nothing when a page turns corrupt, and logs a diagnostic', async () => {
    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    const corpus = await loadCorpus(dataDir, { asOf: AS_OF });
    holder.swap({ corpus, index: PaperIndex.build(corpus), loadedAt: new Date() });
    const { watcher, announcer } = await startBot();
    const served = holder.current;

    await writeFile(join(dataDir, 'grace-hopper.txt'), 'Grace Hopper\n\nLGMay 5, 2025\n');
    await watcher.rescan();
    await announcer.idle();
    expect(holder.current).toBe(served);
    expect(holder.current.index.findPaper('Nanoseconds You Can Hold')?.title).toBe('Nanoseconds You Can Hold');
    expect(recorder.attempts).toBe(0);
    const warning = logged.lines.find((line) => line.level === 'warn' && String(line.msg).startsWith('corpus: page kept at its last good version'));
    expect(warning?.diagnostics).toEqual(expect.arrayContaining([expect.stringMatching(/^corpus: .*grace-hopper\.txt:\d+: /)]));
  });

  it('retries a failed post later and then announces each paper once', async () => {
    const { watcher, announcer } = await startBot();
    recorder.failWith = new HTTPError(500, 'Internal Server Error', 'POST', `/channels/${CHANNEL}/messages`, {});
    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    await watcher.rescan();
    await announcer.idle();
    expect(recorder.messages).toEqual([]);
    expect(announcer.preview(GUILD).pending.map((paper) => paper.title)).toEqual(['Compilers Before Compilers', 'Nanoseconds You Can Hold']);

    recorder.failWith = undefined;
    timers.fireAll();
    await announcer.idle();
    timers.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual(['Compilers Before Compilers', 'Nanoseconds You Can Hold']);
    expect(logged.lines.filter((line) => line.level === 'warn' && String(line.msg).startsWith('announce:'))).toHaveLength(1);
  });
});
