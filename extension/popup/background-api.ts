import browser from 'webextension-polyfill';
import type { RuntimePort } from '../../protocol/port.js';
import { popupPortName } from '../../protocol/runtime.js';

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
