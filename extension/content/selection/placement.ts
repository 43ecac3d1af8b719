import { lastLineRect, type Rect } from './rect.js';

/** The Annotate button's box, with its margin to the viewport's edges. */
const BUTTON_WIDTH = 92;
const BUTTON_HEIGHT = 30;
const GAP = 6;
const EDGE = 4;

/**
 * Where the Annotate button goes for a selection whose last line is `rect` and whose whole extent is
 * `whole`: below its end, inside the viewport; null while none of the selection is in the viewport.
 *
 * Clamped into the viewport alone, a button whose selection had scrolled away (the page, or a box
 * scrolling inside it) stayed pinned to the viewport's edge over unrelated text, offering to annotate
 * text the reader could not see; it comes back with the text. Where the viewport ends too close under
 * the selection, the button goes above the selection's first line: clamped there instead, it covered
 * the end of the very text it was for.
 */
export function affordanceAt(win: Window, rect: Rect, whole: Rect = rect): { left: number; top: number } | null {
  if (whole.bottom < 0 || whole.top > win.innerHeight) return null;
  const below = rect.bottom + GAP;
  const fitsBelow = below + BUTTON_HEIGHT <= win.innerHeight - EDGE;
  const top = fitsBelow ? below : whole.top - GAP - BUTTON_HEIGHT;
  return { left: clamp(rect.right - 40, EDGE, win.innerWidth - BUTTON_WIDTH - EDGE), top: clamp(top, EDGE, win.innerHeight - BUTTON_HEIGHT - GAP) };
}

/** Where the composer for `range` goes: below its last line, inside the viewport. */
export function composerAt(win: Window, range: Range): { left: number; top: number } {
  const r = lastLineRect(range);
  return { left: clamp(r.left, 4, win.innerWidth - 308), top: clamp(r.bottom + 6, 4, win.innerHeight - 220) };
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(n, Math.max(min, max)));
}
