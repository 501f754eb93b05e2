/**
 * The live library and the announcer together, short of Discord: pages on disk → reader thread (real parser,
 * merge) → index → announcer once the pages have settled → a recording `post`, with the record, lock and
 * snapshot in a temp STATE_DIR.
 */
import { appendFile, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HTTPError } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncer, type Announcer } from '../../src/announce/announcer.js';
import { parseProfilePage } from '../../src/corpus/parse.js';
import type { Corpus } from '../../src/corpus/schema.js';
import { openLiveLibrary, type LiveLibrary } from '../../src/live/watch.js';
import { arrayLogger, manualScheduler, pageText, recordingPost, removeDir, tempDir } from '../announce/helpers.js';
import { tempDatabase, type TempDatabase } from '../db/helpers.js';

const AS_OF = new Date('2025-11-01T00:00:00Z');
const CHANNEL = '987654321098765432';
const GUILD = '887654321098765432';
const GRACE = pageText('Grace Hopper', [
  { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025' },
  { title: 'Compilers Before Compilers', date: 'Apr 4, 2025' },
]);
const GRACE_TITLES = ['Compilers Before Compilers', 'Nanoseconds You Can Hold'];

let dataDir: string;
let stateDir: string;
let database: TempDatabase;
let recorder: ReturnType<typeof recordingPost>;
let timers: ReturnType<typeof manualScheduler>;
let logged: ReturnType<typeof arrayLogger>;
let stops: Array<() => Promise<void>>;

beforeEach(async () => {
  dataDir = await tempDir('reload-data');
  stateDir = await tempDir('reload-state');
  database = await tempDatabase('reload-db');
  await copyFile('data/profiles/francesco-locatello.txt', join(dataDir, 'francesco-locatello.txt'));
  recorder = recordingPost();
  timers = manualScheduler();
  logged = arrayLogger();
  stops = [];
});

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  await removeDir(dataDir);
  await removeDir(stateDir);
  await database.remove();
});

/** The bot's wiring (src/live/announcing.ts): the announcer gets each settled corpus. */
async function startBot(settleMs = 0): Promise<{ announcer: Announcer; live: LiveLibrary; settled: Corpus[] }> {
  const announcer = await createAnnouncer({ db: database.handle.db, start: { guildId: GUILD, channelId: CHANNEL }, post: recorder.post, log: logged.log, schedule: timers.schedule });
  const live = await openLiveLibrary({ dir: dataDir, stateDir, asOf: AS_OF, log: logged.log, rescanMs: 3_600_000, debounceMs: 50, settleMs });
  const settled: Corpus[] = [];
  await live.start((corpus) => {
    settled.push(corpus);
    announcer.update(corpus);
  });
  const stop = async (): Promise<void> => {
    await live.stop();
    await announcer.stop();
  };
  stops.push(stop);
  await until('the first corpus to settle', () => settled.length > 0);
  await announcer.idle();
  return { announcer, live, settled };
}

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('announcing papers as pages are added', () => {
  it('announces the two papers of an added page once, and nothing for the same page again or after a restart', async () => {
    const first = await startBot();
    expect(recorder.attempts).toBe(0);

    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    await first.live.rescan();
    await until('the new page to be announced', () => recorder.titles().length >= 2);
    await first.announcer.idle();
    expect(recorder.titles()).toEqual(GRACE_TITLES);
    expect(recorder.messages[0]?.body.allowed_mentions).toEqual({ parse: [] });

    await writeFile(join(dataDir, 'grace-hopper.txt'), `${GRACE}\n`);
    const handed = first.settled.length;
    await first.live.rescan();
    await until('the rewritten page to settle', () => first.settled.length > handed);
    await first.announcer.idle();
    expect(recorder.titles()).toHaveLength(2);

    await stops.pop()?.();
    const second = await startBot();
    await second.live.rescan();
    await second.announcer.idle();
    expect(recorder.titles()).toHaveLength(2);
  }, 60_000);

  it('serves the old corpus and announces nothing when a page turns corrupt, and logs a diagnostic', async () => {
    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    const { live, announcer } = await startBot();
    const served = live.holder.current;

    await writeFile(join(dataDir, 'grace-hopper.txt'), 'Grace Hopper\n\nLGMay 5, 2025\n');
    await live.rescan();
    await announcer.idle();
    expect(live.holder.current).toBe(served);
    expect(live.holder.current.index.lookupPaper('Nanoseconds You Can Hold').paper?.title).toBe('Nanoseconds You Can Hold');
    expect(recorder.attempts).toBe(0);
    const warning = logged.lines.find((line) => line.level === 'warn' && String(line.msg).startsWith('corpus: page kept at its last good version'));
    expect(warning?.diagnostics).toEqual(expect.arrayContaining([expect.stringMatching(/^corpus: .*grace-hopper\.txt:\d+: /)]));
  });

  it('retries a failed post later and then announces each paper once', async () => {
    const { live, announcer } = await startBot();
    recorder.failWith = new HTTPError(500, 'Internal Server Error', 'POST', `/channels/${CHANNEL}/messages`, {});
    await writeFile(join(dataDir, 'grace-hopper.txt'), GRACE);
    await live.rescan();
    await until('the new papers to be pending', () => announcer.preview(GUILD).pending.length === 2);
    await announcer.idle();
    expect(recorder.messages).toEqual([]);
    expect(announcer.preview(GUILD).pending.map((paper) => paper.title)).toEqual(GRACE_TITLES);

    recorder.failWith = undefined;
    timers.fireAll();
    await announcer.idle();
    timers.fireAll();
    await announcer.idle();
    expect(recorder.titles()).toEqual(GRACE_TITLES);
    expect(logged.lines.filter((line) => line.level === 'warn' && String(line.msg).startsWith('announce:'))).toHaveLength(1);
  });
});

