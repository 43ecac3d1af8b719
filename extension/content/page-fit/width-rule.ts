import { PANEL_INSET, PANEL_WIDTH } from '../panel-box.js';

/**
 * Between the page's narrowed right edge and the panel: text running up to the panel's border reads
 * as cut off by it.
 */
export const GAP = 16;

/** What the page gives up beside the open panel: the panel, its inset from the window's edge and the gap. */
export const RESERVED = PANEL_WIDTH + PANEL_INSET + GAP;

/**
 * The narrowest the page is made to be. Under it the panel stays drawn over the page, as on any
 * narrow window: 480 px holds a line of 60-70 characters of 16 px body text, about the shortest
 * line that still reads as prose; squeezed below it, pages fall into one or two words a line or
 * overflow sideways, which is worse than a panel over part of the text. So side by side needs a
 * window at least 480 + RESERVED = 864 px wide (its width without the vertical scrollbar).
 */
export const MIN_PAGE_WIDTH = 480;

/** The panel's left edge in a viewport `viewportWidth` wide (without the scrollbar). */
export function panelLeft(viewportWidth: number): number {
  return viewportWidth - PANEL_INSET - PANEL_WIDTH;
}

/** The page can be narrowed beside the panel and keep a usable width. */
export function roomBeside(viewportWidth: number): boolean {
  return viewportWidth - RESERVED >= MIN_PAGE_WIDTH;
}

/**
 * The page's text (page-fit/text-edge.ts) reaches under the panel: null (no text blocks found)
 * counts as reaching it, all of the page being possibly what the reader wants to see. A page whose
 * text ends left of the panel (a centred column on a wide window) is not moved: nothing of it is
 * hidden, and a move would only shift what the reader is looking at.
 */
export function reachesUnder(textRight: number | null, viewportWidth: number): boolean {
  return textRight === null || textRight > panelLeft(viewportWidth) + 0.5;
}
