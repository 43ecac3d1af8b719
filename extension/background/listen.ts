import { listen, type BrowserEvent } from '../shared/listen.js';

// Moved to shared/ for the popup, which registers a browser event too; the worker's modules still import them from here.
export { listen, type BrowserEvent };

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
