import type { Rect } from './rect.js';

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

/** The composer's box as styles.ts draws it: 300 px wide with its padding and border; 150–220 px tall by its quote. */
const COMPOSER_WIDTH = 308;
const COMPOSER_HEIGHT = 220;

/** A composer placed by its top edge (below the text) or by its bottom edge (above it), in viewport pixels. */
export type ComposerPlace = { left: number; top: number } | { left: number; bottom: number };

/**
 * Where the composer goes for a selection whose last line is `rect` and whose whole extent is `whole`:
 * below its last line where it fits, else above its first line, inside the viewport.
 *
 * Clamped into the viewport alone, a composer for text near the bottom of the viewport sat over that
 * very text, which the writer wants to read while writing about it. Above, it is placed by its bottom
 * edge: its height depends on the quote's length, and its top edge placed for the tallest left a gap.
 * Where it fits on neither side (a selection as tall as the viewport), it goes on the side with more
 * room and covers the least.
 */
export function composerAt(win: Window, rect: Rect, whole: Rect = rect): ComposerPlace {
  const left = clamp(rect.left, EDGE, win.innerWidth - COMPOSER_WIDTH);
  const below = rect.bottom + GAP;
  const roomBelow = win.innerHeight - EDGE - below;
  const roomAbove = whole.top - GAP - EDGE;
  if (roomBelow >= COMPOSER_HEIGHT || (roomAbove < COMPOSER_HEIGHT && roomBelow >= roomAbove)) {
    return { left, top: clamp(below, EDGE, win.innerHeight - COMPOSER_HEIGHT) };
  }
  return { left, bottom: clamp(win.innerHeight - whole.top + GAP, EDGE, win.innerHeight - COMPOSER_HEIGHT) };
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(n, Math.max(min, max)));
}
