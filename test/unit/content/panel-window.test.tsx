// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { SEARCH_SETTLE_MS } from '../../../extension/content/ui/PanelSearch.js';
import { WINDOW_STEP } from '../../../extension/content/ui/panel-window.js';
import { BOB, conversation, uuid } from './fixtures.js';
import { byId, mount, recordingActions, rerender, state } from './app-harness.js';

/**
 * The panel renders the first cards the filter shows and more as the user nears the end of them
 * (extension/content/ui/Panel.tsx, panel-window.ts), in jsdom. jsdom has no IntersectionObserver: the
 * one below stands in for the browser's (our code is not replaced), and the test says when the
 * "Show more" button comes near the panel's visible part, as scrolling would.
 */

class TestIntersectionObserver {
  static live = new Set<TestIntersectionObserver>();
  readonly targets = new Set<Element>();
  constructor(readonly callback: IntersectionObserverCallback) {}
  observe(target: Element) {
    this.targets.add(target);
    TestIntersectionObserver.live.add(this);
  }
  unobserve(target: Element) {
    this.targets.delete(target);
  }
  disconnect() {
    this.targets.clear();
    TestIntersectionObserver.live.delete(this);
  }
  takeRecords() {
    return [];
  }
}

/** What the browser does when `target` comes within the observer's margin (the user scrolled near it). */
function scrolledNear(target: Element) {
  const observers = [...TestIntersectionObserver.live].filter((o) => o.targets.has(target));
  act(() => {
    for (const o of observers) o.callback([{ target, isIntersecting: true } as unknown as IntersectionObserverEntry], o as unknown as IntersectionObserver);
  });
  return observers.length;
}

const says = (text: string) => conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text, createdAt: 1 }] });
/** `n` conversations in page order, the i-th saying "number i, even" or "number i, odd". */
const many = (n: number) => Array.from({ length: n }, (_, i) => says(`number ${i}, ${i % 2 === 0 ? 'even' : 'odd'}`));

/** The ids of the cards on screen (rendered, not in a hidden wrapper). */
const shown = (root: HTMLElement) => byId(root, 'conversation').filter((c) => !c.closest('[hidden]')).map((c) => c.dataset.id);
const ids = (list: readonly LocalConversation[]) => list.map((c) => c.id);
const moreButton = (root: HTMLElement) => byId(root, 'panel-more')[0];
const card = (root: HTMLElement, c: LocalConversation) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${c.id}"]`);

function search(root: HTMLElement, text: string) {
  const input = byId(root, 'search')[0] as HTMLInputElement;
  input.focus();
  act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  act(() => void vi.advanceTimersByTime(SEARCH_SETTLE_MS));
}

