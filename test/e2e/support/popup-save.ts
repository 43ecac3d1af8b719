import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { normalizePageUrl } from '../../../protocol/url.js';
import { connect, recorder, request, type TestSocket } from '../../support/clients.js';
import { closeAll, openArticle, type GlossBrowser } from './gloss-browser.js';
import { byTestId, POLL_MS, waitForViewers, WAIT_MS } from './gloss-ui.js';
import { popupBadge, popupViewers } from './popup.js';
import { waitFor } from './wait.js';

/**
 * Saving the settings in the popup and closing it in the middle of the save, and what must hold
 * after, the same in each browser: popup-closed-mid-save.test.ts for Chromium's real toolbar
 * popup, popup-closed-mid-save-firefox.test.ts for Firefox's popup page in a tab. What differs is
 * how a popup is opened, how the stamp is read, and how "at once" a close can follow Enter.
 */
export interface PopupHost {
  g: GlossBrowser;
  /** The server the browser is set up with, and another one to move to. */
  server: string;
  other: string;
  /** Opens the popup for `article`, the tab it describes. */
  open(article: Page): Promise<Page>;
  /** The `settingsSavedAt` stamp as `storage.local` holds it. */
  stamp(): Promise<unknown>;
}

/** The form's fields once it has loaded the stored settings. */
async function fields(popup: Page): Promise<{ server: string; name: string }> {
  await popup.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value ?? '') !== '', { timeout: WAIT_MS, polling: POLL_MS });
  return popup.evaluate(() => ({
    server: document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')!.value,
    name: document.querySelector<HTMLInputElement>('[data-testid="settings-name"]')!.value,
  }));
}

/** Empties the field and types `text` into it from the keyboard. */
async function fill(popup: Page, testId: string, text: string): Promise<void> {
  await popup.focus(byTestId(testId));
  await popup.$eval(byTestId(testId), (el) => (el as HTMLInputElement).select());
  await popup.keyboard.press('Backspace');
  await popup.keyboard.type(text);
}

/**
 * Changes `testId` to `value` in the popup, presses Enter, and closes the popup once the save has
 * written the settings and is about to write the stamp: before "Saved." and before the stamp. The
 * stamp's `storage.local.set` is held in the popup's own page (never sent, as when the page is gone
 * before it gets there), which makes that instant certain.
 */
async function saveAndCloseMidway(popup: Page, testId: string, value: string): Promise<void> {
  await fields(popup);
  await fill(popup, testId, value);
  await popup.evaluate(() => {
    // The extension's API objects of this page (`browser` where the browser has it, else the polyfill wraps `chrome`).
    const scope = globalThis as unknown as { chrome?: object; browser?: object; stampHeld?: boolean };
    for (const api of new Set([scope.chrome, scope.browser].filter(Boolean)) as Set<{ storage: { local: { set: (...args: unknown[]) => unknown } } }>) {
      const area = api.storage.local;
      const set = area.set;
      area.set = function (this: unknown, ...args: unknown[]) {
        const items = args[0] as Record<string, unknown> | undefined;
        if (items && 'settingsSavedAt' in items) {
          scope.stampHeld = true;
          return new Promise(() => {});
        }
        return set.apply(this, args);
      };
    }
  });
  await popup.keyboard.press('Enter');
  await popup.waitForFunction(() => (globalThis as unknown as { stampHeld?: boolean }).stampHeld === true, { timeout: WAIT_MS, polling: POLL_MS });
  expect(await popup.$eval(byTestId('settings-message'), (e) => e.textContent), 'closed before the form said "Saved."').toBe('');
  await popup.close();
}

/** Bob, a plain socket.io client of the server at `serverUrl`, viewing the page at `url`: the names the server lists on it, in the order he heard them. */
async function bobOn(serverUrl: string, url: string): Promise<{ bob: TestSocket; names: () => string[][] }> {
  const { socket } = await connect(serverUrl, { name: 'Bob' });
  const heard = recorder(socket);
  expect((await request(socket, 'page:join', { url })).ok).toBe(true);
  const key = normalizePageUrl(url);
  const names = () => heard.of('presence').filter((p) => p.pageKey === key).map((p) => (p.users as { name: string }[]).map((u) => u.name).sort());
  return { bob: socket, names };
}

