import type { Page } from 'puppeteer';
import { POLL_MS, WAIT_MS } from './gloss-ui.js';

/**
 * Starts noting each text the UI's polite status (data-testid="announcer", ui/Announcer.tsx) takes,
 * in order, as a screen reader is told them. Read once, the status may not say it yet (it is set in
 * an effect, a frame after the change it tells) or may already say something later (a viewer count
 * that has held for 5 s): what the user was told is the sequence, not the text at the moment a test
 * reads it. The function returned waits until a text told since the start matches `expected`, and
 * returns it.
 */
export async function recordAnnouncements(page: Page): Promise<(expected: RegExp, timeout?: number) => Promise<string>> {
  const key = `glossTold${Math.random().toString(36).slice(2)}`;
  await page.evaluate((key: string) => {
    const root = document.querySelector('gloss-root')!.shadowRoot!;
    const told: string[] = [];
    (window as unknown as Record<string, string[]>)[key] = told;
    // The whole tree, not the region alone: a render may replace the region's element.
    // Untrimmed when compared: the same words told again end in a no-break space (state/announce.ts).
    const read = () => root.querySelector('[data-testid="announcer"]')?.textContent ?? '';
    let last = read();
    new MutationObserver(() => {
      const now = read();
      if (now !== last && now.trim() !== '') told.push(now.trim());
      last = now;
    }).observe(root, { childList: true, characterData: true, subtree: true });
  }, key);
  return async (expected, timeout = WAIT_MS) => {
    try {
      const handle = await page.waitForFunction(
        (key: string, source: string, flags: string) => (window as unknown as Record<string, string[]>)[key]!.find((t) => new RegExp(source, flags).test(t)) ?? false,
        { timeout, polling: POLL_MS },
        key,
        expected.source,
        expected.flags,
      );
      return (await handle.jsonValue()) as string;
    } catch (e) {
      const told = await page.evaluate((key: string) => (window as unknown as Record<string, string[] | undefined>)[key] ?? null, key).catch(() => null);
      throw new Error(`waiting for the screen reader to be told ${String(expected)} (told since: ${JSON.stringify(told)}): ${(e as Error).message}`);
    }
  };
}
