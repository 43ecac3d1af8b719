// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startTestController } from './controller-harness.js';

/**
 * A page prerendered by Speculation Rules runs its content scripts before the user opens it. Its
 * port would have the worker join the page and count the user as viewing it, maybe for a page never
 * shown. jsdom stands in for the document (headless Chromium is not made to prerender here): it
 * has no `document.prerendering`, so the test sets it as Chromium does and fires its event.
 *
 * Tried for a real-browser test (Chromium 156 headless, Dec 2026), none prerendered:
 * - A same-origin page served by the test with `<script type="speculationrules">` (list rule,
 *   eagerness `immediate`), opened by puppeteer: CDP `Preload.prerenderStatusUpdated` reports
 *   `Failure` / `PrerenderingDisabledByDevTools` (the prefetch of the same URL does run). The same
 *   with `Page.setPrerenderingAllowed({ isAllowed: true })` sent on the page's session first, and
 *   with no viewport emulation (`defaultViewport: null`): same failure. Puppeteer's own session on
 *   every page is enough to disable it.
 * - The page opened with `Target.createTarget` and kept out of puppeteer's auto-attach
 *   (`targetFilter`): no prerender target ever appears in `Target.getTargets` (and with nothing
 *   attached the reason cannot be read).
 * An e2e test that never sees `document.prerendering` true could not fail, so there is none.
 */

let controller: AbortController;
const startUrl = location.href;

function prerendering(value: boolean) {
  Object.defineProperty(document, 'prerendering', { value, configurable: true });
}

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/article-a');
  document.body.innerHTML = '<p>alpha beta gamma</p>';
});

afterEach(() => {
  controller.abort();
  delete (document as { prerendering?: boolean }).prerendering;
  document.body.innerHTML = '';
  history.replaceState(null, '', startUrl);
  vi.useRealTimers();
});

function start() {
  const started = startTestController();
  controller = started.controller;
  const { ports } = started;
  return ports;
}

it('a prerendered page opens no port until the user is shown it (prerenderingchange), then one, for the address it has then', async () => {
  prerendering(true);
  const ports = start();
  await vi.advanceTimersByTimeAsync(5_000);
  expect(ports).toHaveLength(0);

  // The page changes its address while prerendered (its router): no port for that either.
  history.pushState(null, '', '/article-b');
  await vi.advanceTimersByTimeAsync(5_000);
  expect(ports).toHaveLength(0);

  prerendering(false);
  document.dispatchEvent(new Event('prerenderingchange'));
  await vi.advanceTimersByTimeAsync(0);
  expect(ports.map((p) => new URL(p.senderUrl).pathname)).toEqual(['/article-b']);
});

it('a page that is not prerendered opens its port at once', async () => {
  prerendering(false);
  const ports = start();
  await vi.advanceTimersByTimeAsync(0);
  expect(ports).toHaveLength(1);
});
