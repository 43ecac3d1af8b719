// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { HIGHLIGHT, HIGHLIGHT_ACTIVE, HIGHLIGHT_HOVER } from '../../../extension/content/highlighter/highlights.js';
import { sameIds } from '../../../extension/content/highlighter/hit-test.js';
import { REST_MS } from '../../../extension/content/highlighter/hover.js';
import { createModel, shownHover, shownPointed } from '../../../extension/content/state/model.js';
import { PointedCards } from '../../../extension/content/state/pointed-cards.js';
import { byId, mount, recordingActions, startPanelWith, state } from './app-harness.js';
import { ALICE, conversation } from './fixtures.js';

/**
 * Linked hover (docs/architecture.md): the card pointed at or focused draws its highlight
 * `gloss-hover`, the pointer on highlighted text in the page marks its cards. The state's rules, then
 * the real controller and UI over a fake port.
 *
 * jsdom has no CSS Custom Highlight API and lays nothing out: a registry and Highlight of the API's
 * shape stand in for the browser's, and `caretPositionFromPoint` for its layout (x is taken as the
 * offset in the page's one text node). The browsers' own are read in test/e2e/linked-hover.test.ts.
 */

describe('the state', () => {
  it('the hovered card is painted only while the panel is open; the pointed cards likewise', () => {
    const model = createModel();
    model.hoveredCard = 'b';
    model.pointedInPage = ['b', 'c'];
    expect(shownHover(model), 'closed').toBeNull();
    expect([...shownPointed(model)], 'closed').toEqual([]);
    model.panelOpen = true;
    expect(shownHover(model)).toBe('b');
    expect([...shownPointed(model)].sort()).toEqual(['b', 'c']);
    model.hoveredCard = null;
    model.pointedInPage = [];
    expect(shownHover(model)).toBeNull();
    expect(shownPointed(model).size).toBe(0);
  });

  it('the same conversations under the pointer, in any order, are no change', () => {
    expect(sameIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameIds([], [])).toBe(true);
    expect(sameIds(['a'], ['a', 'b'])).toBe(false);
    expect(sameIds(['a', 'b'], ['a', 'c'])).toBe(false);
  });
});

