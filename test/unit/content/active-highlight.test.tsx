// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { HIGHLIGHT, HIGHLIGHT_ACTIVE } from '../../../extension/content/highlighter/highlights.js';
import { byId, startPanelWith } from './app-harness.js';
import { ALICE, conversation } from './fixtures.js';

/**
 * The open conversation's highlight (the active orange) is drawn only while the panel is open: closed
 * by its ×, Escape, the bar's toggle or the bar collapsing, the page shows no orange that nothing on
 * screen explains; reopened, the same conversation is the open one again, in the page and in the panel.
 * Through the real controller and UI over a fake port.
 *
 * jsdom has no CSS Custom Highlight API: a registry and Highlight of the API's shape stand in for the
 * browser's, so what the real highlighter registers can be read (the e2e test reads the browsers' own,
 * test/e2e/active-highlight.test.ts).
 */

type Registry = Map<string, Set<Range>>;
const win = window as unknown as { CSS?: { highlights: Registry }; Highlight?: unknown };
let teardown: AbortController;
beforeEach(() => {
  win.CSS = { highlights: new Map() };
  win.Highlight = class extends Set<Range> {
    constructor(...ranges: Range[]) {
      super(ranges);
    }
  };
  teardown = new AbortController();
  document.body.insertAdjacentText('afterbegin', 'alpha beta quoted words gamma and other words');
  // jsdom lays nothing out and has no scrollIntoView (the panel scrolls to the open conversation).
  Element.prototype.scrollIntoView = () => {};
});
afterEach(() => {
  teardown.abort();
  delete win.CSS;
  delete win.Highlight;
  document.body.textContent = '';
});

const registry = () => win.CSS!.highlights;
/** What the page shows: the conversations marked, and the text of the one drawn active (null: none). */
const painted = () => ({ marked: registry().get(HIGHLIGHT)?.size ?? 0, active: [...(registry().get(HIGHLIGHT_ACTIVE) ?? [])].map((r) => r.toString()) });
const thread = (id: string) => byId(document, 'conversation').find((e) => e.dataset.id === id);
const activeCards = () => byId(document, 'conversation').filter((e) => e.classList.contains('active')).map((e) => e.dataset.id);

const closings: [string, () => void][] = [
  ['its ×', () => byId(document, 'panel-close')[0]!.click()],
  ['Escape', () => void byId(document, 'search')[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))],
  ['the bar\u2019s toggle', () => byId(document, 'panel-toggle')[0]!.click()],
  ['collapsing the bar', () => byId(document, 'topbar-toggle')[0]!.click()],
];

for (const [how, close] of closings) {
  it(`the panel closed by ${how}: no highlight is drawn active; reopened, the same conversation is the open one, in the page and in its card`, async () => {
    const c = conversation({ author: ALICE });
    const other = conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
    const app = await startPanelWith(teardown.signal, c, other);
    expect(painted()).toEqual({ marked: 2, active: [] });

    act(() => byId(thread(c.id)!, 'quote')[0]!.click());
    await app.settle();
    expect(painted(), 'opened').toEqual({ marked: 2, active: ['quoted words'] });
    expect(activeCards()).toEqual([c.id]);

    // Escape is pressed where the user is: in the panel (the search field, which has nothing to empty).
    if (how === 'Escape') act(() => byId(document, 'search')[0]!.focus());
    act(close);
    await app.settle();
    expect(byId(document, 'panel'), 'closed').toEqual([]);
    expect(painted(), 'closed: nothing orange in the page').toEqual({ marked: 2, active: [] });

    // A live change while closed paints again: still nothing active.
    app.port.deliver({ type: 'upsert', conversation: { ...other, revision: other.revision + 1 } });
    await app.settle();
    expect(painted(), 'a render while closed').toEqual({ marked: 2, active: [] });

    if (how === 'collapsing the bar') {
      act(() => byId(document, 'topbar-toggle')[0]!.click());
      await app.settle();
      expect(painted(), 'the bar expanded, the panel still closed').toEqual({ marked: 2, active: [] });
    }
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await app.settle();
    expect(byId(document, 'panel'), 'reopened').toHaveLength(1);
    expect(activeCards(), 'the same card open').toEqual([c.id]);
    expect(painted(), 'and its highlight drawn active again').toEqual({ marked: 2, active: ['quoted words'] });
  });
}