/** Waits until `check` holds; a time-out says what `seen` shows then. */
const until = (what: string, check: () => boolean, seen: () => unknown) =>
  waitFor(what, () => {
    if (check()) return true;
    throw new Error(`seen: ${JSON.stringify(seen())}`);
  }, WAIT_MS, POLL_MS);

/** The popup for `article` once it shows the page live with Bob and the user on it, and the user's name in the form. */
async function livePopup(h: PopupHost, article: Page): Promise<{ popup: Page; name: string }> {
  await waitForViewers(article, 2);
  const popup = await h.open(article);
  await popupBadge(popup, 'live');
  return { popup, name: (await fields(popup)).name };
}

/**
 * The display name changed to `newName` in a popup closed before "Saved." and before the stamp:
 * the server lists the user by it, the reopened popup shows it, and the stamp was never written.
 */
export async function newNameClosedMidway(h: PopupHost, url: string, newName: string): Promise<void> {
  const article = await openArticle(h.g, url);
  const { bob, names } = await bobOn(h.server, url);
  let popup: Page | undefined;
  try {
    let name: string;
    ({ popup, name } = await livePopup(h, article));
    expect(await popupViewers(popup, 2)).toEqual([name, 'Bob']);
    const stampBefore = await h.stamp();

    await saveAndCloseMidway(popup, 'settings-name', newName);

    await until(`Bob to hear ${name} by the new name`, () => names().some((n) => n.includes(newName)), names);
    popup = await h.open(article);
    expect(await fields(popup)).toEqual({ server: h.server, name: newName });
    await popupBadge(popup, 'live');
    expect(await popupViewers(popup, 2)).toEqual([newName, 'Bob']);
    expect(await h.stamp(), 'the stamp was never written: only the port\'s close told the background').toEqual(stampBefore);
  } finally {
    bob.close();
    await closeAll(popup, article);
  }
}

/** The other server saved in a popup closed before "Saved.": the page goes live there and leaves the previous server. */
export async function otherServerClosedMidway(h: PopupHost, url: string): Promise<void> {
  const article = await openArticle(h.g, url);
  const before = await bobOn(h.server, url);
  const after = await bobOn(h.other, url);
  let popup: Page | undefined;
  try {
    let name: string;
    ({ popup, name } = await livePopup(h, article));

    await saveAndCloseMidway(popup, 'settings-server', h.other);

    // The other server's Bob hears the user's tab arrive; the previous one's hears it leave.
    await until(`${name} on the other server`, () => after.names().some((n) => n.includes(name)), after.names);
    await until(`${name} gone from the previous server`, () => JSON.stringify(before.names().at(-1)) === JSON.stringify(['Bob']), before.names);
    await waitForViewers(article, 2);
    popup = await h.open(article);
    expect(await fields(popup)).toEqual({ server: h.other, name });
    await popupBadge(popup, 'live');
    expect(await popupViewers(popup, 2)).toEqual([name, 'Bob']);
  } finally {
    before.bob.close();
    after.bob.close();
    await closeAll(popup, article);
  }
}

/**
 * Ten times: a new name typed, then Enter and `close` (the browser's way of closing the popup at
 * once after it; `i` counts from 1); each time the server must come to list the user by the name
 * the reopened form shows, which is what is stored: the new one or, cut short before its write,
 * the one before. A save lost between the write and the stamp leaves the old name listed.
 */
export async function closedAtOnce(h: PopupHost, url: string, newName: (i: number) => string, close: (popup: Page, i: number) => Promise<void>): Promise<void> {
  const article = await openArticle(h.g, url);
  let popup: Page | undefined;
  let bob: TestSocket | undefined;
  try {
    popup = await h.open(article);
    const on = await bobOn((await fields(popup)).server, url);
    bob = on.bob;
    /** Waits until the server lists the user by the name the form shows, which is what is stored. */
    const listedAsStored = async (popup: Page) => {
      const { name } = await fields(popup);
      await until(`Bob to hear the stored name ${JSON.stringify(name)}`, () => JSON.stringify(on.names().at(-1)) === JSON.stringify(['Bob', name].sort()), on.names);
    };
    await waitForViewers(article, 2);
    for (let i = 1; i <= 10; i++) {
      await listedAsStored(popup);
      await fill(popup, 'settings-name', newName(i));
      await close(popup, i);
      popup = await h.open(article);
    }
    await listedAsStored(popup);
  } finally {
    bob?.close();
    await closeAll(popup, article);
  }
}
