// @vitest-environment jsdom
import { expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { byId, mount, recordingActions, rerender, state } from './app-harness.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * A reply's Delete asks first, in place, as the conversation's does (ui/ConfirmDelete.tsx): one
 * press destroyed someone's words for good (UX review). A keyboard user's press is the button's
 * focus, then its click (a browser's Enter or Space on a focused button).
 */

const press = (el: HTMLElement) => {
  act(() => el.focus());
  act(() => el.click());
};
const escape = (el: Element) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true, composed: true })));

function cardWithReply() {
  const opening = { id: uuid(), author: BOB, text: 'opening', createdAt: 1 };
  const reply = { id: uuid(), author: ALICE, text: 'my reply', createdAt: 2 };
  const later = { id: uuid(), author: ALICE, text: 'later reply', createdAt: 3 };
  const c = conversation({ author: BOB, comments: [opening, reply, later] });
  const { actions, calls } = recordingActions();
  const root = mount(state({ anchored: [c] }), actions);
  const comment = (id: string) => byId(root, 'comment').find((e) => e.dataset.id === id)!;
  const deletions = () => calls.filter(([name]) => name === 'deleteComment');
  return { c, reply, later, root, actions, calls, comment, deletions };
}

it("a reply's Delete asks first, in its comment, with focus on Cancel; nothing is sent", () => {
  const { reply, later, comment, deletions } = cardWithReply();
  press(byId(comment(reply.id), 'delete-comment')[0]!);
  expect(deletions(), 'one press deletes nothing').toEqual([]);
  const question = byId(comment(reply.id), 'delete-comment-question')[0]!;
  expect(question.getAttribute('role')).toBe('group');
  expect(document.getElementById(question.getAttribute('aria-labelledby')!)?.textContent).toBe('Delete this reply? This cannot be undone.');
  expect([...question.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Delete reply', 'Cancel']);
  expect(document.activeElement).toBe(byId(question, 'delete-comment-cancel')[0]);
  // Asked of this reply only, its own Delete gone while it asks; the other reply keeps its Delete.
  expect(byId(comment(reply.id), 'delete-comment')).toEqual([]);
  expect(byId(comment(later.id), 'delete-comment')).toHaveLength(1);
  expect(byId(comment(later.id), 'delete-comment-question')).toEqual([]);
});

it('Escape or Cancel keep the reply, send nothing and give focus back to its Delete; Escape leaves the panel open', () => {
  const { reply, root, calls, comment } = cardWithReply();
  press(byId(comment(reply.id), 'delete-comment')[0]!);
  escape(document.activeElement!);
  expect(byId(root, 'delete-comment-question')).toEqual([]);
  expect(document.activeElement).toBe(byId(comment(reply.id), 'delete-comment')[0]);
  expect(byId(root, 'panel')).toHaveLength(1);

  press(byId(comment(reply.id), 'delete-comment')[0]!);
  press(byId(comment(reply.id), 'delete-comment-cancel')[0]!);
  expect(byId(root, 'delete-comment-question')).toEqual([]);
  expect(document.activeElement).toBe(byId(comment(reply.id), 'delete-comment')[0]);
  expect(calls, 'nothing sent, the panel not toggled').toEqual([]);
});

it('"Delete reply" sends the deletion once, and focus goes to the card, where it stays once the reply is gone', () => {
  const { c, reply, later, root, actions, comment, deletions } = cardWithReply();
  press(byId(comment(reply.id), 'delete-comment')[0]!);
  press(byId(comment(reply.id), 'delete-comment-confirm')[0]!);
  expect(deletions()).toEqual([['deleteComment', c.id, reply.id]]);
  expect(byId(root, 'delete-comment-question'), 'the question answered').toEqual([]);
  const card = byId(root, 'conversation')[0]!;
  expect(document.activeElement, 'the card, not the page').toBe(card);

  rerender(state({ anchored: [{ ...c, comments: c.comments.filter((x) => x.id !== reply.id) }] }), actions);
  expect(comment(reply.id)).toBeUndefined();
  expect(document.activeElement).toBe(card);
  expect(deletions()).toHaveLength(1);
  // The other reply was never asked about: its Delete asks afresh.
  press(byId(comment(later.id), 'delete-comment')[0]!);
  expect(document.activeElement).toBe(byId(comment(later.id), 'delete-comment-cancel')[0]);
});

it('a question open while its conversation is deleted goes with its controls', () => {
  const { c, reply, root, actions, comment } = cardWithReply();
  press(byId(comment(reply.id), 'delete-comment')[0]!);
  expect(byId(root, 'delete-comment-question')).toHaveLength(1);
  rerender(state({ anchored: [c], deleted: new Set([c.id]) }), actions);
  expect(byId(root, 'delete-comment-question')).toEqual([]);
  expect(byId(root, 'delete-comment-confirm')).toEqual([]);
});
