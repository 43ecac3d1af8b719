import type { ElementHandle, Page } from 'puppeteer';
import { WINDOW_FROM } from '../../../extension/content/highlighter/paint-window.js';

/**
 * Reaching into the content UI: one open shadow root on <gloss-root>, elements named by data-testid
 * (docs/architecture.md). Waits are page.waitForFunction over that shadow root, so they resolve on the
 * state itself, never after a fixed sleep.
 */

export const WAIT_MS = 30_000;
/**
 * waitForFunction polls on animation frames by default, and a background tab runs none: poll on an
 * interval instead (a MutationObserver on the document would not see changes in the shadow root).
 */
export const POLL_MS = 50;

/** A puppeteer selector that pierces into the shadow root: `gloss-root >>> <css>`. */
export const inUi = (css: string) => `gloss-root >>> ${css}`;
export const byTestId = (id: string) => `[data-testid="${id}"]`;
export const conversationCss = (id: string) => `[data-testid="conversation"][data-id="${id}"]`;

/** Waits for the content script's UI root to exist (it is added at document_idle). */
export async function waitForUi(page: Page, timeout = WAIT_MS): Promise<void> {
  await page.waitForFunction(() => !!document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="topbar"]'), { timeout, polling: POLL_MS });
}

/** Waits until the text of the first element matching `css` in the shadow root satisfies the expectation. */
export async function waitForUiText(page: Page, css: string, expected: string | RegExp, timeout = WAIT_MS): Promise<string> {
  const source = typeof expected === 'string' ? null : expected.source;
  const flags = typeof expected === 'string' ? '' : expected.flags;
  const exact = typeof expected === 'string' ? expected : null;
  try {
    const handle = await page.waitForFunction(
      (css: string, exact: string | null, source: string | null, flags: string) => {
        const el = document.querySelector('gloss-root')?.shadowRoot?.querySelector(css);
        const text = el?.textContent?.trim() ?? null;
        if (text === null) return false;
        return (exact !== null ? text === exact : new RegExp(source!, flags).test(text)) ? text : false;
      },
      { timeout, polling: POLL_MS },
      css,
      exact,
      source,
      flags,
    );
    return (await handle.jsonValue()) as string;
  } catch (e) {
    const now = await uiText(page, css).catch(() => null);
    throw new Error(`waiting for ${css} to read ${String(expected)} (it reads ${JSON.stringify(now)}): ${(e as Error).message}`);
  }
}

/** Waits for `predicate(shadowRoot, arg)` to hold in the page. */
export async function waitInUi<A>(page: Page, what: string, predicate: (root: ShadowRoot, arg: A) => unknown, arg: A, timeout = WAIT_MS): Promise<void> {
  try {
    // The predicate travels as source text: it is test code, rebuilt in the page (whose CSP allows it).
    await page.waitForFunction(
      (source: string, arg: unknown) => {
        const root = document.querySelector('gloss-root')?.shadowRoot;
        if (!root) return false;
        const fn = new Function(`return (${source})`)() as (root: ShadowRoot, arg: unknown) => unknown;
        return !!fn(root, arg);
      },
      { timeout, polling: POLL_MS },
      predicate.toString(),
      arg as unknown,
    );
  } catch (e) {
    throw new Error(`waiting in the Gloss UI for ${what}: ${(e as Error).message}`);
  }
}

/**
 * Notes the tag of the UI's focused element at the moment an element matching `css` enters the UI: in a
 * mutation observer's callback, before any other task (a key the user types next lands there). The
 * function returned reads it: null while nothing matched yet, 'none' for no focus in the UI.
 */
