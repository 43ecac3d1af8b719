import { expect, it } from 'vitest';
import { SignInReads } from '../../../extension/background/sign-in.js';

it('the settings are read once at the worker start, for the check of the stored data and the first socket; again after a save and for every later socket', async () => {
  let reads = 0;
  const signIns = new SignInReads(async () => ++reads);
  // The Hub's check at start and the first socket start share the one read.
  expect(await signIns.atStart).toBe(1);
  expect(await signIns.forSocket()).toBe(1);
  expect(reads).toBe(1);
  // A later socket (after the idle close) reads them again.
  expect(await signIns.forSocket()).toBe(2);

  // A save before the first socket: the read made at start is stale.
  reads = 0;
  const saved = new SignInReads(async () => ++reads);
  saved.saved();
  expect(await saved.forSocket()).toBe(2);
  expect(await saved.atStart).toBe(1);
});
