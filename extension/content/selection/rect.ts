/** Viewport rectangle of a range's last line (where the affordances go); zeros where layout is unknown. */
export interface Rect {
  left: number;
  top: number;
  bottom: number;
  right: number;
}

export function lastLineRect(range: Range): Rect {
  // Ranges without layout methods exist (non-rendering DOMs such as jsdom): place at the origin.
  if (typeof range.getClientRects !== 'function') return { left: 0, top: 0, bottom: 0, right: 0 };
  const rects = range.getClientRects();
  const r = rects[rects.length - 1] ?? range.getBoundingClientRect();
  return { left: r.left, top: r.top, bottom: r.bottom, right: r.right };
}

/** Viewport rectangle of the whole range; zeros where layout is unknown, as for lastLineRect. */
export function wholeRect(range: Range): Rect {
  if (typeof range.getBoundingClientRect !== 'function') return { left: 0, top: 0, bottom: 0, right: 0 };
  const r = range.getBoundingClientRect();
  return { left: r.left, top: r.top, bottom: r.bottom, right: r.right };
}
