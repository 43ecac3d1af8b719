import type { ShortcutKeys } from '../../protocol/runtime.js';
import { sameKeys } from '../shared/shortcut-keys.js';
import { listen, type BrowserEvent } from '../shared/listen.js';

/** Where the popup learns that the keys may have changed. */
export interface KeyChanges {
  /** Firefox's `commands.onChanged` (a rebinding in Manage Extension Shortcuts); Chromium has none. */
  changed: BrowserEvent<() => void> | undefined;
  /** The page's own window and document: back in focus, or shown again. */
  window: Pick<Window, 'addEventListener'>;
  document: Pick<Document, 'addEventListener' | 'visibilityState'>;
}

/**
 * Shows the shortcuts' keys (`read`, `commands.getAll()`) as the page opens and again whenever they
 * may have changed, until `signal` aborts: the popup and the settings page stay open while the user
 * rebinds a key in the browser's own settings, and read once they kept showing the old key. Firefox
 * says so (`commands.onChanged`); Chromium says nothing, and its settings are a tab of their own
 * (chrome://extensions/shortcuts), so the keys are read again when this page is back in focus or
 * shown, as the worker does for the tabs (background/shortcut-keys.ts).
 *
 * Only the latest read is shown: an earlier one answering late would bring back a key already
 * changed. A read that fails (null) keeps what is shown.
 */
export function followShortcutKeys(read: () => Promise<ShortcutKeys | null>, on: KeyChanges, show: (keys: ShortcutKeys) => void, signal: AbortSignal): void {
  let asked = 0;
  let shown: ShortcutKeys | null = null;
  const readAgain = () => {
    const ask = ++asked;
    void read().then((keys) => {
      if (keys === null || ask !== asked || signal.aborted || (shown !== null && sameKeys(shown, keys))) return;
      shown = keys;
      show(keys);
    });
  };
  if (signal.aborted) return;
  readAgain();
  if (on.changed) listen(on.changed, readAgain, signal);
  on.window.addEventListener('focus', readAgain, { signal });
  on.document.addEventListener('visibilitychange', () => on.document.visibilityState === 'visible' && readAgain(), { signal });
}
