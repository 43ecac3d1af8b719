import { describe, expect, it } from 'vitest';
import { bandAround, outgrown, SpanIndex, type Span } from '../../../extension/content/highlighter/paint-window.js';
import { seeded } from '../../support/seeded.js';

/** Every index whose span meets the band, by a plain pass: what the binary search must give. */
function byHand(spans: readonly Span[], lo: number, hi: number): number[] {
  return spans.flatMap((s, i) => (s === null || (s.bottom >= lo && s.top <= hi) ? [i] : []));
}

describe('paint window', () => {
  it('registers the spans that meet the band, boxless ones always, in the order given', () => {
    const spans: Span[] = [
      { top: 5000, bottom: 5020 },
      { top: 10, bottom: 30 },
      null,
      { top: 2990, bottom: 3010 }, // straddles the band's lower edge
      { top: 100, bottom: 4000 }, // tall: starts far above, reaches in
      { top: 3500, bottom: 3520 },
      { top: 9000, bottom: 9020 },
    ];
    expect(new SpanIndex(spans).within({ lo: 3000, hi: 6000 })).toEqual([0, 2, 3, 4, 5]);
    expect(new SpanIndex(spans).within({ lo: 8000, hi: 9000 })).toEqual([2, 6]);
  });

  it('gives what a pass over every span gives, for random pages and bands', () => {
    const { next } = seeded(42);
    for (let round = 0; round < 200; round++) {
      const spans: Span[] = Array.from({ length: 1 + Math.floor(next() * 300) }, () => {
        if (next() < 0.03) return null;
        const top = Math.floor(next() * 50_000);
        return { top, bottom: top + (next() < 0.05 ? Math.floor(next() * 8000) : Math.floor(next() * 60)) };
      });
      const lo = Math.floor(next() * 52_000) - 2000;
      const hi = lo + Math.floor(next() * 6000);
      expect(new SpanIndex(spans).within({ lo, hi }), `round ${round}`).toEqual(byHand(spans, lo, hi));
    }
  });

  it('chooses again only once the viewport comes within the slack of the band’s edge', () => {
    const band = bandAround(10_000, 900);
    expect(band).toEqual({ lo: 10_000 - 1800, hi: 10_900 + 1800 });
    expect(outgrown(null, 0, 900)).toBe(true);
    expect(outgrown(band, 10_000, 900)).toBe(false);
    expect(outgrown(band, 10_900, 900)).toBe(false); // a viewport down: a viewport of margin left below
    expect(outgrown(band, 10_901, 900)).toBe(true);
    expect(outgrown(band, 9_100, 900)).toBe(false);
    expect(outgrown(band, 9_099, 900)).toBe(true);
    expect(outgrown(band, 10_000, 2000)).toBe(true); // the window grew much taller
  });
});