it('reopened from the popup (open-panel), the open conversation is drawn active again', async () => {
  const c = conversation({ author: ALICE });
  const app = await startPanelWith(teardown.signal, c);
  act(() => byId(thread(c.id)!, 'quote')[0]!.click());
  await app.settle();
  act(() => byId(document, 'panel-close')[0]!.click());
  await app.settle();
  expect(painted().active).toEqual([]);
  app.port.deliver({ type: 'open-panel' });
  await app.settle();
  expect(activeCards()).toEqual([c.id]);
  expect(painted().active).toEqual(['quoted words']);
});

/** The entry of conversation `id` is listed (its wrapper not hidden), and whether it is marked kept by the filter. */
const listed = (id: string) => {
  const card = thread(id);
  if (card === undefined || card.closest('[hidden]')) return 'not listed';
  return card.closest('.entry')!.querySelector('[data-testid="filter-kept"]') ? 'kept' : 'listed';
};
const searchField = () => byId(document, 'search')[0] as HTMLInputElement;
/** Each step in a render of its own, as the user's presses come. */
const filterChanges: [string, (() => void)[]][] = [
  ['a quick filter it does not match', [() => byId(document, 'filter-resolved')[0]!.click()]],
  [
    'a search it does not match',
    [
      () => {
        searchField().value = 'other';
        searchField().dispatchEvent(new Event('input', { bubbles: true }));
      },
      // Enter filters at once, without the pause typing waits for.
      () => void searchField().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })),
    ],
  ],
];
for (const [how, steps] of filterChanges) {
  it(`the filter changed to ${how}: the open conversation's card stays listed, marked kept, and its highlight orange, as after reopening`, async () => {
    const c = conversation({ author: ALICE });
    const other = conversation({ author: ALICE, resolved: true, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
    const third = conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'alpha beta' }] } });
    const app = await startPanelWith(teardown.signal, c, other, third);
    act(() => byId(thread(c.id)!, 'quote')[0]!.click());
    await app.settle();
    expect(painted().active).toEqual(['quoted words']);

    for (const step of steps) act(step);
    await app.settle();
    expect([listed(other.id), listed(third.id)], 'the filter applied').toEqual(['listed', 'not listed']);
    expect(listed(c.id), 'the open card still listed, marked').toBe('kept');
    expect(activeCards()).toEqual([c.id]);
    expect(painted().active, 'its highlight, as its card says').toEqual(['quoted words']);

    act(() => byId(document, 'panel-close')[0]!.click());
    await app.settle();
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await app.settle();
    expect(listed(c.id), 'reopened: the same').toBe('kept');
    expect(activeCards()).toEqual([c.id]);
    expect(painted().active).toEqual(['quoted words']);
  });
}

// Letting go of the open conversation (docs/architecture.md, "Letting go of the open conversation"):
// its card's ×, or Escape inside the card; a click on its highlight opens it again.
const told = () => byId(document, 'announcer')[0]!.textContent!.trim();
const closeButtons = () => byId(document, 'close-conversation');
const escape = (el: Element) => act(() => void el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true, composed: true })));
/**
 * A click on the page's text at the start of `quote`, where the browser's caret would be: jsdom lays
 * nothing out and has no caretPositionFromPoint, so one stands in, giving that place; the real
 * controller's click watcher and hit test do the rest.
 */
function clickPageAt(quote: string) {
  const text = document.body.firstChild as Text;
  Object.defineProperty(document, 'caretPositionFromPoint', { configurable: true, value: () => ({ offsetNode: text, offset: text.data.indexOf(quote) + 1 }) });
  try {
    act(() => void document.body.dispatchEvent(new MouseEvent('click', { bubbles: true, button: 0, clientX: 1, clientY: 1 })));
  } finally {
    Reflect.deleteProperty(document, 'caretPositionFromPoint');
  }
}

