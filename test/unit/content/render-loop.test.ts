import { describe, expect, it, vi } from 'vitest';
import { renderLoop } from '../../../extension/content/render-loop.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('renderLoop', () => {
  it('renders a burst of changes once, anchoring everything again if any of them asked', async () => {
    const passes: boolean[] = [];
    const schedule = renderLoop(new AbortController().signal, (all) => passes.push(all));
    schedule();
    schedule(true);
    schedule();
    expect(passes, 'nothing renders in the middle of the burst').toEqual([]);
    await tick();
    expect(passes).toEqual([true]);

    // The full pass was made: the next one looks only for what is new.
    schedule();
    await tick();
    expect(passes).toEqual([true, false]);
  });

  it('renders nothing once torn down, not even a pass already asked for', async () => {
    const controller = new AbortController();
    const passes: boolean[] = [];
    const schedule = renderLoop(controller.signal, (all) => passes.push(all));
    schedule();
    controller.abort();
    schedule();
    await tick();
    expect(passes).toEqual([]);
  });

  it('right after a slow pass, lets the tasks already queued run first, so the changes they bring share one pass', async () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const passes: boolean[] = [];
      // Each pass "takes" 30 ms of the loop's clock: a page with thousands of conversations.
      const schedule = renderLoop(new AbortController().signal, (all) => {
        passes.push(all);
        clock += 30;
      }, { now: () => clock });
      schedule();
      await Promise.resolve();
      expect(passes, 'the first pass is not delayed').toEqual([false]);

      // Messages, each its own task, right after the slow pass: one pass for all of them, after the queued tasks.
      schedule();
      await Promise.resolve();
      schedule(true);
      schedule();
      expect(passes, 'not on the next microtask').toEqual([false]);
      await vi.advanceTimersByTimeAsync(0);
      expect(passes).toEqual([false, true]);

      // Long after a slow pass, a change renders on the microtask again.
      clock += 1000;
      schedule();
      await Promise.resolve();
      expect(passes).toEqual([false, true, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not delay anything after cheap passes', async () => {
    let clock = 0;
    const passes: boolean[] = [];
    const schedule = renderLoop(new AbortController().signal, (all) => {
      passes.push(all);
      clock += 1;
    }, { now: () => clock });
    for (let i = 0; i < 3; i++) {
      schedule();
      await Promise.resolve();
    }
    expect(passes).toEqual([false, false, false]);
  });
});
