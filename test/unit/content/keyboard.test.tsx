// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { App } from '../../../extension/content/ui/App.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * What a keyboard-only user meets in the UI: where focus goes when the control they used goes away,
 * and which keys close what. jsdom moves focus and dispatches keys as a browser would; a browser's
 * Enter or Space on a focused button is its `click()`.
 */

function recordingActions() {
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

function state(overrides: Partial<ViewState> = {}): ViewState {
  return {
    connection: 'live',
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
    ...overrides,
  };
}

let container: HTMLElement;
function mount(s: ViewState, actions: Actions) {
  container = document.createElement('div');
  document.body.appendChild(container);
  act(() => render(<App state={s} actions={actions} />, container));
  return container;
}
const byId = (root: ParentNode, id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const press = (el: Element, key: string, init: KeyboardEventInit = {}) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true, ...init }));
  });

afterEach(() => {
  render(null, container);
  container.remove();
});

describe('keyboard: editing a comment', () => {
  const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });

  it('Edit puts focus in the field, and Save puts it back on Edit', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    const edit = byId(root, 'edit-comment')[0]!;
    edit.focus();
    act(() => edit.click());
    const field = byId(root, 'edit-input')[0] as HTMLTextAreaElement;
    expect(document.activeElement).toBe(field);
    field.value = 'changed';
    act(() => byId(root, 'edit-save')[0]!.click());
    expect(calls.at(-1)).toEqual(['editComment', c.id, c.comments[0]!.id, 'changed']);
    expect(document.activeElement).toBe(byId(root, 'edit-comment')[0]);
  });

  it('Escape in the field cancels the edit, puts focus back on Edit and leaves the panel open', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    act(() => byId(root, 'edit-comment')[0]!.click());
    press(byId(root, 'edit-input')[0]!, 'Escape');
    expect(byId(root, 'edit-input')).toHaveLength(0);
    expect(document.activeElement).toBe(byId(root, 'edit-comment')[0]);
    expect(calls.map((call) => call[0])).not.toContain('togglePanel');
  });
});
