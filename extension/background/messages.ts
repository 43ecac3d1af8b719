import { FromPage, POPUP_PORT, PopupToBackground } from '../../protocol/runtime.js';
import { tryNormalizePageUrl, withoutAnchor } from '../../protocol/url.js';
import { parseOrDrop } from '../../protocol/validate.js';

/**
 * The checks at the worker's doors. Whatever fails is dropped with a warning that names the problem
 * but not the payload (a payload is a user's text and has no place in logs).
 */

/** The parts of runtime.MessageSender used here (the same in Chrome and Firefox). */
export interface SenderLike {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export function parseContentMessage(raw: unknown): FromPage | null {
  return parseOrDrop(FromPage, raw, 'a message from a page');
}

/** The port was opened by one of this extension's own pages (the popup, the settings page), not a content script. */
export function fromExtensionPage(sender: SenderLike | undefined, runtimeId: string, extensionBaseUrl: string): boolean {
  return sender !== undefined && sender.id === runtimeId && typeof sender.url === 'string' && sender.url.startsWith(extensionBaseUrl);
}

/**
 * The tab a popup port is about, from its name (protocol/runtime.ts, `popupPortName`): the popup is
 * an extension page, so the browser gives no tab for it, and only the popup knows which tab it was
 * opened on. A popup port is only taken from this extension's own pages. Content scripts share the
 * extension id, so the id is not enough: the sender's URL must be one of our pages. (`sender.tab`
 * cannot tell them apart: the popup page opened in a tab, as the settings page and the E2E tests
 * open it, has a tab too.) Null, with a warning, for anything else.
 */
export function popupPortTab(name: string, sender: SenderLike | undefined, runtimeId: string, extensionBaseUrl: string): number | null {
  if (!name.startsWith(`${POPUP_PORT} `)) return null;
  if (!fromExtensionPage(sender, runtimeId, extensionBaseUrl)) {
    console.warn('[gloss] refused a popup port that did not come from an extension page');
    return null;
  }
  const named = name.slice(POPUP_PORT.length + 1);
  const tabId = /^\d{1,15}$/.test(named) ? Number(named) : NaN;
  if (!Number.isSafeInteger(tabId)) {
    console.warn('[gloss] refused a popup port that names no tab');
    return null;
  }
  return tabId;
}

export function parsePopupMessage(raw: unknown): PopupToBackground | null {
  return parseOrDrop(PopupToBackground, raw, 'a message from the popup');
}

export interface PortOrigin {
  tabId: number;
  /** What the server is told: the page's address without credentials, tracking parameters or a fragment that is not a route. */
  url: string;
  pageKey: string;
}

/** The URL to send for a page: rebuilt from its key, so nothing the key drops ever leaves the browser. */
export function wireUrl(rawUrl: string, pageKey: string): string {
  const scheme = rawUrl.slice(0, rawUrl.indexOf(':') + 1).toLowerCase();
  const rebuilt = `${scheme}//${pageKey}`;
  if (tryNormalizePageUrl(rebuilt) === pageKey) return rebuilt;
  // Not expected; then at least strip what must never leave the browser.
  const url = new URL(withoutAnchor(rawUrl));
  url.username = '';
  url.password = '';
  return url.href;
}

/**
 * Whether `url` is the very address the worker sends for `pageKey` (wireUrl): what a stored record
 * (an outbox row, a tab's visit) must hold, or a change filed under one page would be sent as made
 * on another, or with credentials or an anchor the key leaves out.
 */
export function isWireUrl(url: string, pageKey: string): boolean {
  return tryNormalizePageUrl(url) === pageKey && wireUrl(url, pageKey) === url;
}

/**
 * Where a page port comes from. The tab and the origin are taken from what the browser says about
 * the sender (a page can claim anything in a message). The address is the one the content script
 * read as it opened the port: the sender's stays at the address the document was loaded with, and a
 * single-page app moves on with history.pushState. That address is taken only within the sender's
 * origin, where the page could have moved by itself anyway (pushState cannot leave it). Null for
 * pages that cannot be annotated, for sub-frames, and for an address of another origin.
 */
export function portOrigin(sender: SenderLike | undefined, runtimeId: string, address: string): PortOrigin | null {
  if (sender === undefined || sender.id !== runtimeId) return null;
  const tabId = sender.tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return null;
  if (sender.frameId !== undefined && sender.frameId !== 0) return null;
  if (typeof sender.url !== 'string' || tryNormalizePageUrl(sender.url) === null) return null;
  const pageKey = tryNormalizePageUrl(address);
  if (pageKey === null) return null;
  if (new URL(address).origin !== new URL(sender.url).origin) {
    console.warn('[gloss] dropped a page port whose address is not of its sender\'s origin');
    return null;
  }
  return { tabId, url: wireUrl(address, pageKey), pageKey };
}
