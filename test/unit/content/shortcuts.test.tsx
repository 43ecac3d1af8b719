// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { NOTHING_SELECTED, STILL_WRITING } from '../../../extension/content/shortcuts.js';
import { byId, container, startApp } from './app-harness.js';
import { ALICE, conversation } from './fixtures.js';

/**
 * The browser's keyboard shortcuts as the tab gets them: a `command` message from the worker over the
 * tab's port (background/commands.ts relays it), through the real controller and UI (the browser's port
 * is the one thing stood in for). They do what the page's own controls do: the Annotate button's
 * composer on the selection, the bar's panel toggle, with focus taken to the panel and given back.
 */
let teardown: AbortController;

beforeEach(() => {
  teardown = new AbortController();
  // jsdom lays nothing out and has no scrollIntoView (the panel scrolls to a new conversation).
  Element.prototype.scrollIntoView ??= () => {};
  document.body.innerHTML = '<p>alpha beta gamma</p><button id="page-button">page</button>';
});

afterEach(() => {
  teardown.abort();
  document.getSelection()?.removeAllRanges();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

async function live() {
  const app = startApp(teardown.signal);
  await app.settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'localhost/', conversations: [conversation({ author: ALICE })] });
  await app.settle();
  /** The worker relays a shortcut the browser says was pressed in this tab. */
  const press = async (command: unknown) => {
    port.deliver({ type: 'command', command });
    await app.settle();
  };
  return { ...app, port, press };
}

/** Selects `word` in the page, as a reader does, without waiting for the page's report of it (selection/watch.ts waits 100 ms). */
function select(word: string) {
  const text = document.querySelector('p')!.firstChild as Text;
  const at = text.data.indexOf(word);
  document.getSelection()!.setBaseAndExtent(text, at, text, at + word.length);
}

const one = (id: string) => byId(container, id)[0];

describe('the toggle-panel shortcut', () => {
  it('opens the panel with focus on its heading, and closing it by the shortcut gives focus back to where it was in the page', async () => {
    const { press } = await live();
    const pageButton = document.getElementById('page-button')!;
    pageButton.focus();
    expect(one('panel'), 'no panel before the shortcut').toBeUndefined();

    await press('toggle-panel');
    expect(one('panel'), 'the panel after the shortcut').toBeDefined();
    expect(one('panel-toggle')!.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement, 'focus on the panel heading').toBe(one('panel')!.querySelector('h2'));

    await press('toggle-panel');
    expect(one('panel'), 'the panel after the second press').toBeUndefined();
    expect(one('panel-toggle')!.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement, 'focus back on the page').toBe(pageButton);
  });

  it('takes focus once per opening: a card the user moves to keeps it through later renders', async () => {
    const { press, port, settle } = await live();
    await press('toggle-panel');
    const card = one('conversation')!;
    card.focus();
    // Anything that renders the panel again (here a viewer arriving) does not pull focus back to the heading.
    port.deliver({ type: 'presence', viewers: 3, users: [ALICE] });
    await settle();
    expect(document.activeElement).toBe(card);
  });

  it('expands a collapsed bar as it opens the panel, as the popup\'s "Show conversations" does', async () => {
    const { press, settle } = await live();
    act(() => one('topbar-toggle')!.click());
    await settle();
    expect(one('panel-toggle'), 'the bar collapsed').toBeUndefined();

    await press('toggle-panel');
    expect(one('panel-toggle')!.getAttribute('aria-expanded')).toBe('true');
    expect(one('panel')).toBeDefined();
  });
});

