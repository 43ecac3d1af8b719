import { describe, expect, it } from 'vitest';
import { affordanceAt } from '../../../extension/content/selection/placement.js';

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
