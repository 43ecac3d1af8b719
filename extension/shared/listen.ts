/** A browser event (runtime.onConnect, storage.onChanged…), as both polyfill and chrome.* shape it. */
export interface BrowserEvent<F> {
  addListener(fn: F): void;
  removeListener(fn: F): void;
}

/** Registers `fn` until `signal` aborts, so a teardown (the worker's, a page's, tests') removes every listener. */
export function listen<F>(event: BrowserEvent<F>, fn: F, signal: AbortSignal): void {
  if (signal.aborted) return;
  event.addListener(fn);
  signal.addEventListener('abort', () => event.removeListener(fn), { once: true });
}
