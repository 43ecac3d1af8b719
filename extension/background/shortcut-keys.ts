import type { ShortcutKeys } from '../../protocol/runtime.js';
import { readShortcutKeys, sameKeys } from '../shared/shortcut-keys.js';
import type { TabPort } from './page.js';

/**
 * Tells the tabs' scripts which keys the shortcuts have now (protocol/runtime.ts, `shortcut-keys`):
 * a content script cannot call `commands.getAll()`, and the page's Annotate button and the bar's
 * toggle carry the keys in their tooltips and `aria-keyshortcuts`. Each port is told as it opens;
 * all are told again when a new read differs. Chrome has no event for a rebinding (Firefox has
 * `commands.onChanged`), so index.ts reads again when the user may just have made one: on coming
 * back to a tab or a window (the shortcut settings are a tab of their own in both browsers).
 */
export class ShortcutKeysTeller {
  #last: ShortcutKeys | null = null;

  constructor(
    private readonly read: () => Promise<unknown>,
    private readonly ports: () => Iterable<TabPort>,
  ) {}

  /** A tab's port opened: it is told the keys as they are now. */
  async opened(port: TabPort): Promise<void> {
    const keys = await this.#read();
    if (keys === null) return;
    port.post({ type: 'shortcut-keys', keys });
    // The first read since the worker started: every port there is was opened with it, and is told by its own.
    if (this.#last === null) this.#last = keys;
    else this.#changed(keys, port);
  }

  /** The keys may have changed: read them again, and tell every tab if they did. */
  async refresh(): Promise<void> {
    const keys = await this.#read();
    if (keys !== null) this.#changed(keys, null);
  }

  #changed(keys: ShortcutKeys, told: TabPort | null): void {
    if (this.#last !== null && sameKeys(this.#last, keys)) return;
    this.#last = keys;
    for (const port of this.ports()) if (port !== told) port.post({ type: 'shortcut-keys', keys });
  }

  /** Null when the browser would not say: the tabs keep what they were told, or show none. */
  #read(): Promise<ShortcutKeys | null> {
    return readShortcutKeys(this.read);
  }
}
