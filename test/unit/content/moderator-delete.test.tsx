// @vitest-environment jsdom
import { expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { byId, mount, recordingActions, state } from './app-harness.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * A moderator (the server's session says so: protocol/runtime.ts `connection`) is offered Delete on
 * anyone's conversation and reply, asked first as an author is, with the question naming whose it is;
 * never Edit of someone else's words (docs/architecture.md, "Moderators"). A member sees what they did.
 */

const press = (el: HTMLElement) => {
  act(() => el.focus());
  act(() => el.click());
};
const question = (group: HTMLElement) => document.getElementById(group.getAttribute('aria-labelledby')!)?.textContent;

/** Bob's conversation with Bob's reply: nothing of it is the user's (Alice's). */
function bobsCard(moderator: boolean) {
  const opening = { id: uuid(), author: BOB, text: 'opening', createdAt: 1 };
  const reply = { id: uuid(), author: BOB, text: 'his reply', createdAt: 2 };
  const c = conversation({ author: BOB, comments: [opening, reply] });
  const { actions, calls } = recordingActions();
  const root = mount(state({ self: ALICE, moderator, anchored: [c] }), actions);
  const comment = (id: string) => byId(root, 'comment').find((e) => e.dataset.id === id)!;
  return { c, opening, reply, root, calls, comment };
}

it("a moderator may delete someone else's conversation, asked first with the author named; it is sent once confirmed", () => {
  const { c, root, calls } = bobsCard(true);
  press(byId(root, 'delete-conversation')[0]!);
  expect(calls, 'one press deletes nothing').toEqual([]);
  expect(question(byId(root, 'delete-confirm')[0]!)).toBe("Delete Bob's conversation and its reply for everyone?");
  press(byId(root, 'delete-conversation-confirm')[0]!);
  expect(calls).toEqual([['deleteConversation', c.id]]);
});

it("a moderator may delete someone else's reply, asked first with the author named, but not edit it", () => {
  const { c, opening, reply, calls, comment } = bobsCard(true);
  expect(byId(comment(reply.id), 'edit-comment'), 'no Edit of words that are not theirs').toEqual([]);
  expect(byId(comment(opening.id), 'delete-comment'), 'the opening comment goes with its conversation only').toEqual([]);
  press(byId(comment(reply.id), 'delete-comment')[0]!);
  const group = byId(comment(reply.id), 'delete-comment-question')[0]!;
  expect(question(group)).toBe("Delete Bob's reply? This cannot be undone.");
  expect(document.activeElement).toBe(byId(group, 'delete-comment-cancel')[0]);
  press(byId(group, 'delete-comment-confirm')[0]!);
  expect(calls).toEqual([['deleteComment', c.id, reply.id]]);
});

it("a member sees no Delete (nor Edit) on someone else's conversation or reply", () => {
  const { root } = bobsCard(false);
  expect(byId(root, 'delete-conversation')).toEqual([]);
  expect(byId(root, 'delete-comment')).toEqual([]);
  expect(byId(root, 'edit-comment')).toEqual([]);
});

it("a moderator's own items are asked about as anyone's own are, without a name", () => {
  const mine = conversation({ author: ALICE, comments: [{ id: uuid(), author: ALICE, text: 'mine', createdAt: 1 }, { id: uuid(), author: ALICE, text: 'me again', createdAt: 2 }] });
  const root = mount(state({ self: ALICE, moderator: true, anchored: [mine] }), recordingActions().actions);
  press(byId(root, 'delete-conversation')[0]!);
  expect(question(byId(root, 'delete-confirm')[0]!)).toBe('Delete this conversation and its reply for everyone?');
  press(byId(root, 'delete-comment')[0]!);
  expect(question(byId(root, 'delete-comment-question')[0]!)).toBe('Delete this reply? This cannot be undone.');
  expect(byId(root, 'edit-comment')).toHaveLength(2);
});
