// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { UNDO_NOTICE_MS } from '../../../extension/content/state/undo.js';
import { byId, startApp, startPanelWith } from './app-harness.js';
import { ALICE, conversation } from './fixtures.js';
import type { FakePort } from './fake-port.js';

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
const heading = () => document.querySelector('[data-testid="panel"] h2');
const scrolled: Element[] = [];
beforeEach(() => {
  scrolled.length = 0;
  Element.prototype.scrollIntoView = function (this: Element) {
    scrolled.push(this);
  };
});

/** The controls Tab reaches after `from`, in order (document order: no positive tabindex in the UI). */
function tabbedAfter(from: Element): string[] {
  return [...document.querySelectorAll<HTMLElement>('button, input, textarea, a[href], [tabindex]')]
    .filter((e) => e.tabIndex >= 0 && !(e as HTMLButtonElement).disabled && !e.closest('[hidden]'))
    .filter((e) => from.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)
    .map((e) => e.dataset.testid ?? e.getAttribute('aria-label') ?? e.tagName);
}

/** A keyboard user's press: the button has focus, then its click. */
function press(button: HTMLElement) {
  act(() => button.focus());
  act(() => button.click());
}

/** The user deletes `c` with the keyboard (Delete, then the question's Delete); the worker takes it off at once. */
async function deleteByKeyboard(c: LocalConversation, { port, settle }: { port: FakePort; settle: () => Promise<void> }) {
  press(byId(thread(c.id)!, 'delete-conversation')[0]!);
  press(byId(thread(c.id)!, 'delete-conversation-confirm')[0]!);
  await settle();
  port.deliver({ type: 'remove', id: c.id });
  await settle();
}

/** On faked timers (`toFake`): the panel open on the user's own conversation, which they delete; the notice offers Undo. */
async function deletedOnFakeTimers(toFake: ('setTimeout' | 'clearTimeout' | 'requestAnimationFrame' | 'cancelAnimationFrame')[]) {
  vi.useFakeTimers({ toFake });
  const c = conversation({ author: ALICE });
  const app = startApp(teardown.signal);
  const advance = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  const settle = () => advance(0);
  await settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [c] });
  port.deliver({ type: 'open-panel' });
  await settle();
  act(() => byId(thread(c.id)!, 'delete-conversation')[0]!.click());
  act(() => byId(thread(c.id)!, 'delete-conversation-confirm')[0]!.click());
  await settle();
  return { port, advance, settle };
}

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
  // The worker shows it again (pending, then confirmed), told then; nothing is said to be wrong.
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  await settle();
  expect(announced()).toBe('Conversation restored');
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
  const { port, advance, settle } = await deletedOnFakeTimers(['setTimeout', 'clearTimeout']);

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

it('focus reaching Undo as its time ends holds the notice: the time stops in the render that notes the focus, not a frame later', async () => {
  const { advance } = await deletedOnFakeTimers(['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame']);
  await advance(UNDO_NOTICE_MS - 5);

  // Outside act(), as in a browser: the focus is rendered on its own, and effects run after the next
  // frame, which a slow machine paints late. The user reached Undo in time: it stays under their key.
  byId(document, 'undo-delete')[0]!.focus();
  await vi.advanceTimersByTimeAsync(10);
  expect(byId(document, 'undo-notice')).toHaveLength(1);
});

it('focus, with the keyboard: Delete leaves it on the panel heading, the notice right after its header; Undo keeps it there until the conversation is back, then on its card, scrolled to, open, told', async () => {
  const before = conversation({ author: ALICE });
  const c = conversation({ author: ALICE });
  const after = conversation({ author: ALICE });
  const app = await startPanelWith(teardown.signal, before, c, after);
  const { port, settle } = app;
  await deleteByKeyboard(c, { port, settle });
  expect(thread(c.id)).toBeUndefined();
  expect(document.activeElement, 'the card went: focus on the heading, not the page').toBe(heading());
  expect(heading()!.parentElement!.nextElementSibling, 'and the notice right after its header (Tab: × then Undo)').toBe(byId(document, 'undo-notice')[0]);

  press(byId(document, 'undo-delete')[0]!);
  await settle();
  expect(byId(document, 'undo-notice')).toEqual([]);
  expect(document.activeElement, 'while the conversation comes back').toBe(heading());
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  await settle();
  expect(document.activeElement).toBe(thread(c.id));
  expect(scrolled).toContain(thread(c.id));
  expect(announced()).toBe('Conversation restored');
  expect(thread(c.id)!.classList.contains('active'), 'the open one').toBe(true);

  // Confirmed, and later renders: focus is not taken again.
  act(() => byId(document, 'search')[0]!.focus());
  port.deliver({ type: 'upsert', conversation: c });
  port.deliver({ type: 'upsert', conversation: { ...after, revision: after.revision + 1 } });
  await settle();
  expect(document.activeElement).toBe(byId(document, 'search')[0]);
});

