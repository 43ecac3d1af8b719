import { expect, it } from 'vitest';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, conversationCss, inUi, openPanel, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';

/**
 * A web address in a comment is a link in real Chromium (extension/content/ui/CommentText.tsx), and a
 * `javascript:` string next to it stays text. Bob writes the comment through the real server with a
 * plain socket.io client; the reader's panel shows it, reaches the link with Tab and opens it in a
 * new tab, the card itself left as it was.
 */
const ctx = useBobOnPages();

it('shows the one web address of a comment as a link to it, and a javascript: string as text', async () => {
  const g = await glossBrowser('chromium', 'L', { serverUrl: ctx.server.url, name: 'Reader' });
  ctx.browsers.push(g);
  const url = ctx.pages.url('article.html', 'comment-links');
  const target = ctx.pages.url('article.html', 'linked from a comment');
  const text = `Background: ${target}. Not this one: javascript:alert(document.domain)`;
  const id = await ctx.seed(url, 'test automation', text);

  const tab = await openArticle(g, url);
  try {
    await openPanel(tab);
    await waitInUi(tab, 'Bob\'s comment in the panel', (root, t) => root.querySelector('[data-testid="comment-text"]')?.textContent === t, text);
    const anchors = await tab.evaluate(() =>
      [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll('a')].map((a) => ({ text: a.textContent, href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') })),
    );
    expect(anchors).toEqual([{ text: target, href: new URL(target).href, target: '_blank', rel: 'noopener noreferrer nofollow ugc' }]);
    const textNodes = await tab.evaluate(() =>
      [...document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="comment-text"]')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent),
    );
    expect(textNodes).toEqual(['Background: ', '. Not this one: javascript:alert(document.domain)']);

    // From the quote, Tab goes to the link.
    await tab.bringToFront();
    await (await tab.locator(inUi(`${conversationCss(id)} ${byTestId('quote')}`)).setTimeout(WAIT_MS).waitHandle()).focus();
    await tab.keyboard.press('Tab');
    const focused = await tab.evaluate(() => {
      const a = document.querySelector('gloss-root')!.shadowRoot!.activeElement;
      if (!a) return null;
      const s = getComputedStyle(a);
      return { href: a.getAttribute('href'), underline: s.textDecorationLine, ring: `${s.outlineStyle} ${s.outlineWidth}`, ringIsLinkColour: s.outlineColor === s.color };
    });
    expect(focused).toEqual({ href: new URL(target).href, underline: 'underline', ring: 'solid 2px', ringIsLinkColour: true });

    // A real click opens the address in a new tab; the annotated page stays where it was, the card not made active.
    const opened = g.browser.waitForTarget((t) => t.url() === new URL(target).href, { timeout: WAIT_MS });
    await tab.locator(inUi(`${byTestId('comment-text')} a`)).setTimeout(WAIT_MS).click();
    const page = await (await opened).page();
    await closeAll(page);
    expect(tab.url()).toBe(url);
    expect(await tab.evaluate((css: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector(css)?.className ?? null, conversationCss(id))).toBe('conversation');
  } finally {
    await closeAll(tab);
  }
});
