import { expect, it } from 'vitest';
import { configFromEnv } from '../../server/config.js';

/** The busy threshold follows the window unless set: a page is batched once a window catches two events on average. */
it('derives the busy threshold from the batching window, and an explicit setting wins', () => {
  expect(configFromEnv({})).toMatchObject({ batchWindowMs: 24, batchBusyPerSecond: 84 });
  expect(configFromEnv({ GLOSS_BATCH_WINDOW_MS: '50' })).toMatchObject({ batchWindowMs: 50, batchBusyPerSecond: 40 });
  expect(configFromEnv({ GLOSS_BATCH_WINDOW_MS: '24', GLOSS_BATCH_BUSY_PER_SECOND: '20' })).toMatchObject({ batchBusyPerSecond: 20 });
  expect(configFromEnv({ GLOSS_BATCH_WINDOW_MS: '0' })).toMatchObject({ batchWindowMs: 0, batchBusyPerSecond: 1 });
  expect(() => configFromEnv({ GLOSS_BATCH_BUSY_PER_SECOND: '0' })).toThrow(/GLOSS_BATCH_BUSY_PER_SECOND/);
});
