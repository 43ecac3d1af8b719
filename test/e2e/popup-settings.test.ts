import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { issueToken, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, POLL_MS, waitForViewers, WAIT_MS } from './support/gloss-ui.js';
import { openRealPopup, popupBadge, popupViewers } from './support/popup.js';
import { SETTINGS_VIEW } from './support/settings.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The settings form in real Chromium, used with the keyboard: what it refuses (and that a refusal
 * changes nothing and puts the cursor where the fix is), and a token pasted with the blanks and
 * line breaks a copy from a terminal or an e-mail brings along.
 */
let server: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'T', name: 'Tom' }], (s) => {
  ({ server, pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

async function openSettings(): Promise<Page> {
  const page = await g.newPage(`${g.extensionOrigin}/${SETTINGS_VIEW}`);
  await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value ?? '') !== '', { timeout: WAIT_MS, polling: POLL_MS });
  return page;
}

/** Empties the field and types `text` into it from the keyboard; `paste` inserts it in one go, as a paste does. */
async function fill(page: Page, testId: string, text: string, paste = false): Promise<void> {
  await page.focus(byTestId(testId));
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  if (paste) await page.keyboard.sendCharacter(text);
  else await page.keyboard.type(text);
}

/** Submits with Enter from the focused field and waits for the form to say `expected`. */
async function submit(page: Page, expected: string): Promise<void> {
  await page.keyboard.press('Enter');
  try {
    await page.waitForFunction((expected: string) => document.querySelector('[data-testid="settings-message"]')?.textContent === expected, { timeout: WAIT_MS, polling: POLL_MS }, expected);
  } catch (e) {
    const said = await page.$eval('[data-testid="settings-message"]', (el) => el.textContent).catch(() => null);
    throw new Error(`the form said ${JSON.stringify(said)}, not ${JSON.stringify(expected)}: ${(e as Error).message}`);
  }
}

const focused = (page: Page) => page.evaluate(() => ({ id: document.activeElement?.getAttribute('data-testid') ?? null, invalid: document.activeElement?.getAttribute('aria-invalid') ?? null }));
const stored = (page: Page) => page.evaluate(() => ({
  server: document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')!.value,
  name: document.querySelector<HTMLInputElement>('[data-testid="settings-name"]')!.value,
}));

it('refuses a bad server URL, an empty name and a token with a space, each on its field, and keeps what was saved', async () => {
  const page = await openSettings();
  try {
    const before = await stored(page);
    expect(before).toEqual({ server: server.url, name: 'Tom' });

    await fill(page, 'settings-server', 'http://gloss.example.com');
    await submit(page, 'Use https:// for a remote server; http:// is only allowed for localhost, 127.0.0.1 and [::1]');
    expect(await focused(page)).toEqual({ id: 'settings-server', invalid: 'true' });

    await fill(page, 'settings-server', server.url);
    await fill(page, 'settings-name', '   ');
    await submit(page, 'Enter a display name');
    expect(await focused(page)).toEqual({ id: 'settings-name', invalid: 'true' });

    await fill(page, 'settings-name', 'Tom');
    await fill(page, 'settings-token', 'Bearer abc.def.ghi');
    await submit(page, 'The token must not contain spaces or line breaks');
    expect(await focused(page)).toEqual({ id: 'settings-token', invalid: 'true' });
    expect(await page.$eval(byTestId('settings-server'), (e) => e.getAttribute('aria-invalid'))).toBe('false');

    // Nothing of it was saved: a fresh form shows the settings from before.
    await page.reload();
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value ?? '') !== '', { timeout: WAIT_MS, polling: POLL_MS });
    expect(await stored(page)).toEqual(before);
    expect(await page.$eval(byTestId('settings-token'), (e) => (e as HTMLInputElement).placeholder)).toBe('none: connect anonymously');
  } finally {
    await closeAll(page);
  }
});

it('takes a token pasted with blanks and line breaks around it, says the token names the user, and connects as the token\'s user', async () => {
  const token = await issueToken(server, { tenant: 'popup-settings', user: 'tess', name: 'Tess from the token' });
  const page = await openSettings();
  let article: Page | undefined;
  let popup: Page | undefined;
  try {
    expect(await page.$(byTestId('settings-name-note'))).toBeNull();
    await fill(page, 'settings-token', `  \n${token}\r\n  `, true);
    expect(await page.$eval(byTestId('settings-name-note'), (e) => e.textContent)).toBe(
      'With an access token, others see the name the token was issued with; this one is used without a token.',
    );
    await submit(page, 'Saved. Gloss reconnects with these settings.');
    expect(await page.$eval(byTestId('settings-token'), (e) => (e as HTMLInputElement).placeholder)).toBe('••••••••');

    article = await openArticle(g, pages.url('article.html', 'popup-token'));
    await waitForViewers(article, 1);
    popup = await openRealPopup(g, article);
    await popupBadge(popup, 'live');
    expect(await popupViewers(popup, 1)).toEqual(['Tess from the token']);
  } finally {
    await closeAll(popup, article, page);
  }
});

it('announces a second save in the same form: the status is emptied while it saves, so "Saved." is news again to a screen reader', async () => {
  const page = await openSettings();
  try {
    // What a screen reader hears of the status region: each change of its text.
    await page.evaluate(() => {
      const status = document.querySelector('[data-testid="settings-message"]')!;
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      new MutationObserver(() => heard.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
    });
    const heard = () => page.evaluate(() => (window as unknown as { heard: string[] }).heard.filter((text, i, all) => text !== all[i - 1]));
    const saved = 'Saved. Gloss reconnects with these settings.';

    await page.focus(byTestId('settings-name'));
    await submit(page, saved);
    await page.keyboard.press('Enter');
    await page.waitForFunction((saved: string) => (window as unknown as { heard: string[] }).heard.filter((text) => text === saved).length === 2, { timeout: WAIT_MS, polling: POLL_MS }, saved).catch(() => {});
    expect(await heard()).toEqual([saved, '', saved]);
  } finally {
    await closeAll(page);
  }
});
