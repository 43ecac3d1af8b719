import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { launchWithTemps, readManifest, snapshotDist } from './dist.js';
import { ConsoleLog } from './logs.js';

export const FIREFOX = '/usr/bin/firefox-esr';

export interface FirefoxWithGloss {
  kind: 'firefox';
  browser: Browser;
  /** `moz-extension://<uuid>`, fixed through the `extensions.webextensions.uuids` pref. */
  extensionOrigin: string;
  log: ConsoleLog;
  newPage(url?: string): Promise<Page>;
  close(): Promise<void>;
}

/** How to start Firefox differently: another executable (a wrapper around Debian's), a fixed BiDi port, or with windows. */
export interface FirefoxLaunch {
  executablePath?: string;
  debuggingPort?: number;
  /** An X display (support/x-display.ts) to show windows on instead of running headless: keyboard shortcuts need a window. */
  display?: string;
}

/**
 * Headless Firefox ESR over WebDriver BiDi with the built extension (a private copy of dist/firefox)
 * installed as a temporary add-on. BiDi will not navigate to moz-extension:// URLs, so the add-on's
 * internal UUID is fixed by pref: the pages the extension opens itself can then be recognised. With
 * windows on `launch.display` when one is given.
 */
export async function launchFirefox(label: string, prefs: Record<string, unknown> = {}, launch: FirefoxLaunch = {}): Promise<FirefoxWithGloss> {
  if (!fs.existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: install Debian's firefox-esr package (npm test does it as root).`);
  const extensionDir = snapshotDist('firefox');
  const geckoId = readManifest(extensionDir).browser_specific_settings?.gecko?.id;
  if (!geckoId) throw new Error('dist/firefox/manifest.json has no browser_specific_settings.gecko.id');
  const uuid = randomUUID();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `gloss-e2e-firefox-${label}-`));
  const log = new ConsoleLog(label);
  const { browser, close } = await launchWithTemps(extensionDir, profile, () =>
    puppeteer.launch({
      browser: 'firefox',
      executablePath: launch.executablePath ?? FIREFOX,
      ...(launch.debuggingPort !== undefined ? { debuggingPort: launch.debuggingPort } : {}),
      headless: launch.display === undefined,
      ...(launch.display !== undefined ? { env: { ...process.env, DISPLAY: launch.display } } : {}),
      userDataDir: profile,
      defaultViewport: { width: 1280, height: 900 },
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
        ...prefs,
      },
    }),
  );
  try {
    await browser.installExtension(extensionDir);
    return {
      kind: 'firefox',
      browser,
      extensionOrigin: `moz-extension://${uuid}`,
      log,
      newPage: (url) => log.newPage(browser, url),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
