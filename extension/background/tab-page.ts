import type { TabPage } from '../../protocol/runtime.js';
import { tryNormalizePageUrl } from '../../protocol/url.js';

/** What the browser says about a tab (`tabs.get`); `url` only where Gloss has host access. */
export interface TabInfo {
  status?: string;
  url?: string;
}

/**
 * Sites where the browsers let no extension run, though their addresses are plain https: the
 * extension stores (Chrome also hides their address, Firefox does not) and Firefox's
 * `extensions.webextensions.restrictedDomains`.
 */
const NO_EXTENSIONS = new Set([
  'chromewebstore.google.com',
  'microsoftedge.microsoft.com',
  'accounts-static.cdn.mozilla.net',
  'accounts.firefox.com',
  'addons.cdn.mozilla.net',
  'addons.mozilla.org',
  'api.accounts.firefox.com',
  'content.cdn.mozilla.net',
  'discovery.addons.mozilla.org',
  'install.mozilla.org',
  'oauth.accounts.firefox.com',
  'profile.accounts.firefox.com',
  'support.mozilla.org',
  'sync.services.mozilla.com',
]);

function extensionsBarred(url: URL): boolean {
  return NO_EXTENSIONS.has(url.hostname) || (url.hostname === 'chrome.google.com' && url.pathname.startsWith('/webstore'));
}

/**
 * Why a tab has no content script connected. The browser shows Gloss a tab's address only where
 * Gloss may run (its host access), so a tab without one is a browser page (chrome://, about:, the
 * new tab page, another extension's page) or a site the user did not give Gloss access to.
 */
export function tabPageWithoutScript(tab: TabInfo | null): Exclude<TabPage, 'annotatable'> {
  if (tab === null) return 'unsupported';
  // "Loading" is the browser's own word (`tabs.get`, refreshed on `tabs.onUpdated`), never a page's
  // message, and it comes before the address: a loading tab's script may simply not be there yet. A
  // tab whose script is connected is annotatable whatever its status (popup.ts asks here only without
  // one): Chromium 156 runs Gloss on a page whose image still loads, `live` at readyState `interactive`.
  if (tab.status === 'loading') return 'loading';
  if (tab.url === undefined || tryNormalizePageUrl(tab.url) === null) return 'unsupported';
  return extensionsBarred(new URL(tab.url)) ? 'unsupported' : 'not-running';
}
