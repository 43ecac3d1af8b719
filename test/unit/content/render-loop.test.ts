import { describe, expect, it } from 'vitest';
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
});