describe('a page saved in pieces', () => {
  it('is announced only once whole, when written in two chunks 600 ms apart', async () => {
    const settleMs = 1_500;
    const { live, settled } = await startBot(settleMs);
    const whole = pageText('Grace Hopper', [
      { title: 'Nanoseconds You Can Hold', date: 'May 5, 2025', abstract: 'We hand out lengths of wire to show how far light travels in a nanosecond.' },
      { title: 'Compilers Before Compilers', date: 'Apr 4, 2025', abstract: 'We describe translating mathematical notation into machine code automatically, long before anyone called it compiling.' },
    ]);
    // Cut mid-word inside the last abstract: the first chunk alone parses into both papers, the last one truncated.
    const cut = whole.indexOf('machine code') + 'mach'.length;
    const expected = parseProfilePage(whole, join(dataDir, 'grace-hopper.txt'), { asOf: AS_OF }).papers;
    const truncated = parseProfilePage(whole.slice(0, cut), join(dataDir, 'grace-hopper.txt'), { asOf: AS_OF }).papers;
    expect(truncated.map((paper) => paper.title)).toEqual(expected.map((paper) => paper.title));
    expect(truncated.find((paper) => paper.title === 'Compilers Before Compilers')?.abstract).toMatch(/mach$/);

    // The reloads the watcher starts may read the first chunk alone (search would then serve it), or not, depending
    // on the machine's load; the announcer must get the whole page either way.
    await writeFile(join(dataDir, 'grace-hopper.txt'), whole.slice(0, cut));
    await sleep(600);
    await appendFile(join(dataDir, 'grace-hopper.txt'), whole.slice(cut));
    await live.rescan();

    await until('the whole page to be handed to the announcer', () => settled.some((corpus) => corpus.papers.some((paper) => paper.title === 'Compilers Before Compilers')));
    for (const corpus of settled) {
      const grace = corpus.papers.filter((paper) => paper.owners.includes('Grace Hopper'));
      if (grace.length > 0) expect(grace.map((paper) => paper.abstract).sort()).toEqual(expected.map((paper) => paper.abstract).sort());
    }
    await until('the announcement', () => recorder.titles().length === 2);
    // Each paper is announced once: the version posted is the whole one.
    expect(JSON.stringify(recorder.messages.map((message) => message.body))).toContain('long before anyone called it compiling');
  }, 60_000);
});
