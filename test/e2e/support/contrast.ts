/**
 * Contrast of text as Chromium renders it: computed styles (in a shadow root or the document), with
 * every ancestor's opacity and background composited as the page paints them. Passed to
 * `page.evaluate`, so everything it uses is inside it.
 */

export interface Measured {
  /** `tag.className` of the element, or `textarea::placeholder` / `input::placeholder`. */
  what: string;
  text: string;
  /** WCAG contrast ratio of the text against what is painted under it. */
  ratio: number;
  /** Where the text is painted, in the viewport (its text's boxes together; a field's content box), for support/pixels.ts renderedContrast. */
  box: Box;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Colours {
  /** Every piece of visible text inside `within` (placeholders and field values included), disabled controls left out (WCAG exempts them). */
  texts: Measured[];
  /** Relative luminance (0 black to 1 white) of the background painted under `within` itself. */
  background: number;
}

/**
 * `host`: the element whose open shadow root holds `within` (`'gloss-root'`), or null for the document.
 * Each argument names one element: the first match is measured. `highlights`: the text is measured as
 * painted inside these `::highlight()`s, each over the one before (their backgrounds over the
 * element's, in the last one's text colour).
 */
export function measureColours({ host, within, highlights = [] }: { host: string | null; within: string; highlights?: string[] }): Colours {
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
  // The canvas under a page that paints no background of its own.
  const canvas: Rgba = [255, 255, 255, 1];
  const scope: ParentNode = host === null ? document : document.querySelector(host)!.shadowRoot!;
  const top = scope.querySelector(within);
  if (!top) throw new Error(`nothing matches ${within}`);
  const texts: Measured[] = [];
  /** The element's own text (not its children's), or a field's content box: where its glyphs are painted. */
  const boxOf = (el: Element): Box => {
    const rects: DOMRect[] = [];
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      const left = parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft);
      const top = parseFloat(s.borderTopWidth) + parseFloat(s.paddingTop);
      const right = parseFloat(s.borderRightWidth) + parseFloat(s.paddingRight);
      const bottom = parseFloat(s.borderBottomWidth) + parseFloat(s.paddingBottom);
      rects.push(new DOMRect(r.x + left, r.y + top, r.width - left - right, r.height - top - bottom));
    } else {
      for (const n of el.childNodes) {
        if (n.nodeType !== Node.TEXT_NODE || n.textContent!.trim() === '') continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        rects.push(...range.getClientRects());
      }
    }
    const x = Math.min(...rects.map((r) => r.left));
    const y = Math.min(...rects.map((r) => r.top));
    return { x, y, width: Math.max(...rects.map((r) => r.right)) - x, height: Math.max(...rects.map((r) => r.bottom)) - y };
  };
  const measure = (el: Element, what: string, text: string, color: string) => {
    const els = chain(el);
    let under = paint(els, 0, canvas, null);
    let ink = paint(els, 0, canvas, parse(color));
    for (const name of highlights) {
      const style = getComputedStyle(el, `::highlight(${name})`);
      under = over(parse(style.backgroundColor), under);
      ink = over(parse(style.color), under);
    }
    texts.push({ what: highlights.length > 0 ? `${what}::highlight(${highlights.join(', ')})` : what, text: text.slice(0, 30), ratio: contrast(ink, under), box: boxOf(el) });
  };
  for (const el of [top, ...top.querySelectorAll('*')]) {
    if (!el.checkVisibility() || el.closest('.sr-only') || el.matches(':disabled')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    if (own) measure(el, `${el.tagName.toLowerCase()}.${el.className}`, el.textContent!.trim(), getComputedStyle(el).color);
    if ((el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) && el.type !== 'checkbox') {
      if (el.value !== '') measure(el, `${el.tagName.toLowerCase()}[value]`, el.value, getComputedStyle(el).color);
      else if (el.placeholder) measure(el, `${el.tagName.toLowerCase()}::placeholder`, el.placeholder, getComputedStyle(el, '::placeholder').color);
    }
  }
  return { texts, background: luminance(paint(chain(top), 0, canvas, null)) };
}
