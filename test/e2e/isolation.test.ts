import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type ChromiumWithGloss } from './support/chromium.js';
import { distPath, removeTemp } from './support/dist.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  commentsOf,
  conversationCss,
  conversationIds,
  createConversation,
  openPanel,
  POLL_MS,
  selectText,
  typeInUi,
  WAIT_MS,
  waitForHighlights,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { ALICE_AND_BOB, useGlossSession } from './support/session.js';

/**
 * What Gloss shows must not be able to run in the page, and the page and Gloss must not restyle
 * each other: user text is rendered as text, the UI lives in a shadow root.
 */
let pages: StaticServer;
let a: ChromiumWithGloss;
let b: ChromiumWithGloss;

useGlossSession(ALICE_AND_BOB, (s) => {
  ({ pages } = s);
  [a, b] = s.browsers as [ChromiumWithGloss, ChromiumWithGloss];
});

describe('annotation text is rendered as text', () => {
  it('HTML in a comment reaches the other browser as text: no element, no script run', async () => {
    const url = pages.url('article.html', 'html-injection');
    const pa = await openArticle(a, url);
    const pb = await openArticle(b, url);
    try {
      await waitForViewers(pb, 2);
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const id = await createConversation(pa, '#p-selection', 'Regression test selection', hostile);
      await typeInUi(pa, `${conversationCss(id)} ${byTestId('reply-input')}`, '<b>bold?</b><script>window.__pwned=2</script><svg onload="window.__pwned=3"></svg>');
      await clickUi(pa, `${conversationCss(id)} ${byTestId('reply-submit')}`);

      await waitForHighlights(pb, 1);
      await openPanel(pb);
      await waitInUi(pb, 'both comments', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 2, id);
      expect((await commentsOf(pb, id)).map((c) => c.text)).toEqual([hostile, '<b>bold?</b><script>window.__pwned=2</script><svg onload="window.__pwned=3"></svg>']);

      for (const page of [pb, pa]) {
        const found = await page.evaluate((id: string) => {
          const root = document.querySelector('gloss-root')!.shadowRoot!;
          const texts = [...root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment-text"]`)];
          return {
            elementsInTexts: texts.map((t) => t.children.length),
            injected: root.querySelectorAll('img, script, svg, b').length + document.querySelectorAll('img, script, svg, b').length,
            pwned: (window as { __pwned?: unknown }).__pwned,
          };
        }, id);
        expect(found).toEqual({ elementsInTexts: [0, 0], injected: 0, pwned: undefined });
      }
    } finally {
      await closeAll(pa, pb);
    }
  });
});

describe('the page cannot act as the user', () => {
  it('clicks and typing a page script fakes in our UI change nothing; the user’s own still work', async () => {
    const url = pages.url('article.html', 'synthetic-events');
    const pa = await openArticle(a, url);
    const pb = await openArticle(b, url);
    try {
      await waitForViewers(pb, 2);
      const id = await createConversation(pa, '#p-selection', 'Regression test selection', 'Mine to keep.');
      await waitForHighlights(pb, 1);
      await openPanel(pb);
      await waitInUi(pb, 'the conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);

      // The page's own script (the main world) reaches into the open root and tries to reply, resolve and delete.
      const reached = await pa.evaluate((id: string) => {
        const root = document.querySelector('gloss-root')!.shadowRoot!;
        const c = root.querySelector(`[data-testid="conversation"][data-id="${id}"]`)!;
        const input = c.querySelector<HTMLTextAreaElement>('[data-testid="reply-input"]');
        const found = { input: !!input, submit: false, resolve: false, remove: false };
        if (input) {
          input.value = 'Posted by the page';
          input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
          input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, composed: true }));
        }
        for (const [key, testId] of [['submit', 'reply-submit'], ['resolve', 'resolve'], ['remove', 'delete-conversation']] as const) {
          const button = c.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
          found[key] = !!button;
          button?.click();
        }
        return found;
      }, id);
      expect(reached).toEqual({ input: true, submit: true, resolve: true, remove: true });

      // Then the user replies for real. Operations go out in order, so had any faked one been taken,
      // it would reach the other browser first.
      await typeInUi(pa, `${conversationCss(id)} ${byTestId('reply-input')}`, 'Typed by the user.');
      await clickUi(pa, `${conversationCss(id)} ${byTestId('reply-submit')}`);
      await waitInUi(pb, 'the user’s reply', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length >= 2, id);
      for (const page of [pa, pb]) {
        expect((await commentsOf(page, id)).map((c) => c.text)).toEqual(['Mine to keep.', 'Typed by the user.']);
        const resolved = await page.evaluate((css: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>(css)?.dataset.resolved, conversationCss(id));
        expect(resolved).toBe('false');
      }
    } finally {
      await closeAll(pa, pb);
    }
  });
});

