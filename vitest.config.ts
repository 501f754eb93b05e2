import { defineConfig } from 'vitest/config';

// The burst (test/e2e/burst.test.ts) runs alone, after everything else (`npm run test:burst`, part of `npm test`):
// it holds the bot's answers to Discord's 3 s, which other tests' processes on the same cores would eat into.
const BURST = 'test/e2e/burst.test.ts';
const burstOnly = process.env.PAPERBOT_TEST_BURST === '1';
// Files that also hold the bot to Discord's 3 s while it does heavy work (a 20 MB page read and indexed): one at a
// time, after the others, with no other file's processes beside them.
const ALONE = ['test/e2e/reload.test.ts'];

export default defineConfig({
  test: {
    // The e2e suite starts real bot processes; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // A folder for the run's initdb'd Postgres data folder, copied for each test server (test/db/postgres.ts).
    globalSetup: ['test/db/postgres-template.ts'],
    projects: burstOnly
      ? [{ extends: true, test: { name: 'burst', include: [BURST] } }]
      : [
          // Two files at a time even on 2 cores (vitest's default is one worker fewer than the cores): most of an
          // e2e file's time is spent waiting for its bot process, and a unit file's beside it fills that.
          { extends: true, test: { name: 'tests', include: ['test/**/*.test.ts'], exclude: [BURST, ...ALONE], maxWorkers: 2 } },
          // maxWorkers 1 puts these in vitest's sequential group, which runs after the rest.
          { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1 } },
        ],
  },
});
