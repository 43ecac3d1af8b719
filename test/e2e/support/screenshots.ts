import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { ROOT } from '../../support/server-process.js';

export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

/** Writes docs/screenshots/<name>; the page is brought to front first (a background tab's screenshot can hang). */
export async function screenshot(page: Page, name: `${string}.png`): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.bringToFront();
  await page.screenshot({ path: file as `${string}.png` });
  return file;
}
