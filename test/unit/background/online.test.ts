import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { watchOnline, type NetworkScope } from '../../../extension/background/online.js';

/**
 * A worker's global scope as the browser presents it: `navigator.onLine` and the online/offline
 * events. Chromium's service worker was seen flipping the flag without the event, so both ways count.
 */
class Scope extends EventTarget implements NetworkScope {
  navigator = { onLine: true };
  go(onLine: boolean, withEvent: boolean) {
    this.navigator.onLine = onLine;
    if (withEvent) this.dispatchEvent(new Event(onLine ? 'online' : 'offline'));
  }
}

let lifetime: AbortController;
beforeEach(() => {
  vi.useFakeTimers();
  lifetime = new AbortController();
});
afterEach(() => {
  lifetime.abort();
  vi.useRealTimers();
});

it('calls back once when the network comes back, told by the online event', () => {
  const scope = new Scope();
  const back = vi.fn();
  watchOnline(scope, back, lifetime.signal);
  scope.go(false, true);
  scope.go(true, true);
  vi.advanceTimersByTime(5_000);
  expect(back).toHaveBeenCalledTimes(1);
});

it('calls back when navigator.onLine turns true with no event, as Chromium’s service worker shows it', () => {
  const scope = new Scope();
  const back = vi.fn();
  watchOnline(scope, back, lifetime.signal);
  scope.go(false, false);
  vi.advanceTimersByTime(2_000);
  scope.go(true, false);
  vi.advanceTimersByTime(2_000);
  expect(back).toHaveBeenCalledTimes(1);
});

it('never calls back while the network stays up, nor after the worker’s teardown', () => {
  const scope = new Scope();
  const back = vi.fn();
  watchOnline(scope, back, lifetime.signal);
  vi.advanceTimersByTime(5_000);
  scope.go(true, true);
  lifetime.abort();
  scope.go(false, true);
  scope.go(true, true);
  vi.advanceTimersByTime(5_000);
  expect(back).not.toHaveBeenCalled();
});
