import { expect, it } from 'vitest';
import { PANEL_INSET, PANEL_WIDTH } from '../../../../extension/content/panel-box.js';
import { GAP, MIN_PAGE_WIDTH, panelLeft, reachesUnder, RESERVED, roomBeside } from '../../../../extension/content/page-fit/width-rule.js';

/**
 * When the page is narrowed beside the open panel (extension/content/page-fit/width-rule.ts): only
 * where it keeps MIN_PAGE_WIDTH, and only when its text reaches under the panel.
 */
it('gives up the panel, its inset and the gap', () => {
  expect(RESERVED).toBe(PANEL_WIDTH + PANEL_INSET + GAP);
  expect(RESERVED).toBe(384);
  expect(panelLeft(1280)).toBe(1280 - 8 - 360);
});

it('narrows only where the page keeps 480 px beside the panel', () => {
  expect(MIN_PAGE_WIDTH).toBe(480);
  expect(roomBeside(480 + RESERVED)).toBe(true);
  expect(roomBeside(480 + RESERVED - 1)).toBe(false);
  expect(roomBeside(1280)).toBe(true);
  expect(roomBeside(800)).toBe(false);
  expect(roomBeside(360)).toBe(false);
});

it('moves a page only when its text reaches under the panel', () => {
  // A 768 px centred column in a 1280 px window ends at 1024, under the panel (from 912).
  expect(reachesUnder(1024, 1280)).toBe(true);
  // The same column in a 1600 px window ends at 1184, left of the panel (from 1232): not moved.
  expect(reachesUnder(1184, 1600)).toBe(false);
  // Ending exactly where the panel starts, or a rounding's half pixel past it, hides nothing.
  expect(reachesUnder(912, 1280)).toBe(false);
  expect(reachesUnder(912.4, 1280)).toBe(false);
  expect(reachesUnder(913, 1280)).toBe(true);
  // No text blocks found: all of the page may be what the reader wants, so it counts as reaching.
  expect(reachesUnder(null, 1280)).toBe(true);
});
