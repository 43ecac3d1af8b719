import browser from 'webextension-polyfill';
import type { RuntimePort } from '../../protocol/port.js';
import { popupPortName, SETTINGS_PORT, type ShortcutKeys } from '../../protocol/runtime.js';
import type { BrowserEvent } from '../shared/listen.js';
import { readShortcutKeys, rebindingEvent } from '../shared/shortcut-keys.js';
import type { ShortcutSettings } from './Shortcuts.js';

/** The popup's only ways to reach the rest of the extension: the active tab, and a port to the background. */
export async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

/** A port to the background about tab `tabId`: the background pushes that tab's state over it (tab-port.ts). */
export function connectToTab(tabId: number): RuntimePort {
  return browser.runtime.connect({ name: popupPortName(tabId) });
}

/** Reloads the tab, which starts Gloss on a page that was open before it was installed or updated. */
export async function reloadTab(tabId: number): Promise<void> {
  await browser.tabs.reload(tabId);
}

/**
 * Runs `save` with the settings port open (protocol/runtime.ts, SETTINGS_PORT): its close, when the
 * save is over or this page closes in the middle of it, has the background read the settings again.
 * An extension that is gone (reloaded) cannot be told; the save still goes to storage.
 */
export async function withSettingsPort<T>(save: () => Promise<T>): Promise<T> {
  let port: RuntimePort | null = null;
  try {
    port = browser.runtime.connect({ name: SETTINGS_PORT });
  } catch {
    // The next background reads the settings as it starts.
  }
  try {
    return await save();
  } finally {
    try {
      port?.disconnect();
    } catch {
      // Already gone.
    }
  }
}

/** The shortcuts' keys now; null when the browser would not say (the popup then shows no keys at all rather than guessed ones). */
export function shortcutKeys(): Promise<ShortcutKeys | null> {
  return readShortcutKeys(() => browser.commands.getAll());
}

/** Firefox's event for a rebinding (`commands.onChanged`); Chromium has none, so undefined there. */
export function shortcutKeysChanged(): BrowserEvent<() => void> | undefined {
  return rebindingEvent(browser.commands);
}

/**
 * Chromium's shortcut settings: a browser page no web page may link to, but an extension page may
 * open in a tab. Firefox's are a panel of about:addons with no address of their own (and an
 * extension may not open about:addons), so the popup says the way there instead.
 */
export function shortcutSettings(): ShortcutSettings {
  if (location.protocol === 'moz-extension:') return 'firefox';
  return { open: () => void browser.tabs.create({ url: 'chrome://extensions/shortcuts' }) };
}