describe('the page cannot post through a composer the user opened', () => {
  it('a trusted submit the page starts (form.requestSubmit) and text it types (execCommand) post nothing; the user’s own Comment still does', async () => {
    const url = pages.url('article.html', 'request-submit');
    const pa = await openArticle(a, url);
    const pb = await openArticle(b, url);
    try {
      await waitForViewers(pb, 2);
      await openPanel(pa);
      await openPanel(pb);
      // The user selects text and opens the composer, as createConversation does, and stops there.
      await selectText(pa, '#p-selection', 'Regression test selection');
      await clickUi(pa, byTestId('annotate-button'));
      await pa.locator(`gloss-root >>> ${byTestId('composer')} textarea`).setTimeout(WAIT_MS).wait();

      // The page's own script: both of these are events the browser marks trusted (isTrusted true), so
      // the root's filter of untrusted events lets them through.
      const tried = await pa.evaluate(() => {
        const root = document.querySelector('gloss-root')!.shadowRoot!;
        const form = root.querySelector<HTMLFormElement>('[data-testid="composer"]')!;
        const field = form.querySelector('textarea')!;
        let submits = 0;
        root.addEventListener('submit', (e) => void (e.isTrusted && submits++), { capture: true });
        field.value = 'Posted by the page';
        form.requestSubmit();
        field.focus();
        document.execCommand('insertText', false, ' and typed by the page');
        form.requestSubmit();
        return { submits, composerOpen: root.querySelector('[data-testid="composer"]') !== null };
      });
      expect(tried).toEqual({ submits: 2, composerOpen: true });
      // Once the UI has rendered what those did: nothing was posted, not even pending, and the composer is still open.
      await pa.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
      expect(await conversationIds(pa)).toEqual([]);
      expect(await pa.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="composer"]') !== null)).toBe(true);

      // The user writes their own comment and presses Comment. Operations go out in order: had the
      // page's been taken, it would reach the other browser first.
      await typeInUi(pa, `${byTestId('composer')} textarea`, 'Typed by the user.');
      await clickUi(pa, byTestId('composer-submit'));
      await waitInUi(pb, 'the user’s conversation', (root) => root.querySelectorAll('[data-testid="conversation"]').length >= 1, null);
      for (const page of [pa, pb]) {
        const ids = await conversationIds(page);
        expect(ids).toHaveLength(1);
        expect((await commentsOf(page, ids[0]!)).map((c) => c.text)).toEqual(['Typed by the user.']);
      }
    } finally {
      await closeAll(pa, pb);
    }
  });
});

