/** The part of the worker's global scope this reads. */
export interface NetworkScope {
  readonly navigator: { readonly onLine: boolean };
  addEventListener(type: 'online' | 'offline', listener: () => void, options: { signal: AbortSignal }): void;
}

/**
 * Calls `back` when the browser goes from offline to online. The `online` event is the signal, but
 * Chromium's service worker was seen with `navigator.onLine` turning true and no event (Chromium
 * 156, the network emulated offline then online by DevTools), so the flag is read every `pollMs`
 * as well. A timer does not keep a worker alive, and reading a boolean costs nothing.
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
