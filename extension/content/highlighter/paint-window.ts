/**
 * Which of many highlights to register: those whose boxes lie within the viewport and a margin
 * (docs/architecture.md, "Painting near the viewport"). Pure: positions in, indices out; the DOM side
 * is visible-ranges.ts.
 *
 * Why at all: Chromium re-validates every range registered in `CSS.highlights` in the frame after any
 * change to the document (an attribute in our own shadow root included), 10.7–13.3 ms at 5,000 ranges
 * on the benchmarks' page against 0.2 ms with none, 70–150 ms with the whole extension on a loaded
 * VM (docs/benchmarks.md, change 42). Ranges far from the viewport are not seen; registering only the
 * near ones makes that cost follow what is on screen, not the page's whole count.
 */

/** From this many ranges the window applies; below it every range is registered, as always (a page with a few pays little). */
export const WINDOW_FROM = 1000;
/** Viewport heights registered above and below the viewport: a fast scroll of up to this much never shows an unpainted highlight. */
export const MARGIN = 2;
/**
 * Viewport heights of the margin that may be scrolled into before the window is chosen again: a
 * registration is a new Highlight (a few ms), so it is made once per viewport scrolled, not per frame.
 */
export const SLACK = 1;

/** A range's box, document-relative (px, top down); null: no box (hidden, not laid out): always registered. */
export type Span = { top: number; bottom: number } | null;

/** The span of the document [lo, hi] a window covers. */
export interface Band {
  lo: number;
  hi: number;
}

/** The band registered for a viewport from `top` (the scroll offset) `height` high. */
export function bandAround(top: number, height: number, margin = MARGIN): Band {
  return { lo: top - margin * height, hi: top + height + margin * height };
}

/** True when the viewport came within `slack` viewports of an edge of `band` (or there is none): time to choose again. */
export function outgrown(band: Band | null, top: number, height: number, slack = SLACK): boolean {
  return band === null || top - slack * height < band.lo || top + height + slack * height > band.hi;
}

/**
 * Spans sorted by their top, for a binary search of a band: one pass over all of them per scroll was
 * what the window is there to avoid. A range as tall as the page would make every search scan from
 * the start (the search starts at the tallest span's height above the band); that is correct, only slower.
 */
export class SpanIndex {
  private readonly order: number[];
  private readonly tops: number[];
  private readonly boxless: number[] = [];
  private readonly tallest: number;

  constructor(private readonly spans: readonly Span[]) {
    const boxed: number[] = [];
    let tallest = 0;
    spans.forEach((s, i) => {
      if (s === null) this.boxless.push(i);
      else {
        boxed.push(i);
        tallest = Math.max(tallest, s.bottom - s.top);
      }
    });
    boxed.sort((a, b) => spans[a]!.top - spans[b]!.top);
    this.order = boxed;
    this.tops = boxed.map((i) => spans[i]!.top);
    this.tallest = tallest;
  }

  /** Indices (ascending, the order the spans were given in) of the spans that meet `band`, and of every boxless one. */
  within(band: Band): number[] {
    const out = [...this.boxless];
    for (let k = lowerBound(this.tops, band.lo - this.tallest); k < this.order.length && this.tops[k]! <= band.hi; k++) {
      const i = this.order[k]!;
      if (this.spans[i]!.bottom >= band.lo) out.push(i);
    }
    return out.sort((a, b) => a - b);
  }
}

/** The first index whose value is ≥ `x` in ascending `values`. */
function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same ranges in the same order: what is registered already needs no new Highlight. */
export function sameRanges(a: readonly Range[], b: readonly Range[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
