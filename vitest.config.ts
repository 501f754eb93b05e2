import { defineConfig } from 'vitest/config';

// The burst (test/e2e/burst.test.ts) runs alone, after everything else (`npm run test:burst`, part of `npm test`):
// it holds the bot's answers to Discord's 3 s, which other tests' processes on the same cores would eat into.
const BURST = 'test/e2e/burst.test.ts';
const burstOnly = process.env.PAPERBOT_TEST_BURST === '1';

export default defineConfig({
  test: {
    include: burstOnly ? [BURST] : ['test/**/*.test.ts'],
    exclude: burstOnly ? [] : [BURST],
    // The e2e suite starts real bot processes; give them room on a 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
