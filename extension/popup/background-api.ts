import browser from 'webextension-polyfill';
import type { PopupToBackground, TabState } from '../../protocol/runtime.js';
import { parseTabState } from './tab-state.js';

/** The popup's only ways to reach the rest of the extension: the active tab, and requests to the background. */
export async function activeTabId(): Promise<number | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

async function request(message: PopupToBackground): Promise<unknown> {
  return browser.runtime.sendMessage(message);
}

export async function fetchTabState(tabId: number): Promise<TabState | null> {
  return parseTabState(await request({ type: 'tab-state', tabId }));
}

/** Reloads the tab, which starts Gloss on a page that was open before it was installed or updated. */
export async function reloadTab(tabId: number): Promise<void> {
  await browser.tabs.reload(tabId);
}

export async function openPanel(tabId: number): Promise<boolean> {
  const answer = await request({ type: 'open-panel', tabId });
  return typeof answer === 'object' && answer !== null && (answer as { ok?: unknown }).ok === true;
}
