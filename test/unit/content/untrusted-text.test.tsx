// @vitest-environment jsdom
import { afterEach, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PointedCards } from '../../../extension/content/state/pointed-cards.js';
import { App } from '../../../extension/content/ui/App.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { NO_SHORTCUT_KEYS } from '../../../protocol/runtime.js';
import { ALICE, conversation, uuid } from './fixtures.js';

/**
 * Names, comments and quotes come from anyone on the page: shown exactly as text, each in an element
 * of its own whose direction comes from its own first letters (dir="auto", which also isolates it),
 * so a right-to-left override in one cannot run on into the time, the buttons or the next comment.
 */

const noop = () => null;
const actions = new Proxy({}, { get: () => noop }) as unknown as Actions;
let container: HTMLElement;
afterEach(() => {
  render(null, container);
  container.remove();
});

const RLO = '\u202e';
const TRICKY = {
  name: `${RLO}nimdA <b>`,
  text: `line one\n<script>x()</script>\u200b\u200d${RLO}gnp.exe\nلا ${'x'.repeat(200)}`,
  quote: `${RLO}quote\u2066 with isolate`,
};

it('shows tricky names, comments and quotes as exact text, each isolated with dir="auto"', () => {
  const c = conversation({
    target: { selector: [{ type: 'TextQuoteSelector', exact: TRICKY.quote }] },
    comments: [
      { id: uuid(), author: { id: 'm', name: TRICKY.name }, text: TRICKY.text, createdAt: 1 },
      { id: uuid(), author: ALICE, text: 'next', createdAt: 2 },
    ],
  });
  const s: ViewState = {
    connection: 'live', reason: null, self: ALICE, moderator: false, viewers: 1, users: [ALICE], anchored: [c], orphaned: [], deleted: new Set(), panelOpen: true, panelFocus: null, topbarCollapsed: false,
    activeId: null, unseen: new Map(), pointed: new PointedCards(), affordance: null, composer: { left: 0, top: 0, quote: TRICKY.quote }, error: null, shortcutKeys: NO_SHORTCUT_KEYS, announcement: null, undo: null, restoring: null, refusedEdits: new Map(),
  };
  container = document.createElement('div');
  document.body.appendChild(container);
  act(() => render(<App state={s} actions={actions} />, container));
  const one = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
  expect(container.querySelector('b, script')).toBeNull();
  expect(one('comment-author').textContent).toBe(TRICKY.name);
  expect(one('comment-text').textContent).toBe(TRICKY.text);
  expect(one('quote').textContent).toBe(TRICKY.quote);
  expect(container.querySelector('.composer .quote')!.textContent).toBe(TRICKY.quote);
  for (const el of [one('comment-author'), one('comment-text'), one('quote'), container.querySelector('.composer .quote')!, one('reply-input'), container.querySelector('.composer textarea')!]) {
    expect(el.getAttribute('dir'), el.outerHTML.slice(0, 60)).toBe('auto');
  }
});
