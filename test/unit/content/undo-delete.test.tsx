// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { UNDO_NOTICE_MS } from '../../../extension/content/state/undo.js';
import { byId, startApp, startPanelWith } from './app-harness.js';
import { ALICE, conversation } from './fixtures.js';

/**
 * Undo of the user's own deletion, through the real controller and UI over a fake port: the notice
 * after the deletion, the restore it sends, what a refusal says, and when the notice goes.
 */

let teardown: AbortController;
beforeEach(() => {
  teardown = new AbortController();
  document.body.insertAdjacentText('afterbegin', 'alpha beta quoted words gamma');
});
afterEach(() => {
  teardown.abort();
  vi.useRealTimers();
  document.body.textContent = '';
});


const thread = (id: string) => byId(document, 'conversation').find((e) => e.dataset.id === id);
const sentOf = (port: { sent: unknown[] }, type: string) => port.sent.filter((m) => (m as { type: string }).type === type) as { broadcastId: string; id: string }[];
const announced = () => byId(document, 'announcer')[0]!.textContent;

async function deleteHere(c: LocalConversation) {
  const app = await startPanelWith(teardown.signal, c);
  act(() => byId(thread(c.id)!, 'delete-conversation')[0]!.click());
  act(() => byId(thread(c.id)!, 'delete-conversation-confirm')[0]!.click());
  await app.settle();
  // The worker takes it off the view at once (its pending deletion).
  app.port.deliver({ type: 'remove', id: c.id });
  await app.settle();
  return app;
}

it('after the user deletes a conversation, a notice offers Undo, in the panel under its heading, told to the screen reader; Undo sends a restore and the notice goes', async () => {
  const c = conversation({ author: ALICE });
  const { port, settle } = await deleteHere(c);
  expect(thread(c.id)).toBeUndefined();
  const notice = byId(document, 'undo-notice')[0]!;
  expect(notice.textContent).toMatch(/^Conversation deleted·Undo/);
  expect(notice.previousElementSibling?.tagName, 'right after the panel heading').toBe('HEADER');
  expect(announced()).toMatch(/^Conversation deleted\. Undo is offered/);
  const undo = byId(notice, 'undo-delete')[0]!;
  expect(undo.tagName, 'a real button: keyboard reachable').toBe('BUTTON');

  act(() => undo.click());
  await settle();
  const [restore] = sentOf(port, 'restore');
  expect(restore).toMatchObject({ id: c.id });
  expect(byId(document, 'undo-notice')).toEqual([]);
  expect(announced()).toBe('Conversation restored');
  // The worker shows it again (pending, then confirmed); nothing is said to be wrong.
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  port.deliver({ type: 'upsert', conversation: c });
  await settle();
  expect(thread(c.id)?.dataset.pending).toBe('false');
  expect(byId(document, 'error')).toEqual([]);
});

it('a refused undo is told as a refusal (too late), in the error notice, and the conversation stays gone', async () => {
  const c = conversation({ author: ALICE });
  const { port, settle } = await deleteHere(c);
  act(() => byId(document, 'undo-delete')[0]!.click());
  await settle();
  const [restore] = sentOf(port, 'restore');
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  port.deliver({ type: 'op-failed', broadcastId: restore!.broadcastId, id: c.id, error: { code: 'gone', message: 'deleted more than 600 s ago' } });
  port.deliver({ type: 'remove', id: c.id });
  await settle();
  expect(byId(document, 'error')[0]?.textContent).toBe('Not restored: this deletion can no longer be undone (it was too long ago, or the server needed the room).');
  expect(byId(document, 'error')[0]?.closest('[role="alert"]')).not.toBeNull();
  expect(thread(c.id)).toBeUndefined();
});

it('the notice goes after its time, which waits while focus is on it; Escape dismisses it without closing the panel', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const c = conversation({ author: ALICE });
  const app = startApp(teardown.signal);
  const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  const settle = () => advance(0);
  await settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [c] });
  port.deliver({ type: 'open-panel' });
  await settle();
  act(() => byId(thread(c.id)!, 'delete-conversation')[0]!.click());
  act(() => byId(thread(c.id)!, 'delete-conversation-confirm')[0]!.click());
  await settle();

  // Focus on Undo holds the offer past its time.
  act(() => byId(document, 'undo-delete')[0]!.focus());
  await advance(UNDO_NOTICE_MS * 2);
  expect(byId(document, 'undo-notice')).toHaveLength(1);
  // Focus leaves: the time runs again, and the notice goes.
  act(() => byId(document, 'search')[0]!.focus());
  await advance(UNDO_NOTICE_MS + 1);
  expect(byId(document, 'undo-notice')).toEqual([]);
  expect(sentOf(port, 'restore')).toEqual([]);

  // A second deletion offers its own undo; Escape on it answers the notice, the panel stays open.
  const d = conversation({ author: ALICE });
  port.deliver({ type: 'upsert', conversation: d });
  await settle();
  act(() => byId(thread(d.id)!, 'delete-conversation')[0]!.click());
  act(() => byId(thread(d.id)!, 'delete-conversation-confirm')[0]!.click());
  await settle();
  const undo = byId(document, 'undo-delete')[0]!;
  act(() => undo.focus());
  act(() => void undo.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })));
  await settle();
  expect(byId(document, 'undo-notice')).toEqual([]);
  expect(byId(document, 'panel')).toHaveLength(1);
});
