import browser from 'webextension-polyfill';
import { render } from 'preact';
import { pagePortName } from '../../protocol/runtime.js';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { startController } from './controller.js';
import { App } from './ui/App.js';
import { createUiRoot } from './ui/root.js';

/**
 * Content script entry: one UI root, one port, one controller. Everything registers on one
 * AbortSignal, so `teardown` removes every listener, node and highlight this script added.
 */
export function boot(doc: Document): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  // A copy left by an earlier instance of this extension (reloaded while the page stayed open) goes.
  for (const stale of doc.querySelectorAll('gloss-root')) stale.remove();
  const ui = createUiRoot(doc, signal);
  signal.addEventListener('abort', () => render(null, ui.mount), { once: true });
  startController({
    doc,
    host: ui.host,
    connect: () => browser.runtime.connect({ name: pagePortName(location.href) }),
    lastError: () => browser.runtime.lastError,
    render: (state, actions) => render(<App state={state} actions={actions} />, ui.mount),
    signal,
  });
  return () => controller.abort();
}

const MARK = '__glossTeardown';
type Marked = typeof globalThis & { [MARK]?: () => void };

// A second injection (an extension reload, a re-run) replaces the first instead of doubling the UI.
// Only http(s) pages can be annotated (the background refuses the port of any other).
if (typeof document !== 'undefined' && document.documentElement instanceof HTMLElement && tryNormalizePageUrl(location.href) !== null) {
  const g = globalThis as Marked;
  g[MARK]?.();
  g[MARK] = boot(document);
}
