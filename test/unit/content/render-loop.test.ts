import { describe, expect, it, vi } from 'vitest';
import { nextFrame, renderLoop } from '../../../extension/content/render-loop.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function withFakeTimers(test: () => Promise<void>): Promise<void> {
  vi.useFakeTimers();
  try {
    await test();
  } finally {
    vi.useRealTimers();
  }
}

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

  it('under load, waits for a frame, twice as long after the last pass started as it and its frame took, so a burst of messages shares few frames', () =>
    withFakeTimers(async () => {
      let clock = 0;
      const advance = async (ms: number) => {
        clock += ms;
        await vi.advanceTimersByTimeAsync(ms);
      };
      const passes: number[] = [];
      const frames: (() => void)[] = [];
      // Each pass takes 20 ms; the browser's frame after it 80 ms more (a page with thousands of highlights).
      const schedule = renderLoop(new AbortController().signal, () => {
        passes.push(clock);
        clock += 20;
        setTimeout(() => (clock += 80), 0);
      }, { now: () => clock, frame: (run) => frames.push(run) });
      schedule();
      await Promise.resolve();
      expect(passes, 'the first pass is not delayed').toEqual([0]);
      await advance(0);
      expect(clock, 'the frame after it').toBe(100);

      // A message every 25 ms: none renders before 2 × 100 ms after the last pass started, and then in a frame.
      for (let i = 0; i < 3; i++) {
        schedule(false, true);
        await advance(25);
      }
      expect(frames.length, 'not yet waiting for a frame').toBe(0);
      await advance(25);
      expect(frames.length).toBe(1);
      expect(passes.length, 'only in the frame').toBe(1);
      frames.shift()!();
      expect(passes).toEqual([0, 200]);

      // What the reader does is not held back: it renders at once and takes along what waited.
      await advance(0);
      schedule(true, true);
      await advance(10);
      schedule();
      await advance(0);
      expect(passes).toEqual([0, 200, 310]);
      await advance(1000);
      frames.splice(0).forEach((f) => f());
      expect(passes, 'the pass that waited is not made again').toEqual([0, 200, 310]);
    }));

  it('waits at most a second after a pass that took longer, the reader\'s own (a panel of thousands of cards)', () =>
    withFakeTimers(async () => {
      let clock = 0;
      const passes: number[] = [];
      const frames: (() => void)[] = [];
      let cost = 1500;
      const schedule = renderLoop(new AbortController().signal, () => {
        passes.push(clock);
        clock += cost;
      }, { now: () => clock, frame: (run) => frames.push(run) });
      schedule();
      await vi.advanceTimersByTimeAsync(0);
      cost = 20;
      // A peer's change 100 ms after that pass ended: 1.6 s after it started, past the second.
      clock += 100;
      schedule(false, true);
      await vi.advanceTimersByTimeAsync(0);
      expect(frames.length, 'in the next frame').toBe(1);
      frames.shift()!();
      expect(passes).toEqual([0, 1600]);
    }));

  it('holds back nothing more when a slow pass and its frame took less than a reader notices', () =>
    withFakeTimers(async () => {
      let clock = 0;
      const passes: number[] = [];
      const frames: (() => void)[] = [];
      const schedule = renderLoop(new AbortController().signal, () => {
        passes.push(clock);
        clock += 30;
      }, { now: () => clock, frame: (run) => frames.push(run) });
      schedule(false, true);
      await vi.advanceTimersByTimeAsync(0);
      schedule(false, true);
      await vi.advanceTimersByTimeAsync(0);
      expect(passes, 'after the queued tasks, as any change').toEqual([0, 30]);
      expect(frames).toEqual([]);
    }));

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

describe('nextFrame', () => {
  /** A window whose frames the test runs by hand. */
  function framed(visibilityState: 'visible' | 'hidden') {
    const callbacks = new Map<number, () => void>();
    let ids = 0;
    const win = {
      document: { visibilityState },
      requestAnimationFrame: (cb: () => void) => (callbacks.set(++ids, cb), ids),
      cancelAnimationFrame: (id: number) => callbacks.delete(id),
    } as unknown as Window;
    return { win, frame: () => [...callbacks.values()].forEach((cb) => cb()), pending: () => callbacks.size };
  }

  it('runs once, in the next frame, and not again when the guard timer comes', () =>
    withFakeTimers(async () => {
      const { win, frame, pending } = framed('visible');
      let runs = 0;
      nextFrame(win, 250)(() => runs++);
      await vi.advanceTimersByTimeAsync(100);
      expect(runs, 'not before the frame').toBe(0);
      frame();
      expect(runs).toBe(1);
      await vi.advanceTimersByTimeAsync(500);
      expect(runs).toBe(1);
      expect(pending()).toBe(0);
    }));

  it('runs on a timer in a hidden tab, which gets no frames, and when no frame comes in time', () =>
    withFakeTimers(async () => {
      const hidden = framed('hidden');
      let runs = 0;
      nextFrame(hidden.win, 250)(() => runs++);
      await vi.advanceTimersByTimeAsync(0);
      expect(runs).toBe(1);
      expect(hidden.pending(), 'its frame request is withdrawn').toBe(0);

      const late = framed('visible');
      nextFrame(late.win, 250)(() => runs++);
      await vi.advanceTimersByTimeAsync(250);
      expect(runs).toBe(2);
      late.frame();
      expect(runs).toBe(2);
    }));
});
