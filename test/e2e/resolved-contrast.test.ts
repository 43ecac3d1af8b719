import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { toggleResolved } from './support/faults-ui.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { conversationCss, createConversation, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * A resolved conversation is drawn quieter than an open one, yet its text stays readable: WCAG's
 * 4.5:1 for text. Measured on the colours Chromium renders (computed styles in the shadow root),
 * with every ancestor's opacity and background composited as the page paints them.
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'C', name: 'Contrast' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

interface Measured {
  what: string;
  text: string;
  ratio: number;
}

/** The contrast of every piece of visible text in the conversation (placeholders included) against what is painted under it. */
function measure(css: string): Measured[] {
  type Rgba = [number, number, number, number];
  const parse = (value: string): Rgba => {
    const n = value.match(/[\d.]+/g)?.map(Number) ?? [];
    if (n.length < 3) throw new Error(`unreadable colour ${value}`);
    return [n[0]!, n[1]!, n[2]!, n[3] ?? 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
  const mix = (a: Rgba, b: Rgba, share: number): Rgba => [0, 1, 2].map((i) => a[i]! * share + b[i]! * (1 - share)).concat(1) as Rgba;
  const luminance = (c: Rgba) => {
    const [r, g, b] = [0, 1, 2].map((i) => {
      const s = c[i]! / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };
  /** From the document root down to `el`, across the shadow boundary. */
  const chain = (el: Element): Element[] => {
    const out: Element[] = [];
    for (let e: Element | null = el; e; ) {
      out.unshift(e);
      const root = e.getRootNode();
      e = e.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
    }
    return out;
  };
  /**
   * The colour of one pixel of `el`: each ancestor paints its background over what is under it, then
   * its content (the next ancestor, or the text colour at the end); its opacity mixes that group back
   * with what was under it.
   */
  const paint = (els: Element[], i: number, under: Rgba, text: Rgba | null): Rgba => {
    const style = getComputedStyle(els[i]!);
    let c = over(parse(style.backgroundColor), under);
    c = i === els.length - 1 ? (text ? over(text, c) : c) : paint(els, i + 1, c, text);
    return mix(c, under, Number(style.opacity));
  };
  const white: Rgba = [255, 255, 255, 1];
  const root = document.querySelector('gloss-root')!.shadowRoot!;
  const conversation = root.querySelector(css)!;
  const out: Measured[] = [];
  for (const el of [conversation, ...conversation.querySelectorAll('*')]) {
    if (!el.checkVisibility() || el.closest('.sr-only')) continue;
    const els = chain(el);
    const background = paint(els, 0, white, null);
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (own) {
      const ratio = contrast(paint(els, 0, white, parse(getComputedStyle(el).color)), background);
      out.push({ what: `${el.tagName.toLowerCase()}.${el.className}`, text: el.textContent!.trim().slice(0, 30), ratio });
    }
    if (el instanceof HTMLTextAreaElement && el.placeholder && el.value === '') {
      const ratio = contrast(paint(els, 0, white, parse(getComputedStyle(el, '::placeholder').color)), background);
      out.push({ what: 'textarea::placeholder', text: el.placeholder, ratio });
    }
  }
  return out;
}

it('a resolved conversation is quieter than an open one, and all its text keeps a contrast of at least 4.5:1', async () => {
  const article = await openArticle(g, pages.url('article.html', 'contrast'));
  try {
    await waitForViewers(article, 1);
    const phrase = async (css: string) => article.$eval(css, (p) => p.textContent!.trim().split(/\s+/).slice(0, 3).join(' '));
    const open = await createConversation(article, '#p-definition', await phrase('#p-definition'), 'Still open.');
    const resolved = await createConversation(article, '#p-closing', await phrase('#p-closing'), 'Settled now.');
    await toggleResolved(article, resolved);
    await article.locator(`gloss-root >>> ${conversationCss(resolved)} [data-testid="resolve"]`).wait();

    const quiet = await article.evaluate(measure, conversationCss(resolved));
    const loud = await article.evaluate(measure, conversationCss(open));
    const comment = (m: Measured[]) => m.find((x) => x.what.startsWith('div.text'))!.ratio;

    expect(quiet.map((m) => m.what)).toEqual(expect.arrayContaining(['div.text', 'span.author', 'button.quote', 'textarea::placeholder']));
    expect(quiet.filter((m) => m.ratio < 4.5)).toEqual([]);
    expect(comment(quiet)).toBeLessThan(comment(loud));
  } finally {
    await closeAll(article);
  }
});
