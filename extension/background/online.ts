/** The part of the worker's global scope this reads. */
export interface NetworkScope {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: 'online' | 'offline', listener: () => void, options: { signal: AbortSignal }): void;
}

/**
 * Calls `back` when the browser goes from offline to online. The `online` event is the signal where
 * there is one (Firefox's background page), but Chromium fires no `online`/`offline` event in any
 * worker, a service worker included (Chromium 156: `'ononline' in self` is false, and none came on
 * a real loss and return of the network, test/e2e/network-online.test.ts), while the worker's
 * `navigator.onLine` does follow the network. So the flag is read every `pollMs` as well: in
 * Chromium that is what brings the worker back. A timer does not keep a worker alive, and reading a
 * boolean costs nothing.
 */
export function watchOnline(scope: NetworkScope, back: () => void, signal: AbortSignal, pollMs = 1_000): void {
  let online = scope.navigator.onLine;
  const now = (value: boolean) => {
    const cameBack = value && !online;
    online = value;
    if (cameBack) back();
  };
  scope.addEventListener('online', () => now(true), { signal });
  scope.addEventListener('offline', () => now(false), { signal });
  const timer = setInterval(() => now(scope.navigator.onLine), pollMs);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
