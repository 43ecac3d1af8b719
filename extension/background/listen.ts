/** A browser event (runtime.onConnect, storage.onChanged…), as both polyfill and chrome.* shape it. */
export interface BrowserEvent<F> {
  addListener(fn: F): void;
  removeListener(fn: F): void;
}

/** Registers `fn` until `signal` aborts, so the worker's teardown (and tests') removes every listener. */
export function listen<F>(event: BrowserEvent<F>, fn: F, signal: AbortSignal): void {
  if (signal.aborted) return;
  event.addListener(fn);
  signal.addEventListener('abort', () => event.removeListener(fn), { once: true });
}

/**
 * A signal that ends when `port` disconnects or `lifetime` does: what a port's listeners are
 * registered with, so they go with the port. `closed` runs on the disconnect only (a worker torn
 * down is not a page leaving).
 */
export function untilDisconnect(port: { onDisconnect: BrowserEvent<(port: never) => void> }, lifetime: AbortSignal, closed: () => void = () => {}): AbortSignal {
  const open = new AbortController();
  const signal = AbortSignal.any([lifetime, open.signal]);
  listen(port.onDisconnect, () => {
    open.abort();
    closed();
  }, signal);
  return signal;
}