describe('the annotate-selection shortcut', () => {
  it('opens the composer on the text selected now, with the caret in it, as the Annotate button does', async () => {
    const { press } = await live();
    select('beta');
    await press('annotate-selection');
    const composer = one('composer');
    expect(composer, 'the composer').toBeDefined();
    expect(composer!.textContent).toContain('beta');
    expect(document.activeElement).toBe(composer!.querySelector('textarea'));
  });

  it('with nothing selected, says so in the error notice (an alert), each press alike, and opens nothing', async () => {
    const { press } = await live();
    await press('annotate-selection');
    expect(one('composer')).toBeUndefined();
    expect(one('error')!.textContent).toBe(NOTHING_SELECTED);
    expect(one('error')!.closest('[role="alert"]')).not.toBeNull();

    // A second press is a change of the alert too, so it is heard again (state/announce.ts, sayAgain).
    await press('annotate-selection');
    expect(one('error')!.textContent!.trimEnd()).toBe(NOTHING_SELECTED);
    expect(one('error')!.textContent).not.toBe(NOTHING_SELECTED);

    // Then with a selection: the composer opens and the notice, no longer true, goes.
    select('gamma');
    await press('annotate-selection');
    expect(one('composer')).toBeDefined();
    expect(one('error')).toBeUndefined();
  });

  it('counts a selection inside Gloss\'s own UI as nothing selected', async () => {
    const { press } = await live();
    const count = one('panel-toggle')!.firstChild as Text;
    document.getSelection()!.setBaseAndExtent(count, 0, count, 5);
    await press('annotate-selection');
    expect(one('composer')).toBeUndefined();
    expect(one('error')!.textContent).toBe(NOTHING_SELECTED);
  });

  it('does not replace a comment being written: its words stay, and the user is told why', async () => {
    const { press } = await live();
    select('beta');
    await press('annotate-selection');
    const field = one('composer')!.querySelector('textarea')!;
    field.value = 'half a thought';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    select('gamma');
    await press('annotate-selection');
    expect(one('composer')!.textContent).toContain('beta');
    expect(one('composer')!.querySelector('textarea')!.value).toBe('half a thought');
    expect(one('error')!.textContent).toBe(STILL_WRITING);
  });
});

it('drops a command message that is not a shortcut of the manifest, as any message that fails its schema', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const { press, port, settle } = await live();
  select('beta');
  await press('delete-everything');
  port.deliver({ type: 'command', command: 'toggle-panel', tabId: 4 });
  await settle();
  expect(one('composer')).toBeUndefined();
  expect(one('panel')).toBeUndefined();
  expect(one('error')).toBeUndefined();
  expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
    expect.stringContaining('dropped a message from the background ("command") at command'),
    expect.stringContaining('dropped a message from the background ("command")'),
  ]);
});

describe('the shortcuts’ keys on the controls they stand for', () => {
  it('the bar’s toggle carries the keys the worker says toggle-panel has now, and nothing once it is unbound', async () => {
    const { port, settle } = await live();
    const toggle = () => one('panel-toggle')!;
    expect(toggle().title, 'before the worker says').toBe('Show conversations');
    expect(toggle().hasAttribute('aria-keyshortcuts')).toBe(false);

    port.deliver({ type: 'shortcut-keys', keys: { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Ctrl+Shift+Comma' } });
    await settle();
    expect(toggle().title).toBe('Show conversations (Ctrl+Shift+Comma)');
    expect(toggle().getAttribute('aria-keyshortcuts')).toBe('Control+Shift+,');

    // Rebound to nothing: no key is shown that no longer works.
    port.deliver({ type: 'shortcut-keys', keys: { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': null } });
    await settle();
    expect(toggle().title).toBe('Show conversations');
    expect(toggle().hasAttribute('aria-keyshortcuts')).toBe(false);
  });

  it('a message of keys that fails its schema changes nothing', async () => {
    const { port, settle } = await live();
    port.deliver({ type: 'shortcut-keys', keys: { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Alt+Shift+G' } });
    await settle();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const keys of [{ 'toggle-panel': 'X'.repeat(41), 'annotate-selection': null }, { 'toggle-panel': 'Alt+Shift+P' }, { 'toggle-panel': 7, 'annotate-selection': null }]) port.deliver({ type: 'shortcut-keys', keys });
    await settle();
    expect(one('panel-toggle')!.title).toBe('Show conversations (Alt+Shift+G)');
    expect(warn).toHaveBeenCalled();
  });
});