export async function focusWhenShown(page: Page, css: string): Promise<() => Promise<string | null>> {
  const key = `glossFocusWhenShown${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    (css: string, key: string) => {
      const root = document.querySelector('gloss-root')!.shadowRoot!;
      const observer = new MutationObserver(() => {
        if (!root.querySelector(css)) return;
        observer.disconnect();
        (window as unknown as Record<string, string>)[key] = root.activeElement?.tagName ?? 'none';
      });
      observer.observe(root, { childList: true, subtree: true });
    },
    css,
    key,
  );
  return () => page.evaluate((key: string) => (window as unknown as Record<string, string | undefined>)[key] ?? null, key);
}

export async function uiText(page: Page, css: string): Promise<string | null> {
  return page.evaluate((css: string) => document.querySelector('gloss-root')?.shadowRoot?.querySelector(css)?.textContent?.trim() ?? null, css);
}

export async function waitForViewers(page: Page, n: number, timeout = WAIT_MS): Promise<void> {
  await waitForUiText(page, byTestId('viewers'), `${n} viewing`, timeout);
}

/**
 * Clicks an element of our UI with real mouse events. The tab is brought to front first: a
 * background tab runs no animation frames, and the locator waits for one to see the element stable.
 */
export async function clickUi(page: Page, css: string): Promise<void> {
  await page.bringToFront();
  await page.locator(inUi(css)).setTimeout(WAIT_MS).click();
}

/** Replaces the content of a textarea of our UI by typing `text` with the keyboard. */
export async function typeInUi(page: Page, css: string, text: string): Promise<void> {
  await page.bringToFront();
  const handle = (await page.locator(inUi(css)).setTimeout(WAIT_MS).waitHandle()) as ElementHandle<HTMLTextAreaElement>;
  await handle.focus();
  await handle.evaluate((el) => el.select());
  await page.keyboard.press('Delete');
  await handle.type(text);
}

/**
 * Selects `phrase` (its `occurrence`-th match) inside the page element `within` the way a user
 * would end up with it: a document selection, then the pointer release the watcher also listens to.
 */
export async function selectText(page: Page, within: string, phrase: string, occurrence = 0): Promise<void> {
  const ok = await page.evaluate(
    (within: string, phrase: string, occurrence: number) => {
      const root = document.querySelector(within);
      if (!root) return `no element ${within}`;
      const nodes: { node: Text; start: number }[] = [];
      let text = '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n as Text, start: text.length });
        text += (n as Text).data;
      }
      let at = -1;
      for (let i = 0; i <= occurrence; i++) {
        at = text.indexOf(phrase, at + 1);
        if (at < 0) return `"${phrase}" occurs fewer than ${occurrence + 1} times in ${within}`;
      }
      // (No named inner functions here: this body is serialised into the page as it is.)
      const startHit = nodes.find((x) => at < x.start + x.node.data.length)!;
      const endAt = at + phrase.length;
      const endHit = nodes.find((x) => endAt > x.start && endAt <= x.start + x.node.data.length)!;
      const s = { node: startHit.node, offset: at - startHit.start };
      const e = { node: endHit.node, offset: endAt - endHit.start };
      const range = document.createRange();
      range.setStart(s.node, s.offset);
      range.setEnd(e.node, e.offset);
      // A reader selects what they see: text below the fold is scrolled to first (the Annotate button
      // is not offered for a selection out of the viewport, selection/placement.ts).
      const seen = range.getBoundingClientRect();
      if (seen.bottom < 0 || seen.top > innerHeight) (s.node.parentElement ?? root).scrollIntoView({ block: 'center', behavior: 'instant' });
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      const rect = range.getBoundingClientRect();
      const init = { bubbles: true, composed: true, clientX: rect.right, clientY: rect.bottom, button: 0 };
      const target = e.node.parentElement ?? root;
      target.dispatchEvent(new PointerEvent('pointerup', init));
      target.dispatchEvent(new MouseEvent('mouseup', init));
      return selection.toString() === phrase ? 'ok' : `selected ${JSON.stringify(selection.toString())}`;
    },
    within,
    phrase,
    occurrence,
  );
  if (ok !== 'ok') throw new Error(`selectText: ${ok}`);
}

/**
 * Starts a conversation through the UI: select, click Annotate, type the comment, submit. Returns the
 * new conversation's id once the server has confirmed it (data-pending="false").
 */
export async function createConversation(page: Page, within: string, phrase: string, text: string, occurrence = 0): Promise<string> {
  // The panel lists every conversation: with it open, "which one is new" is a plain difference.
  await openPanel(page);
  const before = await conversationIds(page);
  await selectText(page, within, phrase, occurrence);
  await clickUi(page, byTestId('annotate-button'));
  await page.locator(inUi(`${byTestId('composer')} textarea`)).setTimeout(WAIT_MS).wait();
  await typeInUi(page, `${byTestId('composer')} textarea`, text);
  await clickUi(page, byTestId('composer-submit'));
  await waitInUi(page, 'a new confirmed conversation', (root, before: string[]) =>
    [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].some((c) => !before.includes(c.dataset.id!) && c.dataset.pending === 'false'), before);
  const after = await conversationIds(page);
  const fresh = after.filter((id) => !before.includes(id));
  if (fresh.length !== 1) throw new Error(`expected one new conversation, found ${JSON.stringify(fresh)}`);
  return fresh[0]!;
}

/**
 * Has the open panel render every card: it renders the first ones and more as its "Show more" button
 * comes near the view (ui/panel-window.ts), so the list is scrolled until the button is gone. Nothing
 * to do on a page with fewer conversations than one window.
 */
export async function showAllCards(page: Page, timeout = WAIT_MS): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('gloss-root')?.shadowRoot;
      const list = root?.querySelector('.list');
      const more = root?.querySelector('[data-testid="panel-more"]');
      if (!list || !more) return true;
      // Half a screen below the view: near enough to grow, and past any card kept after the button.
      list.scrollTop += more.getBoundingClientRect().top - list.getBoundingClientRect().bottom - list.clientHeight / 2;
      return false;
    },
    { timeout, polling: POLL_MS },
  );
}

/** The ids of the panel's cards, every one rendered first (showAllCards). */
export async function conversationIds(page: Page): Promise<string[]> {
  await showAllCards(page);
  return page.evaluate(() =>
    [...(document.querySelector('gloss-root')?.shadowRoot?.querySelectorAll<HTMLElement>('[data-testid="conversation"]') ?? [])].map((c) => c.dataset.id!),
  );
}

/** Opens the side panel if it is closed. */
export async function openPanel(page: Page): Promise<void> {
  const open = await page.evaluate(() => !!document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="panel"]'));
  if (!open) await clickUi(page, byTestId('panel-toggle'));
  await page.locator(inUi(byTestId('panel'))).setTimeout(WAIT_MS).wait();
}

/** The comments of a conversation as the panel shows them: author and text. */
export async function commentsOf(page: Page, id: string): Promise<{ id: string; author: string; text: string }[]> {
  return page.evaluate((id: string) => {
    const c = [...(document.querySelector('gloss-root')?.shadowRoot?.querySelectorAll<HTMLElement>('[data-testid="conversation"]') ?? [])].find((e) => e.dataset.id === id);
    return [...(c?.querySelectorAll<HTMLElement>('[data-testid="comment"]') ?? [])].map((e) => ({
      id: e.dataset.id!,
      author: e.querySelector('[data-testid="comment-author"]')?.textContent?.trim() ?? '',
      text: e.querySelector('[data-testid="comment-text"]')?.textContent ?? '',
    }));
  }, id);
}

/**
 * The highlight count the content script mirrors on <html>, and the `gloss` entry of CSS.highlights:
 * its size, the text of each range and the id of the page element each range starts in.
 */
export async function highlightState(page: Page): Promise<{ dataset: string | null; ranges: number | null; texts: string[]; within: (string | null)[] }> {
  return page.evaluate(() => {
    const h = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights?.get('gloss');
    const list = h ? [...h] : [];
    return {
      dataset: document.documentElement.dataset.glossHighlights ?? null,
      ranges: h ? h.size : null,
      texts: list.map((r) => r.toString()),
      within: list.map((r) => (r.startContainer.nodeType === Node.TEXT_NODE ? r.startContainer.parentElement : (r.startContainer as Element))?.closest('[id]')?.id ?? null),
    };
  });
}

/**
 * Waits until `n` conversations are highlighted (the dataset mirror and the `gloss` highlight agree):
 * painted by `ranges` ranges, one per conversation unless one's text crosses into a web component
 * (one range per tree it is in). From WINDOW_FROM ranges only those near the viewport are registered
 * (highlighter/paint-window.ts): then some, at most `ranges`.
 */
export async function waitForHighlights(page: Page, n: number, timeout = WAIT_MS, ranges = n): Promise<void> {
  try {
    await page.waitForFunction(
      (n: number, ranges: number, windowFrom: number) => {
        const h = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights?.get('gloss');
        const size = h?.size ?? 0;
        return document.documentElement.dataset.glossHighlights === String(n) && (ranges < windowFrom ? size === ranges : size > 0 && size <= ranges);
      },
      { timeout, polling: POLL_MS },
      n,
      ranges,
      WINDOW_FROM,
    );
  } catch (e) {
    throw new Error(`waiting for ${n} highlights (now ${JSON.stringify(await highlightState(page).catch(() => null))}): ${(e as Error).message}`);
  }
}

/** Waits until the tab lists exactly the conversations `ids` and highlights exactly `texts`. */
export async function showsOnly(page: Page, ids: string[], texts: string[], what: string): Promise<void> {
  await waitInUi(
    page,
    what,
    (root, ids: string[]) => {
      const shown = [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].map((c) => c.dataset.id).sort();
      return JSON.stringify(shown) === JSON.stringify([...ids].sort());
    },
    ids,
  );
  await waitForHighlights(page, texts.length);
  const shown = (await highlightState(page)).texts.sort();
  if (JSON.stringify(shown) !== JSON.stringify([...texts].sort())) throw new Error(`${what}: highlighted ${JSON.stringify(shown)}, expected ${JSON.stringify(texts)}`);
}

/**
 * Sets the page's fragment from its own world, as a script or a link would, and resolves after the
 * hashchange has been dispatched to every listener, the content script's included.
 */
export async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate(
    (hash: string) =>
      new Promise<void>((resolve) => {
        addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
        location.hash = hash;
      }),
    hash,
  );
}