it('the open card\u2019s \u00d7 lets it go: no highlight orange, no card open, focus on the card, told; its highlight clicked opens it again', async () => {
  const c = conversation({ author: ALICE });
  const other = conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
  const app = await startPanelWith(teardown.signal, c, other);
  expect(closeButtons(), 'none open, nothing to close').toEqual([]);
  act(() => byId(thread(c.id)!, 'quote')[0]!.click());
  await app.settle();
  const close = closeButtons();
  expect(close.map((b) => b.closest<HTMLElement>('[data-testid="conversation"]')!.dataset.id), 'on the open card only').toEqual([c.id]);
  expect(close[0]!.getAttribute('aria-label')).toBe('Close this conversation');
  expect(close[0]!.getAttribute('aria-keyshortcuts')).toBe('Escape');

  act(() => {
    close[0]!.focus();
    close[0]!.click();
  });
  await app.settle();
  expect(painted(), 'nothing orange').toEqual({ marked: 2, active: [] });
  expect(activeCards()).toEqual([]);
  expect(closeButtons()).toEqual([]);
  expect(byId(document, 'panel'), 'the panel stays open').toHaveLength(1);
  expect(listed(c.id)).toBe('listed');
  expect(document.activeElement, 'focus on the card its \u00d7 was in').toBe(thread(c.id));
  expect(told()).toBe('Conversation closed');

  clickPageAt('quoted words');
  await app.settle();
  expect(activeCards(), 'opened again from the page').toEqual([c.id]);
  expect(painted().active).toEqual(['quoted words']);
});

it('Escape inside the open card lets it go and leaves focus where it was; the next Escape closes the panel; elsewhere in the panel, Escape closes it at once', async () => {
  const c = conversation({ author: ALICE });
  const other = conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
  const app = await startPanelWith(teardown.signal, c, other);
  act(() => byId(thread(c.id)!, 'quote')[0]!.click());
  await app.settle();

  const reply = byId(thread(c.id)!, 'reply-input')[0] as HTMLTextAreaElement;
  act(() => {
    reply.focus();
    reply.value = 'half a thought';
    reply.dispatchEvent(new Event('input', { bubbles: true }));
  });
  escape(reply);
  await app.settle();
  expect(activeCards(), 'let go').toEqual([]);
  expect(painted().active).toEqual([]);
  expect(byId(document, 'panel'), 'the panel still open').toHaveLength(1);
  expect(document.activeElement, 'still in the field').toBe(reply);
  expect(reply.value).toBe('half a thought');
  expect(told()).toBe('Conversation closed');

  escape(reply);
  await app.settle();
  expect(byId(document, 'panel'), 'the second Escape closed the panel').toEqual([]);

  // Reopened: nothing open. Opened again, Escape in another card (not the open one) closes the panel at once.
  act(() => byId(document, 'panel-toggle')[0]!.click());
  await app.settle();
  expect(activeCards()).toEqual([]);
  act(() => byId(thread(c.id)!, 'quote')[0]!.click());
  await app.settle();
  const elsewhere = byId(thread(other.id)!, 'resolve')[0]!;
  act(() => elsewhere.focus());
  escape(elsewhere);
  await app.settle();
  expect(byId(document, 'panel'), 'closed by one Escape').toEqual([]);
});

