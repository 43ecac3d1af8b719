/** The part of the worker's global scope this reads. */
export interface NetworkScope {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: 'online' | 'offline', listener: () => void, options: { signal: AbortSignal }): void;
}

/** What to do when the browser's network changes. */
export interface NetworkChanges {
  /** The browser went from offline to online. */
  back(): void;
  /** The browser has no network: called when it goes offline, and at once when it is offline from the start. */
  gone(): void;
}

/**
 * Tells `changes` when the browser goes offline and when it comes back. The `online`/`offline`
 * events are the signal where there are some (Firefox's background page), but Chromium fires none in
 * any worker, a service worker included (Chromium 156: `'ononline' in self` is false, and none came
 * on a real loss and return of the network, test/e2e/network-online.test.ts), while the worker's
 * `navigator.onLine` does follow the network. So the flag is read every `pollMs` as well: in
 * Chromium that is what tells the worker either way. A timer does not keep a worker alive, and
 * reading a boolean costs nothing.
 *
 * The state is not kept anywhere: a restarted worker reads `navigator.onLine` again, which is why an
 * offline start is reported at once.
 */
export function watchOnline(scope: NetworkScope, changes: NetworkChanges, signal: AbortSignal, pollMs = 1_000): void {
  let online = scope.navigator.onLine;
  const now = (value: boolean) => {
    if (value === online) return;
    online = value;
    if (value) changes.back();
    else changes.gone();
  };
  scope.addEventListener('online', () => now(true), { signal });
  scope.addEventListener('offline', () => now(false), { signal });
  const timer = setInterval(() => now(scope.navigator.onLine), pollMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  if (!online) changes.gone();
}