describe('the page cannot tell Gloss is installed', () => {
  it('no file of the extension can be loaded by the page, while the content script runs in it', async () => {
    const page = await openArticle(a, pages.url('article.html', 'probe'));
    try {
      const files = (fs.readdirSync(distPath('chrome'), { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(distPath('chrome'), f)).isFile());
      expect(files).toContain('manifest.json');
      // What a fingerprinting script does: ask for the extension's files at their fixed addresses.
      const loaded = await page.evaluate(async (origin: string, list: string[]) => {
        const ok = await Promise.all(list.map((file) => fetch(`${origin}/${file}`).then((r) => r.ok, () => false)));
        return list.filter((_, i) => ok[i]);
      }, a.extensionOrigin, files);
      expect(loaded).toEqual([]);
    } finally {
      await closeAll(page);
    }
  });
});

describe('styles do not cross the shadow root', () => {
  let plain: Browser;
  let plainProfile: string;

  beforeAll(async () => {
    // The same pages in a Chromium without Gloss: the reference for "our styles do not change the page".
    plainProfile = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-e2e-chromium-plain-'));
    plain = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: plainProfile,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--window-size=1280,900'],
      defaultViewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await plain?.close().catch(() => plain.process()?.kill('SIGKILL'));
    removeTemp(plainProfile);
  });

  it('host page CSS does not change our UI', async () => {
    const url = pages.url('hostile.html', 'hostile');
    const pa = await openArticle(a, url);
    try {
      await waitForViewers(pa, 1);
      // The page hides every button, div and [data-testid]: Annotate must still be there to click.
      const id = await createConversation(pa, '#p-two', 'live in a shadow root', 'Still readable here.');
      await waitForHighlights(pa, 1);
      const styles = await pa.evaluate((id: string) => {
        const root = document.querySelector('gloss-root')!.shadowRoot!;
        const pick = (css: string) => {
          const el = root.querySelector<HTMLElement>(css);
          if (!el) return null;
          const s = getComputedStyle(el);
          const r = el.getBoundingClientRect();
          return { display: s.display, visibility: s.visibility, color: s.color, fontSize: s.fontSize, fontFamily: s.fontFamily, background: s.backgroundColor, visible: r.width > 0 && r.height > 0 };
        };
        return {
          topbar: pick('[data-testid="topbar"]'),
          viewers: pick('[data-testid="viewers"]'),
          toggle: pick('[data-testid="panel-toggle"]'),
          panel: pick('[data-testid="panel"]'),
          text: pick(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment-text"]`),
          reply: pick(`[data-testid="conversation"][data-id="${id}"] [data-testid="reply-input"]`),
        };
      }, id);
      const ink = 'rgb(29, 29, 31)'; // #1d1d1f, the UI's own text colour
      expect(styles.topbar).toMatchObject({ display: 'flex', visibility: 'visible', background: 'rgb(255, 255, 255)', visible: true });
      expect(styles.viewers).toMatchObject({ color: ink, fontSize: '13px', visible: true });
      // Drawn pressed while the panel it opened is open (styles.ts: the accent #2a66e0 with white text).
      expect(styles.toggle).toMatchObject({ color: 'rgb(255, 255, 255)', fontSize: '13px', background: 'rgb(42, 102, 224)', visible: true });
      expect(styles.panel).toMatchObject({ display: 'flex', visible: true });
      expect(styles.text).toMatchObject({ color: ink, fontSize: '13px', visible: true });
      expect(styles.reply).toMatchObject({ fontSize: '13px', visible: true });
      for (const s of Object.values(styles)) expect(s!.fontFamily).not.toMatch(/comic/i);
    } finally {
      await closeAll(pa);
    }
  });

  it('our styles do not change the page: same computed styles and layout as without Gloss', async () => {
    const measure = (page: Page) =>
      page.evaluate(() => {
        const props = ['color', 'backgroundColor', 'fontFamily', 'fontSize', 'fontStyle', 'lineHeight', 'margin', 'padding', 'display', 'letterSpacing', 'borderLeft'] as const;
        const elements = [document.documentElement, document.body, ...document.body.querySelectorAll<HTMLElement>('*')].filter((e) => e.id || e === document.body || e === document.documentElement);
        return {
          size: { width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight },
          text: document.body.innerText,
          elements: elements.map((e) => {
            const s = getComputedStyle(e);
            const r = e.getBoundingClientRect();
            return { id: e.id || e.tagName, rect: [r.x, r.y, r.width, r.height], style: Object.fromEntries(props.map((p) => [p, s[p]])) };
          }),
        };
      });
    for (const file of ['article.html', 'hostile.html']) {
      const url = pages.url(file, 'page-styles');
      const withGloss = await openArticle(a, url);
      const without = await plain.newPage();
      try {
        await without.goto(url, { waitUntil: 'load' });
        await waitForViewers(withGloss, 1);
        // With a highlight painted too: painting must not move or restyle anything either.
        await createConversation(withGloss, file === 'article.html' ? '#p-practice' : '#p-one', file === 'article.html' ? 'the full suite nightly' : 'forty pixels high', 'Layout check.');
        await waitForHighlights(withGloss, 1);
        // Opened and closed again: while it is open on a window this wide, the page is narrowed beside it
        // on purpose (page-fit/side-by-side.ts, tested in side-by-side.test.ts); closed, it must be as without Gloss.
        await openPanel(withGloss);
        await clickUi(withGloss, byTestId('panel-toggle'));
        await withGloss.waitForFunction(() => !document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel"]'), { timeout: WAIT_MS, polling: POLL_MS });
        // Selecting text below the fold scrolled to it (as a reader does): compared at the same scroll.
        await withGloss.evaluate(() => scrollTo({ top: 0, behavior: 'instant' }));
        const [ours, reference] = await Promise.all([measure(withGloss), measure(without)]);
        expect(ours).toEqual(reference);
        // The host element takes no room in the page.
        const host = await withGloss.evaluate(() => {
          const r = document.querySelector('gloss-root')!.getBoundingClientRect();
          return [r.width, r.height];
        });
        expect(host).toEqual([0, 0]);
        // And the only rules Gloss adds to the page are ::highlight rules, some under a media query
        // (forced colours): read as the browser parsed them, so nothing else can hide in the text.
        const foreign = await withGloss.evaluate(() => {
          const sheet = (document.getElementById('gloss-highlight-style') as HTMLStyleElement | null)?.sheet;
          if (!sheet) return ['no stylesheet'];
          const onlyHighlights = /^::highlight\([\w-]+\)$/;
          const out: string[] = [];
          const pending: CSSRule[] = [...sheet.cssRules];
          for (let rule = pending.shift(); rule; rule = pending.shift()) {
            if (rule instanceof CSSMediaRule) pending.push(...rule.cssRules);
            else if (!(rule instanceof CSSStyleRule) || !rule.selectorText.split(',').every((s) => onlyHighlights.test(s.trim()))) out.push(rule.cssText);
          }
          return out;
        });
        expect(foreign).toEqual([]);
        await without.waitForFunction(() => !document.querySelector('gloss-root'), { timeout: WAIT_MS, polling: POLL_MS });
      } finally {
        await closeAll(withGloss, without);
      }
    }
  });
});