for (const [how, letGo] of [
  ['its \u00d7', (id) => act(() => byId(thread(id)!, 'close-conversation')[0]!.click())],
  ['Escape in its reply field', (id) => escape(byId(thread(id)!, 'reply-input')[0]!)],
] as [string, (id: string) => void][]) {
  it(`under a filter it does not match, let go by ${how}: its card goes (no longer kept), focus on the search field, told; its highlight clicked brings it back kept`, async () => {
    const c = conversation({ author: ALICE });
    const other = conversation({ author: ALICE, resolved: true, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
    const app = await startPanelWith(teardown.signal, c, other);
    act(() => byId(thread(c.id)!, 'quote')[0]!.click());
    await app.settle();
    act(() => byId(document, 'filter-resolved')[0]!.click());
    await app.settle();
    expect(listed(c.id)).toBe('kept');
    // Where the user is when they let go: in the card.
    act(() => byId(thread(c.id)!, 'reply-input')[0]!.focus());

    letGo(c.id);
    await app.settle();
    expect(listed(c.id), 'gone with the filter').toBe('not listed');
    expect(listed(other.id)).toBe('listed');
    expect(painted().active, 'nothing orange').toEqual([]);
    expect(document.activeElement, 'focus on the search field').toBe(searchField());
    expect(told()).toBe('Conversation closed. It does not match the filter, so it is no longer listed');
    expect(byId(document, 'search-count')[0]!.textContent).toBe('1 of 2 conversations');

    clickPageAt('quoted words');
    await app.settle();
    expect(listed(c.id), 'opened again from the page').toBe('kept');
    expect(activeCards()).toEqual([c.id]);
    expect(painted().active).toEqual(['quoted words']);
  });
}

// Which card is the open one, for a screen reader (its border colour and its × alone said it to the eye only),
// and the kept note saying how to be rid of it.
const currentCards = () => byId(document, 'conversation').filter((e) => e.getAttribute('aria-current') === 'true').map((e) => e.dataset.id);
const keptNote = (id: string) => thread(id)!.closest('.entry')!.querySelector('[data-testid="filter-kept"]')?.textContent ?? null;

it('the open card alone is marked aria-current, following the open one; under a filter its kept note says how to let it go, a card kept for focus says why it stays', async () => {
  const c = conversation({ author: ALICE });
  const other = conversation({ author: ALICE, resolved: true, target: { selector: [{ type: 'TextQuoteSelector', exact: 'other words' }] } });
  const third = conversation({ author: ALICE, resolved: true, target: { selector: [{ type: 'TextQuoteSelector', exact: 'alpha beta' }] } });
  const app = await startPanelWith(teardown.signal, c, other, third);
  expect(currentCards(), 'none open').toEqual([]);
  act(() => byId(thread(c.id)!, 'quote')[0]!.click());
  await app.settle();
  expect(currentCards()).toEqual([c.id]);
  expect(thread(c.id)!.getAttribute('aria-label'), 'its name unchanged').toBe(thread(third.id)!.getAttribute('aria-label')!.replace('alpha beta', 'quoted words').replace(', resolved', ''));

  // Focus held in another card when a live change makes it stop matching: kept too, for being in it, with no × to speak of.
  act(() => byId(document, 'filter-resolved')[0]!.click());
  await app.settle();
  act(() => byId(thread(third.id)!, 'reply-input')[0]!.focus());
  app.port.deliver({ type: 'upsert', conversation: { ...third, resolved: false, revision: third.revision + 1 } });
  await app.settle();
  expect([listed(c.id), listed(third.id)]).toEqual(['kept', 'kept']);
  expect(keptNote(c.id)).toBe('Kept while it is open: it does not match the filter. Close it with its \u00d7, or Escape in it.');
  expect(keptNote(third.id)).toBe('Kept while you are in it: it does not match the filter');
  expect(currentCards(), 'the kept one in focus is not the open one').toEqual([c.id]);

  act(() => byId(document, 'panel-close')[0]!.click());
  await app.settle();
  act(() => byId(document, 'panel-toggle')[0]!.click());
  await app.settle();
  expect(currentCards(), 'reopened').toEqual([c.id]);

  act(() => byId(thread(other.id)!, 'quote')[0]!.click());
  await app.settle();
  expect(currentCards(), 'another opened').toEqual([other.id]);
  act(() => byId(thread(other.id)!, 'close-conversation')[0]!.click());
  await app.settle();
  expect(currentCards(), 'let go').toEqual([]);
});
