/**
 * Calls `check` whenever the page's address may have changed without a new document: a single-page
 * app's router (history.pushState, replaceState), back and forward between such entries, fragment
 * changes. `check` decides whether that is another page, by its key: a hash router's new route
 * (`#/inbox` to `#/settings`) is, a jump to an anchor (`#section-3`) is not (protocol/url.ts, ROUTE).
 * popstate and hashchange reach the content script's world; pushState and replaceState fire
 * no event there, except through the Navigation API where the browser has it, so a poll stays as the
 * floor. Whoever acts on the address (a send) calls `check` first as well, so nothing made on the new
 * page is filed under the old one in the meantime.
 */
export function watchAddress(win: Window, check: () => void, signal: AbortSignal, pollMs = 1_000): void {
  win.addEventListener('popstate', check, { signal });
  win.addEventListener('hashchange', check, { signal });
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', check, { signal });
  const timer = setInterval(check, pollMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

/**
 * A page left for another document can be kept whole in the back/forward cache and shown again by
 * Back: the same document, content script and port object. Chromium closes the port as the page goes
 * in without telling the content script, which came back reading "live" with a count from before and
 * posting into a dead port. So the port is let go as the page goes in (the other readers see the tab
 * leave at once, in every browser) and a new one is opened when it comes back.
 */
export function watchBackForwardCache(win: Window, events: { hidden(): void; shown(): void }, signal: AbortSignal): void {
  win.addEventListener('pagehide', (e) => e.persisted && events.hidden(), { signal });
  win.addEventListener('pageshow', (e) => e.persisted && events.shown(), { signal });
}
