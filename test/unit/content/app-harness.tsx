import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach } from 'vitest';
import { App } from '../../../extension/content/ui/App.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { ALICE, BOB } from './fixtures.js';

/** The content UI rendered in jsdom for component tests: a view state, actions that record their calls, and clean-up. */

export function recordingActions() {
  const calls: [string, ...unknown[]][] = [];
  const record =
    (name: string, result: unknown = undefined) =>
    (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result;
    };
  const actions: Actions = {
    togglePanel: record('togglePanel'),
    toggleTopbar: record('toggleTopbar'),
    openComposer: record('openComposer'),
    cancelComposer: record('cancelComposer'),
    submitComposer: record('submitComposer', null) as Actions['submitComposer'],
    reply: record('reply', null) as Actions['reply'],
    editComment: record('editComment', null) as Actions['editComment'],
    deleteComment: record('deleteComment'),
    toggleResolved: record('toggleResolved'),
    deleteConversation: record('deleteConversation'),
    focusConversation: record('focusConversation'),
    dismissError: record('dismissError'),
  };
  return { actions, calls };
}

export function state(overrides: Partial<ViewState> = {}): ViewState {
  return {
    connection: 'live',
    refused: false,
    self: ALICE,
    viewers: 2,
    users: [ALICE, BOB],
    anchored: [],
    orphaned: [],
    panelOpen: true,
    topbarCollapsed: false,
    activeId: null,
    affordance: null,
    composer: null,
    error: null,
    announcement: null,
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
export const rerender = (s: ViewState, actions: Actions) => act(() => render(<App state={s} actions={actions} />, container));
export const byId = (root: ParentNode, id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

afterEach(() => {
  render(null, container);
  container.remove();
});
