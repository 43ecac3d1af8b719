import { describe, expect, it } from 'vitest';
import type { PhaseResult } from '../../../bench/driver/main.js';
import { judgeBatching, type BatchingPair } from '../../../bench/lib/batching.js';

/** A busy-page phase with only what the verdict reads filled in. */
function phase(frames: number, p99: number, lost = 0): PhaseResult {
  return { framesPerViewerPerSec: frames, latencyMs: { p99 }, lost } as PhaseResult;
}

const pair = (on: PhaseResult, off: PhaseResult, order: BatchingPair['order'] = 'on first'): BatchingPair => ({ order, on, off });

// The batching target of issue 5 (≥ 5× fewer frames for < 25 ms of added p99) over alternating
// pairs: the median of each half decides, so one stalled run cannot, and nothing may be lost.
describe('batching verdict', () => {
  it('takes the median of each half over the pairs, so one stalled run does not decide', () => {
    const v = judgeBatching([
      pair(phase(33.8, 68), phase(196.1, 7)),
      pair(phase(34, 27), phase(196, 6), 'off first'),
      pair(phase(36, 26), phase(195, 5)),
    ]);
    expect(v.addedP99s).toEqual([61, 21, 21]);
    expect(v.medianAddedP99).toBe(21);
    expect(v.medianFrameCut).toBeCloseTo(196 / 34, 5);
    expect(v.met).toBe(true);
  });

  it('misses when the median pair adds 25 ms or more, or cuts frames less than 5×', () => {
    expect(judgeBatching([pair(phase(34, 31), phase(196, 6))]).met).toBe(false);
    expect(judgeBatching([pair(phase(40, 20), phase(196, 6))]).met).toBe(false);
    expect(judgeBatching([pair(phase(39, 20), phase(196, 6))]).met).toBe(true);
  });

  it('misses when any run of any pair lost a message', () => {
    const good = pair(phase(34, 27), phase(196, 6));
    expect(judgeBatching([good, good, pair(phase(34, 27, 1), phase(196, 6))]).met).toBe(false);
  });

  it('misses with no pair at all', () => {
    expect(judgeBatching([]).met).toBe(false);
  });
});
