import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, LockHeldError, acquireStateLock } from '../../src/announce/lock.js';
import { removeDir, tempDir } from './helpers.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await tempDir('lock');
});
afterEach(async () => {
  await removeDir(stateDir);
});

// A pid that is certainly dead: a child that has already exited.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the STATE_DIR lock', () => {
  it('writes our pid and refuses a second holder with a message saying what to do', async () => {
    const lock = await acquireStateLock(stateDir);
    expect((await readFile(join(stateDir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    const second = acquireStateLock(stateDir);
    await expect(second).rejects.toBeInstanceOf(LockHeldError);
    await expect(acquireStateLock(stateDir)).rejects.toThrow(
      `announce: STATE_DIR is in use by another paperbot process (pid ${process.pid}, lock ${join(stateDir, LOCK_FILE)}). Two bots on one STATE_DIR would announce papers twice: stop the other process, or give this one its own STATE_DIR.`,
    );
    await lock.release();
    await (await acquireStateLock(stateDir)).release();
  });

  it('refuses when a live process (our parent) holds the lock', async () => {
    await writeFile(join(stateDir, LOCK_FILE), `${process.ppid}\n`);
    await expect(acquireStateLock(stateDir)).rejects.toThrow(`pid ${process.ppid}`);
  });

  it('takes over a lock whose process is dead', async () => {
    await writeFile(join(stateDir, LOCK_FILE), `${deadPid()}\n`);
    const lock = await acquireStateLock(stateDir);
    expect((await readFile(join(stateDir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
  });

  it('takes over a lock left with our own pid by an earlier process (containers reuse pids)', async () => {
    await writeFile(join(stateDir, LOCK_FILE), `${process.pid}\n`);
    const lock = await acquireStateLock(stateDir);
    await lock.release();
  });

  it('takes over an unreadable lock file', async () => {
    await writeFile(join(stateDir, LOCK_FILE), 'garbage');
    const lock = await acquireStateLock(stateDir);
    await lock.release();
  });

  it('removes the file on release', async () => {
    const lock = await acquireStateLock(stateDir);
    await lock.release();
    await expect(readFile(join(stateDir, LOCK_FILE), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
