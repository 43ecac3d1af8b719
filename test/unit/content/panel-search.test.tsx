// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { SEARCH_SETTLE_MS } from '../../../extension/content/ui/PanelSearch.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';
import { byId, mount, recordingActions, rerender, state } from './app-harness.js';

/**
 * The panel's search field and quick filters (extension/content/ui/PanelSearch.tsx, Panel.tsx) in
 * jsdom: what the list shows as the user types and as live changes come, what the screen reader is
 * told, and the keys.
 */

const says = (c: LocalConversation, text: string, rest: Partial<LocalConversation> = {}): LocalConversation =>
  conversation({ author: rest.author ?? BOB, comments: [{ id: uuid(), author: rest.author ?? BOB, text, createdAt: 1 }], ...rest, id: c.id });

const budget = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'The budget is too high', createdAt: 1 }] });
const crème = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'Crème brûlée recipe' }] }, comments: [{ id: uuid(), author: BOB, text: 'Tasty', createdAt: 1 }] });
const done = conversation({ author: BOB, resolved: true, comments: [{ id: uuid(), author: BOB, text: 'Budget settled', createdAt: 1 }] });
const mine = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'Who checks this?', createdAt: 1 }, { id: uuid(), author: ALICE, text: 'I do', createdAt: 2 }] });
const all = [budget, crème, done, mine];

/** The ids of the cards the panel shows (a hidden card's wrapper has `hidden`). */
const shown = (root: HTMLElement) => byId(root, 'conversation').filter((c) => !c.closest('[hidden]')).map((c) => c.dataset.id);
const field = (root: HTMLElement) => byId(root, 'search')[0] as HTMLInputElement;
const countOf = (root: HTMLElement) => byId(root, 'search-count')[0]?.textContent ?? null;
const told = (root: HTMLElement) => byId(root, 'announcer')[0]!.textContent!.trim();
const press = (el: Element, key: string) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true }));
  });

/** Types `text` into the field as one input, then lets the pause pass. */
function type(root: HTMLElement, text: string, settle = true) {
  const input = field(root);
  input.focus();
  act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  if (settle) act(() => void vi.advanceTimersByTime(SEARCH_SETTLE_MS));
}
const choose = (root: HTMLElement, mode: string) => act(() => byId(root, `filter-${mode}`)[0]!.click());

