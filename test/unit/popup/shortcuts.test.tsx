// @vitest-environment jsdom
import { afterEach, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { FIREFOX_WHERE, Shortcuts, type ShortcutSettings } from '../../../extension/popup/Shortcuts.js';
import type { ShortcutKeys } from '../../../protocol/runtime.js';

/** The popup's "Shortcuts": the keys the browser has now for each, and where to change them. */
let container: HTMLElement | null = null;
afterEach(() => {
  if (container) render(null, container);
  container?.remove();
  container = null;
});

function show(keys: ShortcutKeys, settings: ShortcutSettings) {
  container = document.createElement('div');
  document.body.appendChild(container);
  act(() => render(<Shortcuts keys={keys} settings={settings} />, container!));
  const rows = [...container.querySelectorAll<HTMLElement>('[data-testid="popup-shortcut"]')];
  return {
    rows: rows.map((r) => [r.dataset.command, r.textContent, r.querySelector('kbd')?.textContent ?? null]),
    change: container.querySelector<HTMLButtonElement>('[data-testid="shortcuts-change"]'),
    where: container.querySelector('[data-testid="shortcuts-where"]')?.textContent ?? null,
  };
}

it('lists each shortcut with the keys it has now, "not set" for one unbound, and opens Chromium’s shortcut settings', () => {
  let opened = 0;
  const { rows, change, where } = show({ 'annotate-selection': 'Ctrl+Shift+Comma', 'toggle-panel': null }, { open: () => opened++ });
  expect(rows).toEqual([
    ['annotate-selection', 'Ctrl+Shift+Comma Annotate the selected text', 'Ctrl+Shift+Comma'],
    ['toggle-panel', 'not set Show or hide the conversations', null],
  ]);
  expect(where).toBeNull();
  expect(change!.textContent).toBe('Change shortcuts');
  act(() => change!.click());
  expect(opened).toBe(1);
});

it('in Firefox, says where its shortcut settings are, having no address to open', () => {
  const { rows, change, where } = show({ 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Alt+Shift+G' }, 'firefox');
  expect(rows.map((r) => r[2])).toEqual(['Alt+Shift+M', 'Alt+Shift+G']);
  expect(change).toBeNull();
  expect(where).toBe(FIREFOX_WHERE);
});

it('shows a key as text: what the browser gives is never markup', () => {
  const { rows } = show({ 'annotate-selection': '<img src=x onerror=alert(1)>', 'toggle-panel': null }, 'firefox');
  expect(rows[0]![2]).toBe('<img src=x onerror=alert(1)>');
  expect(container!.querySelector('img')).toBeNull();
});