describe('cards rendered again', () => {
  Element.prototype.scrollIntoView ??= () => {};
  const resolveLabel = (root: HTMLElement, c: LocalConversation) => byId(root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${c.id}"]`)!, 'resolve')[0]!.textContent;

  it('the pointer moving between highlights renders the cards it enters and leaves, no other, and not the panel', () => {
    const list = [conversation(), conversation(), conversation()];
    const [a, b, c] = list as [LocalConversation, LocalConversation, LocalConversation];
    const { actions } = recordingActions();
    const pointed = new PointedCards();
    pointed.set(new Set([a.id]));
    const root = mount(state({ anchored: list, pointed }), actions);
    expect(root.querySelector(`[data-id="${a.id}"]`)!.getAttribute('data-pointed')).toBe('true');
    // Changed in place, which the real model never does: only a card rendered again shows it.
    for (const x of list) (x as { resolved: boolean }).resolved = true;
    // As the controller does it: no render of the App, the cards told.
    act(() => pointed.set(new Set([b.id])));
    expect(list.map((x) => resolveLabel(root, x)), 'A left, B entered, C untouched').toEqual(['Reopen', 'Reopen', 'Resolve']);
    const marked = [...root.querySelectorAll<HTMLElement>('[data-pointed="true"]')].map((e) => e.dataset.id);
    expect(marked).toEqual([b.id]);
    expect(root.querySelector(`[data-id="${c.id}"]`)!.classList.contains('pointed')).toBe(false);
  });
});

describe('through the controller', () => {
  type Registry = Map<string, Set<Range> & { priority?: number }>;
  const win = window as unknown as { CSS?: { highlights: Registry }; Highlight?: unknown };
  /** The document as the hit-test reads it (highlighter/hit-test.ts), its caret method ours to set. */
  const doc = document as unknown as { caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null };
  let teardown: AbortController;
  let text: Text;
  let carets = 0;
  beforeEach(() => {
    win.CSS = { highlights: new Map() };
    win.Highlight = class extends Set<Range> {
      priority = 0;
      constructor(...ranges: Range[]) {
        super(ranges);
      }
    };
    teardown = new AbortController();
    document.body.insertAdjacentText('afterbegin', 'alpha beta quoted words gamma and other words');
    text = document.body.firstChild as Text;
    carets = 0;
    doc.caretPositionFromPoint = (x) => {
      carets++;
      return { offsetNode: text, offset: x };
    };
    Element.prototype.scrollIntoView = () => {};
  });
  afterEach(() => {
    teardown.abort();
    delete win.CSS;
    delete win.Highlight;
    delete doc.caretPositionFromPoint;
    document.body.textContent = '';
  });

  const hover = () => [...(win.CSS!.highlights.get(HIGHLIGHT_HOVER) ?? [])].map((r) => r.toString());
  const card = (id: string) => byId(document, 'conversation').find((e) => e.dataset.id === id)!;
  const pointed = () => byId(document, 'conversation').filter((e) => e.dataset.pointed === 'true').map((e) => e.dataset.id);
  const frame = () => act(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  /** The pointer rested long enough for its cards to be marked (highlighter/hover.ts). */
  const rest = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, REST_MS + 20)));
  /** The pointer at offset `at` of the page's text. */
  const moveTo = (at: number) => void document.body.dispatchEvent(new MouseEvent('pointermove', { clientX: at, clientY: 1, bubbles: true }));
  const quoted = () => conversation({ author: ALICE });
  const other = () => conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
  /** "words gamma": its first word is inside "quoted words". */
  const overlapping = () => conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'words gamma' }] } });

  it('the pointer on a card, then focus in one: its ranges alone are gloss-hover, between the yellow and the orange; none once it leaves, or the panel closes', async () => {
    const c = quoted();
    const o = other();
    const app = await startPanelWith(teardown.signal, c, o);
    expect(hover()).toEqual([]);

    act(() => void byId(card(o.id), 'quote')[0]!.dispatchEvent(new MouseEvent('pointerover', { bubbles: true })));
    await app.settle();
    expect(hover(), 'pointed at').toEqual(['other words']);
    expect(win.CSS!.highlights.get(HIGHLIGHT)!.size, 'the others still marked').toBe(2);
    expect([HIGHLIGHT, HIGHLIGHT_HOVER].map((n) => win.CSS!.highlights.get(n)!.priority)).toEqual([0, 1]);

    act(() => void byId(document, 'panel')[0]!.dispatchEvent(new MouseEvent('pointerleave')));
    await app.settle();
    expect(hover(), 'the pointer gone').toEqual([]);

    act(() => byId(card(c.id), 'reply-input')[0]!.focus());
    await app.settle();
    expect(hover(), 'focus in a card').toEqual(['quoted words']);
    // The pointer wins over focus while it is on a card.
    act(() => void card(o.id).dispatchEvent(new MouseEvent('pointerover', { bubbles: true })));
    await app.settle();
    expect(hover(), 'the pointer on another card').toEqual(['other words']);
    act(() => void byId(document, 'panel')[0]!.dispatchEvent(new MouseEvent('pointerleave')));
    await app.settle();
    expect(hover(), 'back to the focused one').toEqual(['quoted words']);

    act(() => byId(document, 'panel-close')[0]!.click());
    await app.settle();
    expect(hover(), 'panel closed').toEqual([]);
  });

  it('the open conversation keeps its orange: its card pointed at draws no hover over it', async () => {
    const c = quoted();
    const o = other();
    const app = await startPanelWith(teardown.signal, c, o);
    act(() => byId(card(c.id), 'quote')[0]!.click());
    await app.settle();
    act(() => void card(c.id).dispatchEvent(new MouseEvent('pointerover', { bubbles: true })));
    await app.settle();
    expect([...win.CSS!.highlights.get(HIGHLIGHT_ACTIVE)!].map((r) => r.toString())).toEqual(['quoted words']);
    expect(hover()).toEqual([]);
    expect(win.CSS!.highlights.get(HIGHLIGHT_ACTIVE)!.priority).toBe(2);
  });

  it('the pointer resting on highlighted text marks every card under it, tested once a frame, not at all while the panel is closed', async () => {
    const c = quoted();
    const o = other();
    const w = overlapping();
    const app = await startPanelWith(teardown.signal, c, o, w);
    const at = (phrase: string) => text.data.indexOf(phrase) + 1;

    for (let i = 0; i < 5; i++) moveTo(at('quoted'));
    await frame();
    await app.settle();
    expect(carets, 'five moves in a frame, one test').toBe(1);
    expect(pointed(), 'not yet: the pointer may be passing by').toEqual([]);
    await rest();
    expect(pointed(), 'resting').toEqual([c.id]);

    moveTo(at('words gamma'));
    await frame();
    await rest();
    expect(pointed().sort(), 'where two overlap, both').toEqual([c.id, w.id].sort());

    // Passing over another highlight on the way, each stop shorter than the rest: no card marked for it.
    const marks: string[] = [];
    const seen = new MutationObserver((records) => {
      for (const r of records) if ((r.target as HTMLElement).dataset.pointed === 'true') marks.push((r.target as HTMLElement).dataset.id!);
    });
    seen.observe(document.body, { subtree: true, attributeFilter: ['data-pointed'] });
    moveTo(at('other'));
    await frame();
    moveTo(at('alpha'));
    await frame();
    await rest();
    seen.disconnect();
    expect(pointed(), 'off the highlights').toEqual([]);
    expect(marks, 'the one passed over never marked').toEqual([]);
    expect(hover(), 'the page\u2019s pointer paints nothing in the page').toEqual([]);

    moveTo(at('other'));
    await frame();
    await rest();
    expect(pointed()).toEqual([o.id]);

    act(() => byId(document, 'panel-close')[0]!.click());
    await app.settle();
    const before = carets;
    // The first move after closing takes the marks away (a frame, no test); then nothing at all.
    moveTo(at('quoted'));
    await frame();
    moveTo(at('other'));
    moveTo(at('words gamma'));
    await frame();
    await app.settle();
    expect(carets - before, 'no hit-test while the panel is closed').toBe(0);
    app.port.deliver({ type: 'open-panel' });
    await app.settle();
    expect(pointed(), 'reopened: nothing left marked from before').toEqual([]);
  });
});
