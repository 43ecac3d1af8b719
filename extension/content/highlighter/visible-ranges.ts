import { shadowRootsAround } from '../anchoring/composed.js';
import { bandAround, outgrown, sameRanges, SpanIndex, WINDOW_FROM, type Band, type Span } from './paint-window.js';

/** A scroll is over when nothing has scrolled for this long: then every position is measured again. */
const SETTLE_MS = 200;
/**
 * Every position measured again at most this often: a page whose body changes size every frame (an
 * animation, a feed growing) would otherwise pay the 10–20 ms of measuring 5,000 positions per frame.
 */
const REMEASURE_MS = 100;

export interface VisibleRanges {
  /** What of `all` to register in `gloss` now: every range below WINDOW_FROM, else those near the viewport. */
  select(all: readonly Range[]): readonly Range[];
  /** The page's layout changed (its DOM, the page fitted beside the panel): the positions measured are stale. */
  layoutChanged(): void;
  stop(): void;
}

/**
 * The DOM side of paint-window.ts: document-relative positions of the ranges, measured once and kept
 * (5,000 positions take 9–30 ms in Chromium on the benchmarks' page, too slow per scroll frame), and
 * the band chosen again as the reader scrolls. `repaint` is asked to call `select` again
 * when what it gives has changed: the viewport left the band, or the positions went stale.
 *
 * Positions go stale with the layout: a resize, the root or body changing size (text inserted or
 * removed, the page narrowed beside the panel: a ResizeObserver), fonts loading, DOM changes the
 * content script observes (`layoutChanged`), a scrolling box inside the page scrolled (its ranges
 * alone). Some changes none of those see (a box that changes height without changing the page's,
 * position: fixed text, a scroll inside a shadow tree, whose scroll events stay there): every
 * position is measured again once scrolling settles, so such a highlight is unpainted at most until
 * the reader stops. Listeners are on only while the window applies.
 */
export function visibleRanges(doc: Document, repaint: () => void): VisibleRanges {
  const win = doc.defaultView as Window;
  let ranges: readonly Range[] | null = null;
  const spans = new Map<Range, Span>();
  let index: SpanIndex | null = null;
  let band: Band | null = null;
  let chosen: readonly Range[] = [];
  let watching: AbortController | null = null;
  let frame: number | null = null;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let measuredAt = -Infinity;
  let held: ReturnType<typeof setTimeout> | undefined;

  const later = () => {
    frame ??= win.requestAnimationFrame(() => {
      frame = null;
      if (ranges !== null) repaint();
    });
  };
  const stale = () => {
    const wait = measuredAt + REMEASURE_MS - performance.now();
    if (wait > 0) {
      held ??= setTimeout(() => {
        held = undefined;
        stale();
      }, wait);
      return;
    }
    spans.clear();
    index = null;
    later();
  };
  const onScroll = (e: Event) => {
    const target = e.target;
    // A box inside the page scrolled: its ranges moved, the others did not.
    // (Told by nodeType, not instanceof: in Firefox the page's nodes are not the content script's Node.)
    if (ranges !== null && (target as Node | null)?.nodeType === 1 && target !== doc.documentElement && target !== doc.body) {
      const box = target as Element;
      for (const range of ranges) if (box.contains(outermost(range.commonAncestorContainer))) spans.delete(range);
      index = null;
    }
    later();
    clearTimeout(settle);
    settle = setTimeout(stale, SETTLE_MS);
  };
  const watch = () => {
    if (watching) return;
    watching = new AbortController();
    const signal = watching.signal;
    // Capture: scroll events of boxes inside the page do not bubble.
    doc.addEventListener('scroll', onScroll, { signal, capture: true, passive: true });
    win.addEventListener('resize', stale, { signal, passive: true });
    doc.fonts?.addEventListener('loadingdone', stale, { signal });
    const sizes = new WeakMap<Element, string>();
    // Every browser with the highlight API has ResizeObserver; a test DOM may not: then resizes, fonts and the settle catch it.
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            // Each element is reported once on observe: only a size that changed after that counts.
            let changed = false;
            for (const { target, contentRect } of entries) {
              const size = `${contentRect.width}x${contentRect.height}`;
              if (sizes.has(target) && sizes.get(target) !== size) changed = true;
              sizes.set(target, size);
            }
            if (changed) stale();
          })
        : null;
    for (const el of [doc.documentElement, doc.body]) if (el) observer?.observe(el);
    signal.addEventListener(
      'abort',
      () => {
        observer?.disconnect();
        if (frame !== null) win.cancelAnimationFrame(frame);
        frame = null;
        clearTimeout(settle);
        clearTimeout(held);
        held = undefined;
      },
      { once: true },
    );
  };
  const unwatch = () => {
    watching?.abort();
    watching = null;
    ranges = null;
    spans.clear();
    index = null;
    band = null;
  };

  return {
    select(all) {
      if (all.length < WINDOW_FROM) {
        unwatch();
        return all;
      }
      watch();
      if (ranges === null || !sameRanges(ranges, all)) {
        ranges = all;
        index = null;
      }
      const top = win.scrollY;
      const height = win.innerHeight;
      if (index === null) {
        // Read once a pass: each read of the window's geometry checks the layout again.
        const at = { boxes: new Map<Element, DOMRect>(), scrollY: top, height };
        const list = all.map((range) => {
          if (!spans.has(range)) spans.set(range, measure(range, at));
          return spans.get(range) ?? null;
        });
        // Ranges gone from the page are not kept for ever.
        if (spans.size > all.length) {
          const kept = new Set(all);
          for (const range of spans.keys()) if (!kept.has(range)) spans.delete(range);
        }
        index = new SpanIndex(list);
        band = null;
        measuredAt = performance.now();
      }
      if (outgrown(band, top, height)) {
        band = bandAround(top, height);
        chosen = index.within(band).map((i) => all[i]!);
      }
      return chosen;
    },
    layoutChanged() {
      if (ranges !== null) stale();
    },
    stop: unwatch,
  };
}

/**
 * A range's box, document-relative. The box of its element (the one holding it all) stands for it when
 * that is at most a viewport high: an element's box is kept by the layout, a range's is computed from
 * its text each time, and the band's margins dwarf the difference. Else, or when the element has no
 * box (display: contents), the range's own.
 */
function measure(range: Range, at: { boxes: Map<Element, DOMRect>; scrollY: number; height: number }): Span {
  const common = range.commonAncestorContainer;
  const el = common.nodeType === 1 ? (common as Element) : common.parentElement;
  if (el) {
    let box = at.boxes.get(el);
    if (!box) at.boxes.set(el, (box = el.getBoundingClientRect()));
    if (box.height > 0 && box.height <= at.height) return { top: box.top + at.scrollY, bottom: box.bottom + at.scrollY };
  }
  const box = range.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null;
  return { top: box.top + at.scrollY, bottom: box.bottom + at.scrollY };
}

/** The node itself, or the host of the outermost shadow tree it is in: what a box of the document can contain. */
function outermost(node: Node): Node {
  return shadowRootsAround(node).at(-1)?.host ?? node;
}
