import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, uiText, waitForUiText, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { startOddPages, type OddPages } from './support/odd-pages.js';
import { openRealPopup, popupBadge, popupViewers } from './support/popup.js';
import { saveSettingsThroughForm, SETTINGS_VIEW } from './support/settings.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';
import { waitFor } from './support/wait.js';

/**
 * The real toolbar popup says what is true of the tab it is opened on, in each state the tab can be
 * in: a page still loading, a browser page, a loaded page Gloss is not running on, and a page Gloss
 * runs on, live, offline and reconnecting, where it says what the tab's own bar says.
 */
let server: ServerProcess;
let pages: StaticServer;
let odd: OddPages;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'S', name: 'Sam' }], (s) => {
  ({ server, pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});
beforeAll(async () => {
  odd = await startOddPages();
});
afterAll(async () => {
  odd?.finishSlow();
  await closeAll(odd);
});

const isDisabled = (popup: Page) => popup.$eval(byTestId('open-panel'), (b) => (b as HTMLButtonElement).disabled);

it('on a page with no conversations: live, the user listed as "you", how to start one, and a panel that opens', async () => {
  const article = await openArticle(g, pages.url('article.html', 'popup-empty'));
  // The same user in two tabs of the page is one viewer.
  const again = await openArticle(g, pages.url('article.html', 'popup-empty'));
  let popup: Page | undefined;
  try {
    await waitForViewers(article, 1);
    await waitForViewers(again, 1);
    popup = await openRealPopup(g, article);
    expect(await popupBadge(popup, 'live')).toBe('No conversations on this page yet. Select text on the page and choose Annotate to start one.');
    // The heading and its state pill on one line, centred alike: the heading's bottom margin had its words 3 px above the pill's.
    const centres = await popup.evaluate(() => [document.querySelector('section .row h2')!, document.querySelector('[data-testid="popup-connection"]')!].map((e) => {
      const r = e.getBoundingClientRect();
      return (r.top + r.bottom) / 2;
    }));
    expect(Math.abs(centres[0]! - centres[1]!), `"This page" centred at ${centres[0]} px, its pill at ${centres[1]} px`).toBeLessThan(1);
    expect(await popupViewers(popup, 1)).toEqual(['Sam']);
    expect(await popup.$eval('[data-testid="popup-users"] li', (li) => ({ you: li.getAttribute('data-you'), text: li.textContent }))).toEqual({ you: 'true', text: 'Sam (you)' });
    expect(await popup.$eval(byTestId('popup-conversations'), (e) => e.textContent)).toBe('0 conversations');
    await popup.locator(byTestId('open-panel')).setTimeout(WAIT_MS).click();
    await waitInUi(article, 'the empty panel opened from the popup', (root) => !!root.querySelector('[data-testid="panel"]'), null);
    // Out of the way of the panel it opened.
    await waitFor('the toolbar popup to close', () => popup!.isClosed());
  } finally {
    await closeAll(popup, article, again);
  }
});

it('on a page still loading: "loading", then live once it has loaded', async () => {
  const tab = await g.newPage();
  let popup: Page | undefined;
  try {
    // goto would wait for a load that does not come until the test lets the page finish.
    void tab.goto(odd.slowUrl).catch(() => {});
    await odd.slowRequested;
    popup = await openRealPopup(g, tab);
    expect(await popupBadge(popup, 'loading')).toBe('This page is still loading. Gloss starts on it once it has loaded.');
    expect(await isDisabled(popup)).toBe(true);
    odd.finishSlow();
    await popupBadge(popup, 'live');
    // The bar renders on its own schedule (the page's next frame), after the worker told the popup: wait
    // for its word rather than read it at once, which once read "connecting".
    await waitForUiText(tab, byTestId('connection'), 'live');
    expect(await isDisabled(popup)).toBe(false);
  } finally {
    await closeAll(popup, tab);
  }
});

it('on a browser page: Gloss cannot run there, and no counts', async () => {
  const tab = await g.newPage('chrome://version');
  let popup: Page | undefined;
  try {
    popup = await openRealPopup(g, tab);
    expect(await popupBadge(popup, 'unavailable')).toMatch(/^Gloss cannot run on this page: browsers keep extensions off their own pages/);
    expect(await popup.$(byTestId('popup-viewers'))).toBeNull();
    expect(await isDisabled(popup)).toBe(true);
  } finally {
    await closeAll(popup, tab);
  }
});

it('on a loaded page Gloss is not running on (not HTML): says so, and what to try', async () => {
  const tab = await g.newPage(odd.svgUrl);
  let popup: Page | undefined;
  try {
    popup = await openRealPopup(g, tab);
    expect(await popupBadge(popup, 'not running')).toMatch(/^Gloss is not running on this page\. If it was open before Gloss was installed or updated, reload it\./);
    expect(await isDisabled(popup)).toBe(true);
  } finally {
    await closeAll(popup, tab);
  }
});

it('offline because the server refuses the token: says so, as the tab does; live again once it is removed', async () => {
  const article = await openArticle(g, pages.url('article.html', 'popup-refused'));
  let popup: Page | undefined;
  try {
    await waitForViewers(article, 1);
    popup = await openRealPopup(g, article);
    await popupBadge(popup, 'live');
    await saveSettingsThroughForm(popup, { serverUrl: server.url, name: 'Sam', token: 'not.a.token' });
    expect(await popupBadge(popup, 'offline')).toMatch(/^The server refused Gloss\. Check the access token/);
    await waitForUiText(article, byTestId('connection'), 'offline');
    // The tab's own bar says why too, not a bare "offline".
    expect(await waitForUiText(article, byTestId('connection-why'), /refused/)).toBe('The server refused Gloss: check the access token in its settings');
    await popup.locator(byTestId('settings-remove-token')).setTimeout(WAIT_MS).click();
    await popup.locator(byTestId('settings-save')).setTimeout(WAIT_MS).click();
    await popupBadge(popup, 'live');
    await waitForUiText(article, byTestId('connection'), 'live');
    expect(await uiText(article, byTestId('connection-why'))).toBeNull();
  } finally {
    await closeAll(popup, article);
  }
});

it('connecting to a server at its limit of connections from this network: the popup and the bar say so, and it goes live once a slot is free', async () => {
  // One connection per address, held by a colleague behind the same address (everything here is 127.0.0.1).
  const busy = await startServerProcess({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '1' } });
  const { socket: colleague } = await connect(busy.url);
  const article = await openArticle(g, pages.url('article.html', 'popup-busy'));
  let popup: Page | undefined;
  try {
    await waitForViewers(article, 1);
    popup = await openRealPopup(g, article);
    await popupBadge(popup, 'live');
    await saveSettingsThroughForm(popup, { serverUrl: busy.url, name: 'Sam' });
    await waitFor('the server to turn the worker away', () => busy.logs.some((l) => l.includes('"too_many_connections"')));
    expect(await popupBadge(popup, 'connecting')).toMatch(/^The server is at its limit of connections from your network .*Gloss retries by itself/);
    await waitForUiText(article, byTestId('connection'), 'connecting');
    expect(await waitForUiText(article, byTestId('connection-why'), /limit/)).toBe('The server is at its limit of connections from your network; Gloss retries by itself');
    colleague.close();
    // The worker's next try comes 5-15 s after its last refusal.
    await waitForUiText(article, byTestId('connection'), 'live', 30_000);
    expect(await uiText(article, byTestId('connection-why'))).toBeNull();
    expect(await popupBadge(popup, 'live')).not.toMatch(/limit/);
  } finally {
    colleague.close();
    if (popup !== undefined && !popup.isClosed()) await saveSettingsThroughForm(popup, { serverUrl: server.url, name: 'Sam' });
    await closeAll(popup, article);
    await busy.stop();
  }
}, 90_000);

