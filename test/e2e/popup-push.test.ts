import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { waitForViewers } from './support/gloss-ui.js';
import { openRealPopup, POPUP_PATH, popupBadge, popupViewers, tabIdOf } from './support/popup.js';
import type { StaticServer } from './support/static-server.js';
import { ALICE_AND_BOB, useGlossSession } from './support/session.js';
import { waitFor } from './support/wait.js';

/**
 * The popup is told, not asking: the worker pushes the tab's state over the popup's port when it
 * opens and whenever it changes. Here in real Chromium: a second viewer shows up in a popup whose
 * timers are frozen (so no polling can be what brought it), and a popup open while the service
 * worker is stopped reconnects to the fresh worker and keeps following the page.
 */
let pages: StaticServer;
let a: ChromiumWithGloss;
let b: ChromiumWithGloss;

useGlossSession(ALICE_AND_BOB, (s) => {
  ({ pages } = s);
  [a, b] = s.browsers as [ChromiumWithGloss, ChromiumWithGloss];
});

/**
 * Runs in the popup page before its own scripts: every timer callback (timeouts, intervals,
 * animation frames, idle callbacks) is swallowed while `__clock.frozen` is set. What reaches the page
 * then can only have come by an event: a message on the popup's port.
 */
function freezableTimers(): void {
  const clock = { frozen: false, swallowed: 0 };
  (window as unknown as { __clock: typeof clock }).__clock = clock;
  const wrap = <F extends (cb: (...args: unknown[]) => void, ...rest: never[]) => number>(schedule: F): F =>
    function (this: unknown, cb: (...args: unknown[]) => void, ...rest: never[]) {
      if (typeof cb !== 'function') return schedule.call(this, cb, ...rest);
      const held = function (this: unknown, ...args: unknown[]) {
        if (clock.frozen) {
          clock.swallowed++;
          return;
        }
        cb.apply(this, args);
      };
      return schedule.call(this, held, ...rest);
    } as F;
  window.setTimeout = wrap(window.setTimeout as never);
  window.setInterval = wrap(window.setInterval as never);
  window.requestAnimationFrame = wrap(window.requestAnimationFrame as never);
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback = wrap(window.requestIdleCallback as never);
}

const freeze = (popup: Page, frozen: boolean) => popup.evaluate((f: boolean) => void ((window as unknown as { __clock: { frozen: boolean } }).__clock.frozen = f), frozen);

/** The popup's viewers line and names, read from Node (a wait inside the page would need the page's timers). */
const popupShows = (popup: Page) =>
  popup.evaluate(() => ({
    viewers: document.querySelector('[data-testid="popup-viewers"]')?.textContent ?? null,
    names: [...document.querySelectorAll('[data-testid="popup-users"] [data-testid="popup-user-name"]')].map((n) => n.textContent ?? ''),
    frozen: (window as unknown as { __clock: { frozen: boolean } }).__clock.frozen,
  }));

it('a second viewer joining the page shows in the popup at once, with the popup\'s timers frozen: pushed, not polled', async () => {
  const url = pages.url('article.html', 'popup-push');
  const pa = await openArticle(a, url);
  let pb: Page | undefined;
  let popup: Page | undefined;
  try {
    await waitForViewers(pa, 1);
    // The popup page for Alice's tab, in a tab of its own (as the collaboration test opens it too),
    // so that the timers can be made freezable before any of its scripts runs.
    const tabId = await tabIdOf(a, pa);
    popup = await a.browser.newPage();
    a.log.watchPage(popup, 'popup');
    await popup.evaluateOnNewDocument(freezableTimers);
    await popup.goto(`${a.extensionOrigin}/${POPUP_PATH}?tabId=${tabId}`, { waitUntil: 'load' });
    const p = popup;
    await waitFor('the popup to show Alice viewing', async () => (await popupShows(p)).viewers === '1 viewing');

    await freeze(popup, true);
    pb = await openArticle(b, url);
    await waitForViewers(pb, 2);
    const shown = await waitFor('the popup to show Bob joining', async () => {
      const now = await popupShows(p);
      return now.viewers === '2 viewing' ? now : null;
    });
    expect(shown.names.sort()).toEqual(['Alice', 'Bob']);
    expect(shown.frozen).toBe(true);

    // And Bob leaving, still with nothing scheduled in the popup.
    await pb.close();
    const after = await waitFor('the popup to show Bob gone', async () => {
      const now = await popupShows(p);
      return now.viewers === '1 viewing' ? now : null;
    });
    expect(after).toEqual({ viewers: '1 viewing', names: ['Alice'], frozen: true });
  } finally {
    await closeAll(popup, pb, pa);
  }
});

it('the real popup, open while the service worker is stopped, reconnects to the fresh one and keeps following the page', async () => {
  const url = pages.url('article.html', 'popup-worker-restart');
  const pa = await openArticle(a, url);
  const pb = await openArticle(b, url);
  let popup: Page | undefined;
  try {
    await waitForViewers(pa, 2);
    popup = await openRealPopup(a, pa);
    expect((await popupViewers(popup, 2)).sort()).toEqual(['Alice', 'Bob']);
    // Marks the popup's document, to tell it from a reopened one, and keeps every badge it shows from now on.
    await popup.evaluate(() => {
      const w = window as unknown as { __e2eMark?: boolean; __badges?: string[] };
      w.__e2eMark = true;
      w.__badges = [];
      new MutationObserver(() => {
        const badge = document.querySelector('[data-testid="popup-connection"]')?.textContent ?? null;
        if (badge !== null && w.__badges!.at(-1) !== badge) w.__badges!.push(badge);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const before = await a.worker();
    await before.evaluate(() => void ((globalThis as { __e2eMark?: boolean }).__e2eMark = true));
    await before.close();
    await waitFor(
      'a fresh service worker (without the mark of the stopped one)',
      async () => (await a.worker()).evaluate(() => (globalThis as { __e2eMark?: boolean }).__e2eMark !== true),
      60_000,
    );

    await popupBadge(popup, 'live');
    expect((await popupViewers(popup, 2)).sort()).toEqual(['Alice', 'Bob']);
    expect(await popup.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark)).toBe(true);
    // It did lose the stopped worker (its port dropped, as the tab's did) and came back.
    expect(await popup.evaluate(() => (window as unknown as { __badges: string[] }).__badges)).toContain('reconnecting');
    // A change after the restart reaches the popup: the fresh worker pushes to the popup's new port.
    await pb.close();
    expect(await popupViewers(popup, 1)).toEqual(['Alice']);
  } finally {
    await closeAll(popup, pb, pa);
  }
});