it('Tab from the panel heading, where focus is after the deletion, reaches Undo first, then the notice\'s ×; under the bar (the panel closed), Undo before its × too', async () => {
  const c = conversation({ author: ALICE });
  const app = await startPanelWith(teardown.signal, conversation({ author: ALICE }), c);
  await deleteByKeyboard(c, app);
  expect(document.activeElement).toBe(heading());
  expect(tabbedAfter(heading()!).slice(0, 3)).toEqual(['undo-delete', 'undo-dismiss', 'search']);

  act(() => byId(document, 'panel-toggle')[0]!.click());
  await app.settle();
  expect(byId(document, 'panel')).toEqual([]);
  expect(tabbedAfter(byId(document, 'panel-toggle')[0]!)).toEqual(['topbar-toggle', 'undo-delete', 'undo-dismiss']);
});

it('focus after an Undo under a search that does not match the conversation: its card is shown anyway (kept) and takes focus', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const c = conversation({ author: ALICE, comments: [{ id: crypto.randomUUID(), author: ALICE, text: 'apples', createdAt: 1 }] });
  const other = conversation({ author: ALICE, comments: [{ id: crypto.randomUUID(), author: ALICE, text: 'pears', createdAt: 1 }] });
  const app = startApp(teardown.signal);
  const settle = () => act(async () => void (await vi.advanceTimersByTimeAsync(0)));
  await settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [c, other] });
  port.deliver({ type: 'open-panel' });
  await settle();
  await deleteByKeyboard(c, { port, settle });
  const field = byId(document, 'search')[0] as HTMLInputElement;
  act(() => {
    field.value = 'pears';
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });
  act(() => void field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
  await settle();
  expect(byId(document, 'search-count')[0]!.textContent).toBe('1 of 1 conversation');

  press(byId(document, 'undo-delete')[0]!);
  await settle();
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  await settle();
  expect(thread(c.id)!.closest('[hidden]')).toBeNull();
  expect(byId(thread(c.id)!.parentElement!, 'filter-kept')).toHaveLength(1);
  expect(document.activeElement).toBe(thread(c.id));
});

it('a refused undo leaves focus where Undo left it, on the panel heading, and the refusal is an alert', async () => {
  const c = conversation({ author: ALICE });
  const { port, settle } = await deleteHere(c);
  press(byId(document, 'undo-delete')[0]!);
  await settle();
  const [restore] = sentOf(port, 'restore');
  // Shown from the worker's copy, focused, then refused and taken away.
  port.deliver({ type: 'upsert', conversation: { ...c, pending: true } });
  await settle();
  expect(document.activeElement).toBe(thread(c.id));
  port.deliver({ type: 'op-failed', broadcastId: restore!.broadcastId, id: c.id, error: { code: 'gone', message: 'deleted more than 600 s ago' } });
  port.deliver({ type: 'remove', id: c.id });
  await settle();
  expect(document.activeElement).toBe(heading());
  expect(byId(document, 'error')[0]!.closest('[role="alert"]')!.textContent).toMatch(/^Not restored/);

  // Refused before it was ever shown: focus stays on the heading, and nothing takes it later.
  const d = conversation({ author: ALICE });
  port.deliver({ type: 'upsert', conversation: d });
  await settle();
  await deleteByKeyboard(d, { port, settle });
  press(byId(document, 'undo-delete')[0]!);
  await settle();
  const [, second] = sentOf(port, 'restore');
  port.deliver({ type: 'op-failed', broadcastId: second!.broadcastId, id: d.id, error: { code: 'gone', message: 'too late' } });
  await settle();
  expect(document.activeElement).toBe(heading());
  port.deliver({ type: 'upsert', conversation: d });
  await settle();
  expect(document.activeElement, 'a later listing of it takes no focus').toBe(heading());
});

it('Undo on the notice under the bar (the panel closed): focus goes to the panel toggle above it, not the page; the conversation is not made the open one', async () => {
  const c = conversation({ author: ALICE });
  const app = await deleteHere(c);
  const { port, settle } = app;
  act(() => byId(document, 'panel-toggle')[0]!.click());
  await settle();
  expect(byId(document, 'panel')).toEqual([]);
  const notice = byId(document, 'undo-notice')[0]!;
  press(byId(notice, 'undo-delete')[0]!);
  await settle();
  expect(sentOf(port, 'restore')).toHaveLength(1);
  expect(document.activeElement).toBe(byId(document, 'panel-toggle')[0]);
  port.deliver({ type: 'upsert', conversation: c });
  await settle();
  expect(announced()).toBe('Conversation restored');
  expect(document.activeElement).toBe(byId(document, 'panel-toggle')[0]);
  // The panel opened later (from the popup: focus is nowhere) does not take focus to the card, nor
  // open it: it reopens where the user left it (state/undo.ts, settleRestoring).
  act(() => (document.activeElement as HTMLElement).blur());
  port.deliver({ type: 'open-panel' });
  await settle();
  expect(thread(c.id)).toBeDefined();
  expect(document.activeElement).toBe(document.body);
  expect(thread(c.id)!.classList.contains('active')).toBe(false);
  expect(app.view().activeId, 'the page draws none as the open one either').toBeNull();
});