describe('panel search', () => {
  Element.prototype.scrollIntoView ??= () => {};
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is a labelled search field that filters by every word, ignoring case and accents, once typing pauses', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    expect(byId(root, 'search-area')[0]!.getAttribute('role')).toBe('search');
    expect(field(root).getAttribute('aria-label')).toBe('Search the conversations');
    expect(shown(root)).toEqual(all.map((c) => c.id));
    expect(countOf(root)).toBeNull();

    type(root, 'BUDGET', false);
    expect(shown(root), 'nothing filtered before the pause').toHaveLength(4);
    act(() => void vi.advanceTimersByTime(SEARCH_SETTLE_MS));
    expect(shown(root)).toEqual([budget.id, done.id]);
    expect(countOf(root)).toBe('2 of 4 conversations');
    expect(field(root).getAttribute('aria-describedby')).toBe(byId(root, 'search-count')[0]!.id);
    expect(told(root)).toBe('2 of 4 conversations');

    type(root, '  creme   BRULEE ');
    expect(shown(root)).toEqual([crème.id]);
    type(root, 'bob tasty');
    expect(shown(root), 'an author\u2019s name and a comment').toEqual([crème.id]);
    type(root, 'budget tasty');
    expect(shown(root)).toEqual([]);
    expect(byId(root, 'search-empty')[0]!.textContent).toContain('No conversation matches');
    expect(countOf(root)).toBe('0 of 4 conversations');
  });

  it('quick filters: open, resolved and mine, combined with the words', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    choose(root, 'resolved');
    expect(shown(root)).toEqual([done.id]);
    expect(told(root)).toBe('1 of 4 conversations');
    choose(root, 'open');
    expect(shown(root)).toEqual([budget.id, crème.id, mine.id]);
    type(root, 'budget');
    expect(shown(root)).toEqual([budget.id]);
    choose(root, 'mine');
    expect(shown(root)).toEqual([]);
    type(root, '');
    expect(shown(root), 'replied to by the user').toEqual([mine.id]);
    choose(root, 'all');
    expect(shown(root)).toHaveLength(4);
    expect(countOf(root)).toBeNull();
    expect(told(root)).toBe('All 4 conversations shown');
  });

  it('the clear button and Escape empty the field and show every conversation; Escape on an empty field closes the panel', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    expect(byId(root, 'search-clear')).toHaveLength(0);
    type(root, 'tasty');
    expect(shown(root)).toEqual([crème.id]);
    const clear = byId(root, 'search-clear')[0]!;
    expect(clear.getAttribute('aria-label')).toBe('Clear the search');
    act(() => clear.click());
    expect(field(root).value).toBe('');
    expect(shown(root)).toHaveLength(4);
    expect(document.activeElement).toBe(field(root));

    type(root, 'tasty');
    press(field(root), 'Escape');
    expect(field(root).value).toBe('');
    expect(shown(root)).toHaveLength(4);
    expect(calls.map((c) => c[0])).not.toContain('togglePanel');
    press(field(root), 'Escape');
    expect(calls.map((c) => c[0])).toContain('togglePanel');
  });

  it('live changes are filtered as they come: a matching new conversation shows, others stay hidden, an edit that stops matching hides', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    type(root, 'budget');
    const fresh = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'New budget line', createdAt: 3 }] });
    const other = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'Unrelated', createdAt: 4 }] });
    rerender(state({ anchored: [...all, fresh, other] }), actions);
    expect(shown(root)).toEqual([budget.id, done.id, fresh.id]);
    expect(countOf(root)).toBe('3 of 6 conversations');
    rerender(state({ anchored: [says(budget, 'Costs are fine'), crème, done, mine, fresh, other] }), actions);
    expect(shown(root)).toEqual([done.id, fresh.id]);
    rerender(state({ anchored: [crème, done, mine, other] }), actions);
    expect(shown(root)).toEqual([done.id]);
    expect(told(root), 'live changes are not read out').toBe('2 of 4 conversations');
  });

  it('the open conversation stays under any filter, and the card being written in is not hidden by a change the user did not make', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    type(root, 'budget');
    expect(shown(root)).toEqual([budget.id, done.id]);
    // A highlight of a conversation the search hides is clicked on the page: the panel shows it, marked.
    rerender(state({ anchored: all, activeId: crème.id }), actions);
    expect(shown(root)).toEqual([budget.id, crème.id, done.id]);
    expect(byId(root, 'filter-kept').map((n) => n.closest('.entry')!.querySelector<HTMLElement>('[data-testid="conversation"]')!.dataset.id)).toEqual([crème.id]);
    expect(countOf(root), 'the kept card is not counted as a match').toBe('2 of 4 conversations');
    // A new search keeps it too: its highlight stays the open one's, so its card stays to say why.
    type(root, 'high');
    expect(shown(root)).toEqual([budget.id, crème.id]);
    expect(byId(root, 'filter-kept')).toHaveLength(1);

    // The open conversation stops matching by someone else's edit: it stays.
    rerender(state({ anchored: all, activeId: budget.id }), actions);
    rerender(state({ anchored: [says(budget, 'Costs are fine'), crème, done, mine], activeId: budget.id }), actions);
    expect(shown(root)).toEqual([budget.id]);
    expect(byId(root, 'filter-kept')).toHaveLength(1);
    expect(byId(root, 'search-empty'), 'and no match is said').toHaveLength(1);

    // A reply being typed in a card that is not the open one, when someone else's edit makes it stop matching.
    type(root, 'tasty');
    rerender(state({ anchored: all, activeId: null }), actions);
    expect(shown(root)).toEqual([crème.id]);
    const reply = root.querySelector<HTMLTextAreaElement>(`[data-testid="conversation"][data-id="${crème.id}"] [data-testid="reply-input"]`)!;
    act(() => reply.focus());
    rerender(state({ anchored: [budget, says(crème, 'Bland'), done, mine] }), actions);
    expect(shown(root)).toEqual([crème.id]);
    expect(document.activeElement).toBe(reply);
    // Focus moves on, to the search field: the card left is filtered again.
    act(() => field(root).focus());
    expect(shown(root)).toEqual([]);
  });

  it('hiding and showing cards does not render them again (the filter changes a wrapper’s hidden, not a card)', () => {
    const quiet = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'quiet', createdAt: 1 }] });
    const loud = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'loud', createdAt: 1 }] });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [quiet, loud] }), actions);
    // Changed in place, which the real model never does: only a render of the card would show it.
    (quiet as { resolved: boolean }).resolved = true;
    type(root, 'loud');
    expect(shown(root)).toEqual([loud.id]);
    type(root, '');
    expect(shown(root)).toEqual([quiet.id, loud.id]);
    const label = root.querySelector(`[data-testid="conversation"][data-id="${quiet.id}"] [data-testid="resolve"]`)!.textContent;
    expect(label, 'the hidden and shown card was not rendered again').toBe('Resolve');
  });

  it('the filter is kept when the panel is closed and opened again', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    type(root, 'tasty');
    choose(root, 'open');
    rerender(state({ anchored: all, panelOpen: false }), actions);
    rerender(state({ anchored: all, panelOpen: true }), actions);
    expect(field(root).value).toBe('tasty');
    expect(byId(root, 'filter-open')[0]!.getAttribute('aria-pressed')).toBe('true');
    expect(byId(root, 'filter-all')[0]!.getAttribute('aria-pressed')).toBe('false');
    expect(shown(root)).toEqual([crème.id]);
  });

  it('marks the words that matched in the quotes, comments and names of the cards, as text, until the search is cleared', () => {
    const html = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'Café <b>budget</b> at https://example.org/budget', createdAt: 1 }] });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [crème, html, budget] }), actions);
    const marks = (c: LocalConversation, testId: string) =>
      [...root.querySelectorAll(`[data-testid="conversation"][data-id="${c.id}"] [data-testid="${testId}"] mark`)].map((m) => m.textContent);
    expect(root.querySelectorAll('mark')).toHaveLength(0);

    type(root, 'creme BOB');
    expect(marks(crème, 'quote'), 'across accents and case').toEqual(['Crème']);
    expect(marks(crème, 'comment-author')).toEqual(['Bob']);
    expect(marks(html, 'comment-author'), 'a card the filter hides marks nothing').toEqual([]);

    type(root, 'cafe budget');
    expect(shown(root)).toEqual([html.id]);
    expect(marks(html, 'comment-text'), 'every place, in a link too').toEqual(['Café', 'budget', 'budget']);
    const text = root.querySelector(`[data-testid="conversation"][data-id="${html.id}"] [data-testid="comment-text"]`)!;
    expect(text.querySelector('b'), 'the comment\u2019s HTML stays text').toBeNull();
    expect(text.textContent).toBe('Café <b>budget</b> at https://example.org/budget');
    expect(text.querySelector('a mark')?.textContent).toBe('budget');
    expect(text.querySelector('a')!.textContent).toBe('https://example.org/budget');

    type(root, '');
    expect(root.querySelectorAll('mark')).toHaveLength(0);
    expect(text.textContent).toBe('Café <b>budget</b> at https://example.org/budget');
  });

  it('marks a card that a quick filter or a live change shows, with the same words', () => {
    const { actions } = recordingActions();
    const root = mount(state({ anchored: all }), actions);
    const marksIn = (id: string) => [...root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] mark`)].map((m) => m.textContent);
    choose(root, 'open');
    type(root, 'budget');
    expect(shown(root)).toEqual([budget.id]);
    expect([marksIn(budget.id), marksIn(done.id)]).toEqual([['budget'], []]);
    choose(root, 'all');
    expect(marksIn(done.id), 'shown by All').toEqual(['Budget']);
    const fresh = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'A budget, live', createdAt: 3 }] });
    rerender(state({ anchored: [...all, fresh] }), actions);
    expect(marksIn(fresh.id), 'come live').toEqual(['budget']);
    rerender(state({ anchored: [says(budget, 'Costs are fine'), crème, done, mine, fresh] }), actions);
    expect(marksIn(budget.id), 'edited so it no longer matches').toEqual([]);
  });

  it('marks hundreds of cards a slice at a time, all of them in the end, and a newer search takes over', () => {
    // 90 cards (fewer than the panel renders at first) of nine texts each: a quote, four names, four comments.
    const many = Array.from({ length: 90 }, (_, i) => conversation({ author: BOB, comments: [1, 2, 3, 4].map((j) => ({ id: uuid(), author: BOB, text: `Budget line ${i}.${j}`, createdAt: j })) }));
    const { actions } = recordingActions();
    const root = mount(state({ anchored: many }), actions);
    type(root, 'budget');
    expect(root.querySelectorAll('mark').length, 'the first slice').toBeLessThan(360);
    act(() => void vi.runAllTimers());
    expect(root.querySelectorAll('mark')).toHaveLength(360);
    type(root, 'line');
    act(() => void vi.runAllTimers());
    expect([...root.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(many.flatMap(() => ['line', 'line', 'line', 'line']));
    type(root, 'budget');
    type(root, '');
    act(() => void vi.runAllTimers());
    expect(root.querySelectorAll('mark'), 'the newer search wins').toHaveLength(0);
  });

  it('takes the words as text, whatever they hold', () => {
    const hostile = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: '<img src=x onerror=alert(1)> look', createdAt: 1 }] });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [hostile, budget] }), actions);
    type(root, '<img src=x');
    expect(shown(root)).toEqual([hostile.id]);
    expect(root.querySelector('img')).toBeNull();
    type(root, '.*');
    expect(shown(root)).toEqual([]);
  });
});
