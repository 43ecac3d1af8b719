import { shadowRootsOf } from './clicks.js';
import { caretAt, idsAt, sameIds } from './hit-test.js';

/**
 * How long the pointer stays on the same highlights before their cards are marked. At 5,000
 * conversations any change to the document, a card's class in our shadow root included, makes
 * Chromium's next frame cost 70–150 ms (its highlights' work, measured: docs/architecture.md, "Linked
 * hover"): marked at every highlight crossed, a sweep of the pointer over the text kept the main
 * thread busy 0.5–0.6 s per stop. A pointer that rests is a reader looking; one passing by is not.
 */
export const REST_MS = 120;

/**
 * Tells `report` which conversations' highlighted text the pointer is on in the page (all of them
 * where highlights overlap; none when it leaves them, the window, or enters our UI), so their cards
 * can be marked. Host-page code: what it means is the caller's.
 *
 * The pointer moves far more often than the screen changes: the position is only noted per event,
 * and tested once per animation frame (a caret from the point and one `isPointInRange` per range,
 * highlight clicks' hit-test). Nothing at all is tested while `wanted` says no (the panel is closed:
 * there is no card to mark), nor while the caret stays at the same place in the text, and `report`
 * is called only when the set changes and has stayed so for REST_MS (at once when the panel closes).
 */
export function watchHighlightHover(
  doc: Document,
  host: Element,
  anchored: () => Map<string, readonly Range[]>,
  wanted: () => boolean,
  report: (ids: readonly string[]) => void,
  signal: AbortSignal,
): void {
  const win = doc.defaultView as Window;
  let at: { x: number; y: number } | null = null;
  let frame: number | null = null;
  let caret: { node: Node; offset: number } | null = null;
  /** What `report` was told last, and the timer that will tell it what the pointer rests on now. */
  let last: readonly string[] = [];
  let resting: number | null = null;
  const settle = () => {
    if (resting !== null) win.clearTimeout(resting);
    resting = null;
  };
  const tellNow = (ids: readonly string[]) => {
    settle();
    if (sameIds(ids, last)) return;
    last = ids;
    report(ids);
  };
  const tell = (ids: readonly string[]) => {
    settle();
    if (!sameIds(ids, last)) resting = win.setTimeout(() => tellNow(ids), REST_MS);
  };
  const test = () => {
    frame = null;
    if (signal.aborted) return;
    if (!wanted()) {
      caret = null;
      return tellNow([]);
    }
    if (at === null) {
      caret = null;
      return tell([]);
    }
    const ranges = anchored();
    const next = caretAt(doc, at.x, at.y, shadowRootsOf(ranges));
    if (next !== null && caret !== null && next.node === caret.node && next.offset === caret.offset) return;
    caret = next;
    tell(next === null ? [] : idsAt(ranges, next.node, next.offset));
  };
  win.addEventListener(
    'pointermove',
    (e) => {
      // Closed panel: not even a frame asked for, unless marks are left to take away.
      if (!wanted() && last.length === 0) return;
      // Over our own UI (the panel, the bar): not on the page's text.
      at = e.composedPath().includes(host) ? null : { x: e.clientX, y: e.clientY };
      frame ??= win.requestAnimationFrame(test);
    },
    { signal, capture: true, passive: true },
  );
  // Out of the window (no element to go to): nothing is under the pointer any more.
  win.addEventListener(
    'pointerout',
    (e) => {
      if (e.relatedTarget !== null || (!wanted() && last.length === 0)) return;
      at = null;
      frame ??= win.requestAnimationFrame(test);
    },
    { signal, capture: true, passive: true },
  );
  signal.addEventListener(
    'abort',
    () => {
      if (frame !== null) win.cancelAnimationFrame(frame);
      settle();
    },
    { once: true },
  );
}
