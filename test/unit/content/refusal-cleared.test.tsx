// @vitest-environment jsdom
import { expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { Actions } from '../../../extension/content/view.js';
import { byId, mount, recordingActions, state } from './app-harness.js';
import { ALICE, conversation, uuid } from './fixtures.js';

/**
 * A refusal under a card's field ("Write something first", too long, ...) answers one press: it
 * stays while the words it speaks of are there, and goes once the user types in that field or the
 * words are sent. Left up, it told a user who had moved on that something was still wrong (UX review).
 */

const REFUSE = 'Write something first';

/** Types `text` into `field` as a browser does: the value changes, then an input event. */
const type = (field: HTMLTextAreaElement, text: string) =>
  act(() => {
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });

function twoCards() {
  const { actions, calls } = recordingActions();
  let answer: string | null = REFUSE;
  const refusing: Actions = { ...actions, reply: (...args) => (actions.reply(...args), answer), editComment: (...args) => (actions.editComment(...args), answer) };
  const a = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'first', createdAt: 1 }] });
  const b = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'second', createdAt: 2 }] });
  const root = mount(state({ anchored: [a, b] }), refusing);
  const card = (id: string) => byId(root, 'conversation').find((e) => e.dataset.id === id)!;
  const problems = (id: string) => [...card(id).querySelectorAll('.problem')].map((p) => p.textContent!.trim());
  return { a, b, card, problems, calls, accept: () => void (answer = null) };
}

it("an empty Reply's refusal stays until the user types in that card's reply field, and goes when the reply is sent", () => {
  const { a, b, card, problems, accept } = twoCards();
  act(() => byId(card(a.id), 'reply-submit')[0]!.click());
  act(() => byId(card(b.id), 'reply-submit')[0]!.click());
  expect(problems(a.id)).toEqual([REFUSE]);
  expect(problems(b.id)).toEqual([REFUSE]);

  // Typing in one card's field clears that card's refusal only.
  type(byId(card(a.id), 'reply-input')[0] as HTMLTextAreaElement, 'n');
  expect(problems(a.id)).toEqual([]);
  expect(problems(b.id), 'kept while the other field is as it was').toEqual([REFUSE]);

  // Refused again, it is told again; sent, it goes.
  act(() => byId(card(a.id), 'reply-submit')[0]!.click());
  expect(problems(a.id)).toEqual([REFUSE]);
  accept();
  act(() => byId(card(a.id), 'reply-submit')[0]!.click());
  expect(problems(a.id)).toEqual([]);
});

it("an edit's refusal goes too once the user types in the edit field", () => {
  const { a, card, problems } = twoCards();
  act(() => byId(card(a.id), 'edit-comment')[0]!.click());
  const field = byId(card(a.id), 'edit-input')[0] as HTMLTextAreaElement;
  type(field, '');
  act(() => byId(card(a.id), 'edit-save')[0]!.click());
  expect(problems(a.id)).toEqual([REFUSE]);
  type(field, 'f');
  expect(problems(a.id)).toEqual([]);
});

it("the new conversation's refusal goes too once the user types in the composer", () => {
  const { actions } = recordingActions();
  const refusing: Actions = { ...actions, submitComposer: (...args) => (actions.submitComposer(...args), REFUSE) };
  const root = mount(state({ composer: { left: 10, top: 20, quote: 'the words' } }), refusing);
  const problem = () => byId(root, 'composer-problem').map((p) => p.textContent!.trim());
  act(() => byId(root, 'composer-submit')[0]!.click());
  expect(problem()).toEqual([REFUSE]);
  type(byId(root, 'composer')[0]!.querySelector('textarea')!, 'n');
  expect(problem()).toEqual([]);
  act(() => byId(root, 'composer-submit')[0]!.click());
  expect(problem(), 'told again at the next press').toEqual([REFUSE]);
});
