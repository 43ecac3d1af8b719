import type { Page } from 'puppeteer';
import { launchChromium, type ChromiumLaunch, type ChromiumWithGloss } from './chromium.js';
import { launchFirefox, type FirefoxLaunch, type FirefoxWithGloss } from './firefox.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './settings.js';
import { waitForUi } from './gloss-ui.js';

export type GlossBrowser = ChromiumWithGloss | FirefoxWithGloss;

/**
 * A browser with Gloss installed and set up the way a new user does it: on the settings page the
 * extension opens on install, the test server's URL and a display name are typed in and saved.
 * Every browser has a fresh profile, hence its own anonymousId: another anonymous user.
 */
export async function glossBrowser(
  kind: 'chromium' | 'firefox',
  label: string,
  settings: { serverUrl: string; name: string; token?: string },
  options: { firefoxPrefs?: Record<string, unknown>; chromium?: ChromiumLaunch; firefox?: FirefoxLaunch } = {},
): Promise<GlossBrowser> {
  const g = kind === 'chromium' ? await launchChromium(label, options.chromium) : await launchFirefox(label, options.firefoxPrefs, options.firefox);
  try {
    const page = await waitForInstallSettingsPage(g.browser, g.extensionOrigin);
    g.log.watchPage(page, 'settings');
    await saveSettingsThroughForm(page, settings);
    await page.close();
    return g;
  } catch (e) {
    await g.close();
    throw e;
  }
}

/** Opens `url` in a new tab and waits for the Gloss UI in it. */
export async function openArticle(g: GlossBrowser, url: string): Promise<Page> {
  const page = await g.newPage(url);
  await waitForUi(page);
  return page;
}

/**
 * Closes whatever was launched, never throwing (used in afterAll/finally). A page already gone (the
 * real popup closes itself when another tab is brought to front) is not an error.
 */
export async function closeAll(...things: ({ close(): Promise<unknown>; isClosed?(): boolean } | undefined | null)[]): Promise<void> {
  await Promise.all(
    things.map(async (t) => {
      if (!t || t.isClosed?.()) return;
      await t.close().catch((e: unknown) => {
        if (!/No target with given id|Target closed|Session closed/i.test(String(e))) console.warn('close failed:', e);
      });
    }),
  );
}
