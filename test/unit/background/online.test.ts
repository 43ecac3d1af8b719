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

/** What watchOnline told, in order. */
function told(scope: Scope) {
  const calls: ('back' | 'gone')[] = [];
  watchOnline(scope, { back: () => calls.push('back'), gone: () => calls.push('gone') }, lifetime.signal);
  return calls;
}

it('calls back once when the network comes back, told by the online event', () => {
  const scope = new Scope();
  const calls = told(scope);
  scope.go(false, true);
  scope.go(true, true);
  vi.advanceTimersByTime(5_000);
  expect(calls).toEqual(['gone', 'back']);
});

it('calls back when navigator.onLine turns true with no event, as Chromium’s service worker shows it', () => {
  const scope = new Scope();
  const calls = told(scope);
  scope.go(false, false);
  vi.advanceTimersByTime(2_000);
  scope.go(true, false);
  vi.advanceTimersByTime(2_000);
  expect(calls).toEqual(['gone', 'back']);
});

it('says the network is gone at once on the offline event, without waiting for the poll', () => {
  const scope = new Scope();
  const calls = told(scope);
  scope.go(false, true);
  expect(calls).toEqual(['gone']);
  // The poll then reads the same: not told twice.
  vi.advanceTimersByTime(5_000);
  expect(calls).toEqual(['gone']);
});

it('says the network is gone within a poll when navigator.onLine turns false with no event, as in Chromium’s service worker', () => {
  const scope = new Scope();
  const calls = told(scope);
  scope.go(false, false);
  vi.advanceTimersByTime(1_000);
  expect(calls).toEqual(['gone']);
  vi.advanceTimersByTime(5_000);
  expect(calls).toEqual(['gone']);
});

it('a worker that starts with the browser offline is told at once, and back when the network is', () => {
  const scope = new Scope();
  scope.navigator.onLine = false;
  const calls = told(scope);
  expect(calls).toEqual(['gone']);
  vi.advanceTimersByTime(3_000);
  scope.go(true, false);
  vi.advanceTimersByTime(1_000);
  expect(calls).toEqual(['gone', 'back']);
});

it('tells nothing while the network stays up, nor after the worker’s teardown', () => {
  const scope = new Scope();
  const calls = told(scope);
  vi.advanceTimersByTime(5_000);
  scope.go(true, true);
  lifetime.abort();
  scope.go(false, true);
  scope.go(true, true);
  scope.go(false, false);
  vi.advanceTimersByTime(5_000);
  expect(calls).toEqual([]);
});
