/**
 * Calls `check` whenever the page's address may have changed without a new document: a single-page
 * app's router (history.pushState, replaceState), back and forward between such entries, fragment
 * changes. popstate and hashchange reach the content script's world; pushState and replaceState fire
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
