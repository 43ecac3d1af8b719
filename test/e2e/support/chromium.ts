import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer';
import type { ChromeGlobal } from './chrome-api.js';
import { launchWithTemps, snapshotDist } from './dist.js';
import { ConsoleLog } from './logs.js';
import { waitFor } from './wait.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Needed on this closed network (see /work/shared/notes/browser-testing.md). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--window-size=1280,900',
];

export const SETTINGS_PATH = 'extension/popup/index.html';

export interface ChromiumWithGloss {
  kind: 'chromium';
  browser: Browser;
  extensionId: string;
  /** `chrome-extension://<id>` */
  extensionOrigin: string;
  log: ConsoleLog;
  /** The running service worker, found again after a restart. */
  worker(): Promise<WebWorker>;
  newPage(url?: string): Promise<Page>;
  close(): Promise<void>;
}

/** How to start Chromium differently: another executable (a wrapper around Debian's), more flags, or with windows. */
export interface ChromiumLaunch {
  executablePath?: string;
  args?: string[];
  /** An X display (support/x-display.ts) to show windows on instead of running headless: keyboard shortcuts need a window. */
  display?: string;
}

/**
 * Headless Debian Chromium with a fresh profile and the built extension (a private copy of
 * dist/chrome) loaded unpacked; with windows on `launch.display` when one is given.
 */
export async function launchChromium(label: string, launch: ChromiumLaunch = {}): Promise<ChromiumWithGloss> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (npm test does it as root).`);
  const extensionDir = snapshotDist('chrome');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `gloss-e2e-chromium-${label}-`));
  const log = new ConsoleLog(label);
  const { browser, close } = await launchWithTemps(extensionDir, profile, () =>
    puppeteer.launch({
      executablePath: launch.executablePath ?? CHROMIUM,
      headless: launch.display === undefined,
      ...(launch.display !== undefined ? { env: { ...process.env, DISPLAY: launch.display } } : {}),
      pipe: true,
      enableExtensions: [extensionDir],
      userDataDir: profile,
      args: [...FLAGS, ...(launch.args ?? [])],
      defaultViewport: { width: 1280, height: 900 },
    }),
  );
  try {
    const isOurWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://');
    const first = await browser.waitForTarget(isOurWorker, { timeout: 30_000 }).catch(() => {
      throw new Error(`[${label}] the extension's service worker never started: is dist/chrome a valid build? Targets: ${browser.targets().map((t) => `${t.type()} ${t.url()}`).join(', ')}`);
    });
    const extensionId = new URL(first.url()).host;
    let watched: WebWorker | null = null;
    const worker = async (): Promise<WebWorker> => {
      // Re-found on every call: after a stop, the old target lingers for a moment and a new one starts.
      // The target can also appear before the module has run: it counts once the extension API is there.
      const w = await waitFor(
        `[${label}] a running service worker`,
        async () => {
          for (const target of browser.targets().filter(isOurWorker)) {
            const candidate = await target.worker();
            if (candidate && (await candidate.evaluate(() => typeof (globalThis as unknown as ChromeGlobal).chrome?.runtime?.id === 'string').catch(() => false))) return candidate;
          }
          return null;
        },
        30_000,
      );
      if (w !== watched) {
        watched = w;
        log.watchWorker(w);
      }
      return w;
    };
    await worker();
    const g: ChromiumWithGloss = {
      kind: 'chromium',
      browser,
      extensionId,
      extensionOrigin: `chrome-extension://${extensionId}`,
      log,
      worker,
      newPage: (url) => log.newPage(browser, url),
      close,
    };
    return g;
  } catch (e) {
    await close();
    throw e;
  }
}