it('when the server goes away: "reconnecting", exactly as the tab\'s own bar', async () => {
  const article = await openArticle(g, pages.url('article.html', 'popup-reconnecting'));
  let popup: Page | undefined;
  try {
    await waitForViewers(article, 1);
    popup = await openRealPopup(g, article);
    await popupBadge(popup, 'live');
    server.kill();
    await waitForUiText(article, byTestId('connection'), 'reconnecting');
    expect(await popupBadge(popup, 'reconnecting')).toMatch(/^The connection to the server was interrupted/);
    // The viewers are the last the server sent: still shown, but said to be so, in the bar and the popup alike.
    await waitForUiText(article, byTestId('viewers-stale'), '(last known, not live)');
    expect(await article.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="viewers"]')!.className)).toBe('stale');
    await popup.locator(byTestId('popup-users-stale')).setTimeout(WAIT_MS).wait();
    expect(await popup.$eval(byTestId('popup-users-stale'), (e) => e.textContent)).toBe('Last seen viewing (not live):');
    expect(await popup.$eval(byTestId('popup-users'), (e) => e.getAttribute('aria-label'))).toBe('Last seen viewing');
  } finally {
    await closeAll(popup, article);
  }
});

it('the settings page does not describe itself as a page Gloss cannot run on', async () => {
  const settings = await g.newPage(`${g.extensionOrigin}/${SETTINGS_VIEW}`);
  try {
    await settings.locator(byTestId('settings-save')).setTimeout(WAIT_MS).wait();
    expect(await settings.$('section[aria-label="This page"]')).toBeNull();
    expect(await settings.evaluate(() => document.body.innerText)).not.toMatch(/cannot (run on|annotate) this page/);
  } finally {
    await closeAll(settings);
  }
});
