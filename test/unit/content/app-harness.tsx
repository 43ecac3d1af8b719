import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach } from 'vitest';
import { startController } from '../../../extension/content/controller.js';
import { PointedCards } from '../../../extension/content/state/pointed-cards.js';
import { App } from '../../../extension/content/ui/App.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { NO_SHORTCUT_KEYS, type LocalConversation } from '../../../protocol/runtime.js';
import { FakePort } from './fake-port.js';
import { ALICE, BOB } from './fixtures.js';

/** The content UI rendered in jsdom for component tests: a view state, actions that record their calls, and clean-up. */

export function recordingActions() {
  const calls: [string, ...unknown[]][] = [];
  /** What `hoverCard` was told, apart: focus moving into a card tells it, which the tests of what a press sends do not count. */
  const hovers: (string | null)[] = [];
  const record =
    (name: string, result: unknown = undefined) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result;
    };
  const actions: Actions = {
    togglePanel: record('togglePanel'),
    panelFocused: record('panelFocused'),
    toggleTopbar: record('toggleTopbar'),
    openComposer: record('openComposer'),
    cancelComposer: record('cancelComposer'),
    submitComposer: record('submitComposer', null) as Actions['submitComposer'],
    reply: record('reply', null) as Actions['reply'],
    editComment: record('editComment', null) as Actions['editComment'],
    deleteComment: record('deleteComment'),
    toggleResolved: record('toggleResolved'),
    deleteConversation: record('deleteConversation'),
    closeDeleted: record('closeDeleted'),
    undoDelete: record('undoDelete'),
    dismissUndo: record('dismissUndo'),
    restoreFocused: record('restoreFocused'),
    focusConversation: record('focusConversation'),
    hoverCard: (id) => void hovers.push(id),
    closeConversation: record('closeConversation'),
    tookRefusedEdit: record('tookRefusedEdit'),
    dismissError: record('dismissError'),
  };
  return { actions, calls, hovers };
}

/** One for every state, as the controller hands the UI: a new one would render every card again (its context changed). */
const POINTED = new PointedCards();

export function state(overrides: Partial<ViewState> = {}): ViewState {
  return {
    connection: 'live',
    reason: null,
    self: ALICE,
    moderator: false,
    viewers: 2,
    users: [ALICE, BOB],
    anchored: [],
    orphaned: [],
    deleted: new Set(),
    panelOpen: true,
    panelFocus: null,
    topbarCollapsed: false,
    activeId: null,
    unseen: new Map(),
    pointed: POINTED,
    affordance: null,
    composer: null,
    error: null,
    shortcutKeys: NO_SHORTCUT_KEYS,
    announcement: null,
    undo: null,
    restoring: null,
    refusedEdits: new Map(),
    ...overrides,
  };
}

/** The element the App of the running test is rendered into (a live binding: it changes with each mount). */
export let container: HTMLElement;
export function mount(s: ViewState, actions: Actions) {
  container = document.createElement('div');
  document.body.appendChild(container);
  act(() => render(<App state={s} actions={actions} />, container));
  return container;
}
/**
 * The real controller driving the App over a fake port, for what spans both (a message from the
 * background and what the UI then shows). The container stands in for the UI root's host, without
 * its shadow root, which would drop the events a test dispatches (ui/root.ts). `settle` lets the
 * controller's render and the UI's effects run; `view` is the state it rendered last.
 */
export function startApp(signal: AbortSignal) {
  container = document.createElement('div');
  document.body.appendChild(container);
  const ports: FakePort[] = [];
  let last: ViewState | null = null;
  startController({
    doc: document,
    host: container,
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    render: (s, actions) => {
      last = s;
      render(<App state={s} actions={actions} />, container);
    },
    signal,
  });
  const settle = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  /** The view state the controller rendered last (what the page's highlights were painted with too). */
  const view = () => last!;
  return { ports, settle, view };
}

/** startApp with the page live, `conversations` listed and the panel open: where most panel tests start. */
export async function startPanelWith(signal: AbortSignal, ...conversations: LocalConversation[]) {
  const app = startApp(signal);
  await app.settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations });
  port.deliver({ type: 'open-panel' });
  await app.settle();
  return { ...app, port };
}

export const rerender = (s: ViewState, actions: Actions) => act(() => render(<App state={s} actions={actions} />, container));
export const byId = (root: ParentNode, id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

afterEach(() => {
  // A file whose test failed before its first mount has no container: nothing to clean, and a throw
  // here would be reported against every later test of the file as well.
  if ((container as HTMLElement | undefined) === undefined) return;
  render(null, container);
  container.remove();
});
