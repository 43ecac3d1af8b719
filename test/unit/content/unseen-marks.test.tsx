// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, BOB, conversation } from './fixtures.js';
import { mount, recordingActions, state } from './app-harness.js';
import { startTestController } from './controller-harness.js';

/**
 * What is new since the user's last visit (content/state/unseen.ts): a badge in words on the card,
 * said in the card's accessible name too, and the count in the bar's toggle; the mark goes once the
 * conversation is opened, and the worker is told.
 */
describe('unseen marks on the cards and the toggle', () => {
  Element.prototype.scrollIntoView ??= () => {};
  const cardOf = (root: HTMLElement, id: string) => [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((e) => e.dataset.id === id)!;
  /** What a screen reader names an element by its content: its text, less what is aria-hidden. */
  const spoken = (el: Element): string =>
    [...el.childNodes].map((n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : n instanceof Element && n.getAttribute('aria-hidden') !== 'true' ? spoken(n) : '')).join('');
  /** What the eye reads: the text, less what is for screen readers only. */
  const seen = (el: Element): string => [...el.childNodes].map((n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : n instanceof Element && !n.classList.contains('sr-only') ? seen(n) : '')).join('');

  it('badges a new card "New" and one with new replies "New replies", in its name too; the others carry neither', () => {
    const fresh = conversation({ author: BOB });
    const replied = conversation();
    const plain = conversation();
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [fresh, replied, plain], unseen: new Map([[fresh.id, 'new'], [replied.id, 'replies']]) }), actions);
    const badge = (id: string) => cardOf(root, id).querySelector('[data-testid="unseen-note"]')?.textContent ?? null;
    expect(badge(fresh.id)).toBe('New');
    expect(badge(replied.id)).toBe('New replies');
    expect(badge(plain.id)).toBeNull();
    expect(cardOf(root, fresh.id).getAttribute('aria-label')).toBe('Conversation by Bob on “quoted words”, new');
    expect(cardOf(root, replied.id).getAttribute('aria-label')).toBe('Conversation by Alice on “quoted words”, new replies');
    expect(cardOf(root, plain.id).getAttribute('aria-label')).toBe('Conversation by Alice on “quoted words”');
  });

  it('says in the toggle how many are new: "Conversations (3 · 2 new)", named "Conversations (3, 2 new)"; without any, as before', () => {
    const list = [conversation(), conversation(), conversation()];
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list, unseen: new Map([[list[0]!.id, 'new'], [list[2]!.id, 'replies']]) }), actions);
    const toggle = root.querySelector<HTMLElement>('[data-testid="panel-toggle"]')!;
    expect(seen(toggle)).toBe('Conversations (3 · 2 new)');
    expect(spoken(toggle)).toBe('Conversations (3, 2 new)');
    const plain = mount(state({ anchored: list }), actions).querySelector<HTMLElement>('[data-testid="panel-toggle"]')!;
    expect(seen(plain)).toBe('Conversations (3)');
    expect(spoken(plain)).toBe('Conversations (3)');
  });
});

describe('unseen marks in the controller', () => {
  let controller: AbortController;
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = '<p>some quoted words here</p>';
  });
  afterEach(() => {
    controller.abort();
    document.body.innerHTML = '';
    vi.useRealTimers();
  });

  it('takes the worker\'s first list, drops a mark when its conversation is opened and tells the worker, keeps the marks through a restarted worker\'s list, and counts only those listed', async () => {
    const started = startTestController();
    controller = started.controller;
    const { ports, view } = started;
    await vi.advanceTimersByTimeAsync(0);
    const [a, b, gone] = [conversation({ author: BOB }), conversation({ author: BOB }), conversation({ author: BOB })];
    ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    ports[0]!.deliver({ type: 'snapshot', pageKey: 'x', conversations: [a, b] });
    ports[0]!.deliver({ type: 'unseen', conversations: [{ id: a.id, kind: 'new' }, { id: b.id, kind: 'replies' }, { id: gone.id, kind: 'new' }] });
    await vi.advanceTimersByTimeAsync(50);
    expect([...view.state!.unseen]).toEqual([[a.id, 'new'], [b.id, 'replies']]);

    // Opened with the panel closed, it does not show open yet: the mark stays until it does.
    view.actions!.focusConversation(a.id);
    await vi.advanceTimersByTimeAsync(50);
    expect(view.state!.unseen.has(a.id)).toBe(true);
    view.actions!.togglePanel();
    await vi.advanceTimersByTimeAsync(50);
    expect([...view.state!.unseen]).toEqual([[b.id, 'replies']]);
    expect(ports[0]!.sent).toContainEqual({ type: 'seen', id: a.id });

    // The worker restarts: its list, from the cache as it finds it, does not take the tab's marks away.
    ports[0]!.drop();
    await vi.advanceTimersByTimeAsync(5_000);
    ports.at(-1)!.deliver({ type: 'unseen', conversations: [] });
    await vi.advanceTimersByTimeAsync(50);
    expect([...view.state!.unseen]).toEqual([[b.id, 'replies']]);
    // A list that fails its schema is dropped.
    ports.at(-1)!.deliver({ type: 'unseen', conversations: [{ id: b.id, kind: 'edited' }] });
  });
});
