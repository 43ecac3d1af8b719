import { describe, expect, it } from 'vitest';
import { affordanceAt, composerAt } from '../../../extension/content/selection/placement.js';

/** Where the Annotate button goes, for a 1280 × 900 viewport (the button is about 76 × 26 px). */
const win = { innerWidth: 1280, innerHeight: 900 } as Window;
const line = (top: number, left = 200, right = 400) => ({ left, right, top, bottom: top + 19 });

describe('the Annotate button', () => {
  it('sits under the end of a selection with room below', () => {
    expect(affordanceAt(win, line(300))).toEqual({ left: 360, top: 325 });
  });

  it('goes above a selection that ends at the bottom of the viewport, not over its text', () => {
    const end = line(861, 1189, 1278);
    const at = affordanceAt(win, end)!;
    expect(at.top + 30, 'its bottom edge').toBeLessThanOrEqual(end.top);
    expect(at.left + 92).toBeLessThanOrEqual(1280);
  });

  it('goes above the first line of a selection of several lines that ends at the bottom', () => {
    const at = affordanceAt(win, line(861), { left: 20, right: 1200, top: 800, bottom: 880 })!;
    expect(at.top + 30).toBeLessThanOrEqual(800);
  });

  it('is not shown while the selection is scrolled out of the viewport, above or below', () => {
    expect(affordanceAt(win, line(-643))).toBeNull();
    expect(affordanceAt(win, line(950))).toBeNull();
    // Its end below the viewport, its start still in view (a selection made upwards): shown, at the bottom edge.
    expect(affordanceAt(win, line(950), { left: 20, right: 1200, top: 700, bottom: 969 })).not.toBeNull();
  });

  it('is placed at the origin where layout is unknown (a DOM without rendering)', () => {
    expect(affordanceAt(win, { left: 0, top: 0, right: 0, bottom: 0 })).toEqual({ left: 4, top: 6 });
  });
});

/** The composer is about 300 × 214 px (placement.ts). */
describe('the composer', () => {
  it('opens under the last line of a selection with room below', () => {
    expect(composerAt(win, line(300))).toEqual({ left: 200, top: 325 });
  });

  it('opens above a selection near the bottom of the viewport, not over its text', () => {
    // Placed by its bottom edge, 6 px over the selection's first line, whatever the quote's height.
    expect(composerAt(win, line(800), { left: 200, right: 400, top: 760, bottom: 819 })).toEqual({ left: 200, bottom: 900 - 760 + 6 });
  });

  it('takes the side with more room when it fits on neither, and stays in the viewport', () => {
    const tall = { left: 20, right: 1200, top: 150, bottom: 880 };
    expect(composerAt(win, line(861), tall), 'more room above: its top edge at the window').toEqual({ left: 200, bottom: 900 - 220 });
    const low = { left: 20, right: 1200, top: 60, bottom: 700 };
    expect(composerAt(win, line(681, 20, 400), low), 'more room below').toEqual({ left: 20, top: 900 - 220 });
  });

  it('stays inside the viewport at its right edge', () => {
    expect(composerAt(win, line(300, 1200, 1270)).left).toBe(1280 - 308);
  });
});
