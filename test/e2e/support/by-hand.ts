import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { byTestId, clickUi, conversationIds, openPanel, POLL_MS, typeInUi, WAIT_MS } from './gloss-ui.js';
import { pixelsOf } from './pixels.js';

/**
 * Acting on a page with the real mouse and keyboard only (no synthetic events, which a page's own
 * listeners and our UI's isTrusted check treat differently), and measuring our UI as the page shows it.
 */

/**
 * Where `phrase` is in `within`, in viewport coordinates: its first and last character boxes. With
 * `host`, `within` is looked for in that element's (open) shadow tree.
 */
export async function phraseBox(page: Page, within: string, phrase: string, host?: string) {
  return page.evaluate(
    (within: string, phrase: string, host: string | null) => {
      const scope: ParentNode = host === null ? document : document.querySelector(host)!.shadowRoot!;
      const text = [...scope.querySelector(within)!.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && (n as Text).data.includes(phrase)) as Text;
      const at = text.data.indexOf(phrase);
      const box = (from: number) => {
        const r = document.createRange();
        r.setStart(text, from);
        r.setEnd(text, from + 1);
        const b = r.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      };
      return { first: box(at), last: box(at + phrase.length - 1) };
    },
    within,
    phrase,
    host ?? null,
  );
}

/** Selects `phrase` by dragging the real mouse over it, as a reader does (in `host`'s shadow tree, with `host`). */
export async function dragSelect(page: Page, within: string, phrase: string, host?: string): Promise<void> {
  await page.bringToFront();
  const { first, last } = await phraseBox(page, within, phrase, host);
  await page.mouse.move(first.x - 1, first.y);
  await page.mouse.down();
  await page.mouse.move(last.x, last.y, { steps: 5 });
  await page.mouse.move(last.x + 2, last.y);
  await page.mouse.up();
  expect(await page.evaluate(() => document.getSelection()!.toString())).toBe(phrase);
}

/** Annotates `phrase` with real mouse and keyboard only: drag, click Annotate, type, click Comment. */
export async function annotateByHand(page: Page, within: string, phrase: string, text: string, host?: string): Promise<string> {
  await openPanel(page);
  const before = await conversationIds(page);
  await dragSelect(page, within, phrase, host);
  await clickUi(page, byTestId('annotate-button'));
  await typeInUi(page, `${byTestId('composer')} textarea`, text);
  await clickUi(page, byTestId('composer-submit'));
  const handle = await page.waitForFunction(
    (before: string[]) => {
      const found = [...(document.querySelector('gloss-root')?.shadowRoot?.querySelectorAll<HTMLElement>('[data-testid="conversation"]') ?? [])].find((c) => !before.includes(c.dataset.id!) && c.dataset.pending === 'false');
      return found?.dataset.id ?? false;
    },
    { timeout: WAIT_MS, polling: POLL_MS },
    before,
  );
  return (await handle.jsonValue()) as string;
}

/** Computed style and box of an element of our UI. */
export async function uiStyle(page: Page, css: string) {
  return page.evaluate((css: string) => {
    const el = document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>(css);
    if (!el) return null;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return { direction: s.direction, background: s.backgroundColor, fontSize: s.fontSize, display: s.display, zoom: s.zoom, rect: { x: r.x, y: r.y, width: r.width, height: r.height } };
  }, css);
}

/** Whether the middle of an element of our UI is what the page shows at that point (not covered). */
export async function onTop(page: Page, css: string): Promise<boolean> {
  return page.evaluate((css: string) => {
    const host = document.querySelector('gloss-root')!;
    const el = host.shadowRoot!.querySelector<HTMLElement>(css)!;
    const r = el.getBoundingClientRect();
    const hit = host.shadowRoot!.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  }, css);
}

/**
 * Where the Annotate button is relative to the end of the page selection, in viewport pixels: the
 * controller puts it 6 px under the selection's last line, ending 40 px before its right end.
 */
export async function annotateButtonOffset(page: Page): Promise<{ dx: number; dy: number }> {
  await page.locator('gloss-root >>> [data-testid="annotate-button"]').setTimeout(WAIT_MS).wait();
  return page.evaluate(() => {
    const rects = document.getSelection()!.getRangeAt(0).getClientRects();
    const last = rects[rects.length - 1]!;
    const button = document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="annotate-button"]')!.getBoundingClientRect();
    return { dx: button.left - (last.right - 40), dy: button.top - (last.bottom + 6) };
  });
}

/**
 * The share of pixels in the box of `phrase` that are painted in Gloss's highlight yellow (strong red
 * and green, little blue), read from a real screenshot: the only way to see that a ::highlight rule is
 * in effect, since its sheet may be the extension's and unreadable from the page (Firefox).
 */
export async function highlightedShare(page: Page, within: string, phrase: string): Promise<number> {
  const { first, last } = await phraseBox(page, within, phrase);
  const { data } = await pixelsOf(page, { x: first.x, y: first.y - 4, width: Math.max(8, last.x - first.x), height: 8 });
  let yellow = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! > 200 && data[i + 1]! > 180 && data[i + 2]! < 190) yellow++;
  return yellow / (data.length / 4);
}
