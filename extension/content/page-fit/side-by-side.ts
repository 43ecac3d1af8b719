import { rootZoom } from '../root-zoom.js';
import { overrideInline } from './inline-style.js';
import { findPlace, keepPlace, placeOf, type Place } from './keep-place.js';
import { textRight } from './text-edge.js';
import { viewport } from './viewport.js';
import { reachesUnder, RESERVED, roomBeside } from './width-rule.js';

/** A scroll is over when the window has not scrolled for this long: only then is the reader's place looked for. */
const SETTLE_MS = 150;

/**
 * Side by side: while the conversations panel is open, the page is narrowed so that its text reflows
 * beside the panel instead of running under it (docs/architecture.md, "Side by side").
 *
 * How: a right margin on the root element (<html>), `!important` inline (inline-style.ts), the width
 * of the panel and a gap (width-rule.ts). The page lays itself out as in a narrower window, with its
 * own rules: a centred column centres in what is left, fluid text rewraps. On <html>, not <body>:
 * pages style their body's margins and width far more often than their root's.
 *
 * When (all of it, checked at each opening and each change of the window's width while open):
 * - the window leaves the page MIN_PAGE_WIDTH beside the panel (width-rule.ts); else the panel is
 *   drawn over the page as before;
 * - the page's text reaches under the panel (text-edge.ts); a page whose text already ends left of
 *   it is left where it is;
 * - narrowed, the text does end left of the panel and the page does not start scrolling sideways;
 *   else the page does not reflow (a fixed-width layout, a root sized by the page) and is put back
 *   at once, in the same task (nothing is painted in between).
 * Every change keeps the reader's place (keep-place.ts). Closing the panel, and the content script's
 * teardown (`signal`), put the page's own style back exactly.
 *
 * Returns `follow(open, looking)`, called with the panel's state by each render pass (controller.ts):
 * true when it changed the page's layout (what was measured on the page before is stale). `looking`:
 * the open conversation's highlight, kept where it is instead of the top line when it is wholly in
 * view (a click on it opened the panel: the reader is looking at it, and text rewrapping above it
 * would push it down, out of sight near the window's bottom). `changed` asks for a pass: the window's
 * width changed while the panel is open.
 */
export function sideBySide(doc: Document, skip: Node, changed: () => void, signal: AbortSignal): (open: boolean, looking?: Range | null) => boolean {
  const win = doc.defaultView as Window;
  /** Puts the page back, while it is narrowed. */
  let restore: (() => void) | null = null;
  let open = false;
  /** The window's width the last decision was taken for. */
  let decidedAt = 0;
  /**
   * The reader's place while the panel is open (keep-place.ts), and the window's scroll it was found
   * at: found again once a scroll of theirs settles, so that a resize of the window, which reflows
   * the page before we hear of it, is measured from where they were reading before it.
   */
  let place: (Place & { y: number }) | null = null;
  let settling: ReturnType<typeof setTimeout> | undefined;
  const keep = (change: () => void, looking: Range | null = null) => {
    const kept = keepPlace(doc, skip, change, (looking && placeOf(looking, doc)) ?? place);
    place = kept && open ? { ...kept, y: win.scrollY } : null;
  };
  win.addEventListener(
    'scroll',
    () => {
      if (!open || (place && place.y === win.scrollY)) return;
      place = null;
      clearTimeout(settling);
      settling = setTimeout(() => {
        const found = open ? findPlace(doc, win, skip) : null;
        place = found && { ...found, y: win.scrollY };
      }, SETTLE_MS);
    },
    { signal, passive: true },
  );
  signal.addEventListener('abort', () => clearTimeout(settling), { once: true });

  /** `edge`: the text's right edge, when already measured on the layout as it is now. */
  const narrow = (edge = textRight(doc, skip)): (() => void) | null => {
    const view = viewport(doc);
    const width = view.clientWidth;
    if (!reachesUnder(edge, width)) return null;
    const overflowed = view.scrollWidth > width;
    const put = overrideInline(doc.documentElement, 'margin-right', `${RESERVED / rootZoom(doc)}px`);
    const after = view.clientWidth;
    if (reachesUnder(textRight(doc, skip), after) || (!overflowed && view.scrollWidth > after)) {
      put();
      return null;
    }
    return put;
  };

  const follow = (nowOpen: boolean, looking: Range | null = null): boolean => {
    const width = win.innerWidth;
    if (nowOpen === open && (!open || width === decidedAt)) return false;
    open = nowOpen;
    decidedAt = width;
    const wanted = open && roomBeside(viewport(doc).clientWidth);
    // Measured once (a walk of the page's text blocks, 8-12 ms on a 2 MB page): with nothing to put
    // back first, `narrow` reads the same layout.
    const edge = !restore && wanted ? textRight(doc, skip) : undefined;
    // Nothing to put back and nothing to do: no walk of the page for the reader's place.
    if (!restore && (!wanted || !reachesUnder(edge ?? null, viewport(doc).clientWidth))) {
      // Closed, the reader's place is not followed: found again at the next opening.
      if (!open) place = null;
      return false;
    }
    const narrowed = restore !== null;
    keep(() => {
      restore?.();
      restore = null;
      if (wanted) restore = narrow(edge);
    }, looking);
    return narrowed || restore !== null;
  };

  win.addEventListener(
    'resize',
    () => {
      if (open && win.innerWidth !== decidedAt) changed();
    },
    { signal, passive: true },
  );
  signal.addEventListener(
    'abort',
    () => {
      const put = restore;
      restore = null;
      if (put) keep(put);
    },
    { once: true },
  );
  return follow;
}

