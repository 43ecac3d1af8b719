import { defineConfig } from 'vitest/config';

/**
 * Three levels, as darkreader has them: `unit` (pure functions and DOM code in jsdom), `server`
 * (the real server on a random port with real socket.io-client sockets and a real SQLite file) and
 * `e2e` (real Chromium and Firefox with the built extension). `npm test` runs all three.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
          // A guard against a hung test, not a speed target: the property tests (live-view, page-cache)
          // take 2-3 s on a quiet machine and timed out at vitest's 5 s default once under a load of 13.
          testTimeout: 30_000,
        },
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
