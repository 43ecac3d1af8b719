/**
 * The conversations panel's box as ui/styles.ts draws it, in CSS pixels of the viewport: one source
 * for the style and for the host-page code that makes room for it (page-fit/side-by-side.ts).
 */
export const PANEL_WIDTH = 360;
/** From the viewport's right and bottom edges (the vertical scrollbar excluded, as for any fixed box). */
export const PANEL_INSET = 8;
/** Under the top bar. */
export const PANEL_TOP = 52;