describe('panel window', () => {
  const scrolled: Element[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('IntersectionObserver', TestIntersectionObserver);
    scrolled.length = 0;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('renders the first cards in page order, then the next ones as the user scrolls near the end, until all are there', () => {
    const list = many(2 * WINDOW_STEP + 30);
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    expect(shown(root)).toEqual(ids(list.slice(0, WINDOW_STEP)));
    expect(byId(root, 'conversation'), 'the others are not in the DOM').toHaveLength(WINDOW_STEP);
    expect(moreButton(root)!.textContent).toBe(`Show ${WINDOW_STEP} more (${WINDOW_STEP + 30} not listed yet)`);

    expect(scrolledNear(moreButton(root)!), 'the button is watched').toBe(1);
    expect(shown(root)).toEqual(ids(list.slice(0, 2 * WINDOW_STEP)));
    expect(moreButton(root)!.textContent).toBe('Show 30 more (30 not listed yet)');
    expect(TestIntersectionObserver.live.size, 'one observer at a time').toBe(1);

    scrolledNear(moreButton(root)!);
    expect(shown(root)).toEqual(ids(list));
    expect(moreButton(root)).toBeUndefined();
    expect(TestIntersectionObserver.live.size, 'the last observer is disconnected').toBe(0);
  });

  it('"Show more" pressed renders the next cards and takes focus on to the first of them', () => {
    const list = many(WINDOW_STEP + 5);
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    const more = moreButton(root)!;
    more.focus();
    scrolledNear(more);
    expect(shown(root), 'not grown under a keyboard user on the button (it would carry focus past the new cards)').toHaveLength(WINDOW_STEP);
    act(() => more.click());
    expect(shown(root)).toEqual(ids(list));
    expect(moreButton(root)).toBeUndefined();
    expect(document.activeElement).toBe(card(root, list[WINDOW_STEP]!));
  });

  it('always renders the open conversation, in its place in page order, and keeps it while it holds focus', () => {
    const list = many(3 * WINDOW_STEP);
    const far = list[2 * WINDOW_STEP + 7]!;
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    expect(card(root, far)).toBeNull();

    // Its highlight clicked on the page: rendered after the first cards (the ones between are not), and scrolled to.
    rerender(state({ anchored: list, activeId: far.id }), actions);
    expect(shown(root)).toEqual([...ids(list.slice(0, WINDOW_STEP)), far.id]);
    expect(scrolled).toContain(card(root, far));

    // The user replies in it, then another is opened (its highlight clicked with a key, say): the card in use stays.
    const reply = card(root, far)!.querySelector<HTMLTextAreaElement>('[data-testid="reply-input"]')!;
    act(() => reply.focus());
    rerender(state({ anchored: list, activeId: list[3]!.id }), actions);
    expect(shown(root)).toContain(far.id);
    expect(document.activeElement).toBe(reply);

    // "Show more" sits where the gap is, between the first cards and it.
    const more = moreButton(root)!;
    const entryOfMore = more.closest<HTMLElement>('[role="listitem"]')!;
    expect(entryOfMore.dataset.entry, 'in the last entry of the window, after its card').toBe(list[WINDOW_STEP - 1]!.id);
    expect(more.previousElementSibling!.getAttribute('data-id')).toBe(list[WINDOW_STEP - 1]!.id);
    expect((entryOfMore.nextElementSibling as HTMLElement).dataset.entry).toBe(far.id);
    // Pressed: the next cards, in their place; focus goes on to the first of them, so the card left is
    // neither open nor in use any more, and waits for its turn, mounted with its reply.
    act(() => more.click());
    expect(shown(root)).toEqual(ids(list.slice(0, 2 * WINDOW_STEP)));
    expect(card(root, far)!.closest('[hidden]')).not.toBeNull();
  });

  it('the open conversation far down, let go of by its \u00d7, stays where the user is, focused, while focus is in it', () => {
    const list = many(3 * WINDOW_STEP);
    const far = list[2 * WINDOW_STEP + 7]!;
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: list, activeId: far.id }), actions);
    // Clicked without taking focus, as a pointer does on macOS: nothing held the card before.
    act(() => byId(card(root, far)!, 'close-conversation')[0]!.click());
    expect(calls.at(-1), 'unfiltered: it stays listed').toEqual(['closeConversation', far.id, true]);
    // The controller lets go of it: rendered past the window only while open, it is held instead.
    rerender(state({ anchored: list, activeId: null }), actions);
    expect(shown(root)).toEqual([...ids(list.slice(0, WINDOW_STEP)), far.id]);
    expect(document.activeElement, 'focus on the card its \u00d7 was in').toBe(card(root, far));
    // Focus elsewhere in the panel: it waits for its turn, as any card past the window.
    act(() => byId(root, 'search')[0]!.focus());
    expect(shown(root)).toEqual(ids(list.slice(0, WINDOW_STEP)));
  });

  it('searches every conversation, rendered or not, and counts them all', () => {
    const list = many(3 * WINDOW_STEP);
    const last = list[list.length - 1]!;
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    search(root, `number ${3 * WINDOW_STEP - 1}`);
    expect(shown(root)).toEqual([last.id]);
    expect(byId(root, 'search-count')[0]!.textContent).toBe(`1 of ${3 * WINDOW_STEP} conversations`);
    expect(moreButton(root)).toBeUndefined();

    // A search matching more than the window holds: its first matches, then more; the count is all of them.
    search(root, 'odd');
    const matching = list.filter((_, i) => i % 2 === 1);
    expect(matching.length).toBeGreaterThan(WINDOW_STEP);
    expect(shown(root)).toEqual(ids(matching.slice(0, WINDOW_STEP)));
    expect(byId(root, 'search-count')[0]!.textContent).toBe(`${matching.length} of ${3 * WINDOW_STEP} conversations`);
    scrolledNear(moreButton(root)!);
    expect(shown(root)).toEqual(ids(matching));

    // Cleared: the first cards again, and not more (the window starts over with each filter).
    search(root, '');
    expect(shown(root)).toEqual(ids(list.slice(0, WINDOW_STEP)));
    expect(card(root, last), 'a card once rendered stays mounted, hidden').not.toBeNull();
  });

  it('a live insert among the rendered cards is rendered and pushes none out; one further down waits its turn', () => {
    const list = many(2 * WINDOW_STEP);
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    const near = says('new, near the top');
    const far = says('new, further down');
    const next = [...list.slice(0, 10), near, ...list.slice(10, WINDOW_STEP + 20), far, ...list.slice(WINDOW_STEP + 20)];
    rerender(state({ anchored: next }), actions);
    expect(shown(root)).toEqual(ids([...list.slice(0, 10), near, ...list.slice(10, WINDOW_STEP)]));
    expect(moreButton(root)!.textContent).toBe(`Show ${WINDOW_STEP} more (${WINDOW_STEP + 1} not listed yet)`);

    // Removals leave the window as long: the next card moves in.
    const fewer = next.filter((c) => c.id !== list[0]!.id && c.id !== near.id);
    rerender(state({ anchored: fewer }), actions);
    expect(shown(root)).toEqual(ids(fewer.slice(0, WINDOW_STEP)));
  });

  it('the list says its whole size: each rendered card\'s entry has aria-setsize (all the filter shows) and aria-posinset (its place), through "Show more", a search, a live insert and a clear', () => {
    /** [conversation id, posinset, setsize] of each entry on screen, and the list's role. */
    const numbers = (root: HTMLElement) =>
      [...root.querySelectorAll<HTMLElement>('[role="list"] > [role="listitem"]')].filter((e) => !e.hidden).map((e) => [e.dataset.entry, e.getAttribute('aria-posinset'), e.getAttribute('aria-setsize')]);
    const expected = (list: readonly LocalConversation[], from: number, to: number, size = list.length) => list.slice(from, to).map((c, i) => [c.id, String(from + i + 1), String(size)]);
    const list = many(2 * WINDOW_STEP + 30);
    const { actions } = recordingActions();
    const root = mount(state({ anchored: list }), actions);
    expect(byId(root, 'conversation')[0]!.closest('[role="list"]'), 'the cards are in a list').not.toBeNull();
    expect(numbers(root)).toEqual(expected(list, 0, WINDOW_STEP));

    act(() => moreButton(root)!.click());
    expect(numbers(root)).toEqual(expected(list, 0, 2 * WINDOW_STEP));

    // A search: the matches only, numbered among themselves, however few are rendered.
    search(root, 'odd');
    const odd = list.filter((_, i) => i % 2 === 1);
    expect(numbers(root)).toEqual(expected(odd, 0, WINDOW_STEP));
    expect(byId(root, 'search-count')[0]!.textContent).toBe(`${odd.length} of ${list.length} conversations`);

    // A live insert near the top moves every place after it, and the size.
    const early = says('number early, odd');
    const next = [list[0]!, early, ...list.slice(1)];
    rerender(state({ anchored: next }), actions);
    const oddNow = next.filter((c) => c === early || list.indexOf(c) % 2 === 1);
    expect(numbers(root)).toEqual(expected(oddNow, 0, WINDOW_STEP + 1));

    // Cleared: every conversation again, from the first.
    search(root, '');
    expect(numbers(root)).toEqual(expected(next, 0, WINDOW_STEP));
  });

  it('lists the conversations not found on the page after the others, their heading once the window reaches them', () => {
    const anchored = many(WINDOW_STEP + 10);
    const orphaned = many(3);
    const { actions } = recordingActions();
    const root = mount(state({ anchored, orphaned }), actions);
    expect(byId(root, 'orphaned')).toHaveLength(0);
    expect(moreButton(root)!.textContent).toBe('Show 13 more (13 not listed yet)');
    scrolledNear(moreButton(root)!);
    expect(shown(root)).toEqual(ids([...anchored, ...orphaned]));
    const heading = byId(root, 'orphaned')[0]!;
    expect(heading.closest<HTMLElement>('[role="listitem"]')!.dataset.entry, 'opening the entry of the first of them').toBe(orphaned[0]!.id);
    expect(heading.nextElementSibling!.getAttribute('data-id')).toBe(orphaned[0]!.id);
  });
});
