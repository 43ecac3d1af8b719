// @vitest-environment jsdom
import { render } from 'preact';
import { expect, it } from 'vitest';
import { App } from '../../../extension/content/ui/App.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { byId, container, mount, recordingActions, state } from './app-harness.js';
import { ALICE, conversation, uuid } from './fixtures.js';

/**
 * What the keyboard meets the moment a control shows, before the browser's next frame: the key a
 * user presses next, as soon as they see the composer or the edit field (on a slow machine, before
 * the next frame), lands there. Each control is caught as it enters the DOM (a mutation observer's
 * callback runs right after the render that added it, before any other task: a key event, a frame, a
 * passive effect). Rendered as the controller renders, outside act(), which would run every effect
 * before returning and hide the difference.
 */

/** Runs `seen` with the element `id` right after the render that adds it to the container. */
function whenShown<T>(id: string, seen: (el: HTMLElement) => T): Promise<T> {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const el = byId(container, id)[0];
      if (!el) return;
      observer.disconnect();
      resolve(seen(el));
    });
    observer.observe(container, { childList: true, subtree: true });
  });
}

const renderAsController = (s: ViewState, actions: Actions) => render(<App state={s} actions={actions} />, container);
const pressA = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true, cancelable: true, composed: true }));

it('the composer has the caret in its field as it shows', async () => {
  const { actions } = recordingActions();
  mount(state({ panelOpen: false, affordance: { left: 1, top: 1 } }), actions);
  const focused = whenShown('composer', () => document.activeElement);
  renderAsController(state({ panelOpen: false, composer: { left: 1, top: 1, quote: 'q' } }), actions);
  expect(await focused).toBe(byId(container, 'composer')[0]!.querySelector('textarea'));
});

it('"a" opens the composer as soon as the Annotate button shows', async () => {
  const { actions, calls } = recordingActions();
  mount(state({ panelOpen: false }), actions);
  const pressed = whenShown('annotate-button', () => {
    pressA();
    return [...calls];
  });
  renderAsController(state({ panelOpen: false, affordance: { left: 1, top: 1 } }), actions);
  expect(await pressed).toEqual([['openComposer']]);
});

/** Mounts a card of `c`, focuses its `press` and presses it: whether `shown` has the focus as it enters the DOM. */
function focusedAsShown(c: LocalConversation, press: string, shown: string): Promise<boolean> {
  const root = mount(state({ anchored: [c] }), recordingActions().actions);
  const button = byId(root, press)[0]!;
  button.focus();
  const focused = whenShown(shown, (el) => document.activeElement === el);
  button.click();
  return focused;
}

it('Edit gives the caret to the edit field as it shows, and Save gives focus back to Edit as it shows again', async () => {
  const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });
  expect(await focusedAsShown(c, 'edit-comment', 'edit-input')).toBe(true);
  const onEdit = whenShown('edit-comment', (button) => document.activeElement === button);
  byId(container, 'edit-save')[0]!.click();
  expect(await onEdit).toBe(true);
});

it("the conversation's Delete gives focus to Cancel as the question shows", async () => {
  const c = conversation({ author: ALICE, comments: [{ id: uuid(), author: ALICE, text: 'mine', createdAt: 1 }] });
  expect(await focusedAsShown(c, 'delete-conversation', 'delete-conversation-cancel')).toBe(true);
});

it("a reply's Delete gives focus to Cancel as the question shows", async () => {
  const c = conversation({ author: ALICE, comments: [{ id: uuid(), author: ALICE, text: 'mine', createdAt: 1 }, { id: uuid(), author: ALICE, text: 'my reply', createdAt: 2 }] });
  expect(await focusedAsShown(c, 'delete-comment', 'delete-comment-cancel')).toBe(true);
});
