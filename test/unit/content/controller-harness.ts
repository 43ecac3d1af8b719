import { startController } from '../../../extension/content/controller.js';
import { createUiRoot } from '../../../extension/content/ui/root.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { FakePort } from './fake-port.js';

/**
 * The real content controller on jsdom's document, with fake runtime ports; what it renders is kept
 * in `view`, and handed to `draw` (with the UI root's mount point) when a test renders it.
 */
export function startTestController(draw: (state: ViewState, actions: Actions, mount: HTMLElement) => void = () => {}) {
  const controller = new AbortController();
  const ui = createUiRoot(document, controller.signal);
  const ports: FakePort[] = [];
  const view: { state: ViewState | null; actions: Actions | null } = { state: null, actions: null };
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
    },
    signal: controller.signal,
  });
  return { controller, ports, view, ui };
}
