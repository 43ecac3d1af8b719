import { startController } from '../../../extension/content/controller.js';
import { createUiRoot } from '../../../extension/content/ui/root.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { FakePort } from './fake-port.js';

/**
 * The real content controller on jsdom's document, with fake runtime ports; what it renders is kept
 * in `view`, and handed to `draw` (with the UI root's mount point) when a test renders it.
 *
 * `nextRender()` resolves at the controller's next render. The controller never renders in the
 * call that asked for it: on a microtask, or, right after a pass that took 8 ms or more (a loaded
 * machine, a cold start), on a later task (render-loop.ts). A test that checks what a message or an
 * action changed awaits that render, asked for right after the message, not a fixed microtask or tick.
 */
export function startTestController(draw: (state: ViewState, actions: Actions, mount: HTMLElement) => void = () => {}) {
  const controller = new AbortController();
  const ui = createUiRoot(document, controller.signal);
  const ports: FakePort[] = [];
  const view: { state: ViewState | null; actions: Actions | null } = { state: null, actions: null };
  let waiting: (() => void)[] = [];
  startController({
    doc: document,
    host: ui.host,
    connect: () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    render: (state, actions) => {
      view.state = state;
      view.actions = actions;
      draw(state, actions, ui.mount);
      const rendered = waiting;
      waiting = [];
      for (const resolve of rendered) resolve();
    },
    signal: controller.signal,
  });
  const nextRender = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { controller, ports, view, ui, nextRender };
}
