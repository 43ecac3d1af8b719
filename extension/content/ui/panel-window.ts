/**
 * Which of the panel's cards are rendered (ui/Panel.tsx). A page may hold 5,000 conversations: laying
 * out 5,000 cards took about a second when the panel opened, and half that when a search was
 * cleared, although the browser skips the paint of those out of view (docs/benchmarks.md, change 35).
 * The panel renders the first cards the filter shows, in page order, and more as the user nears the
 * end of them; see docs/architecture.md, "Pages with thousands of conversations".
 */

/** How many cards the panel renders at first, and how many more each time the user nears the end. */
export const WINDOW_STEP = 100;

/**
 * How many of `shown` (the ids the filter shows, in page order) the window holds: `limit`, and at
 * least through the last one it `held` the render before. So a conversation a peer adds among the
 * rendered ones is rendered too, and none of those already rendered is pushed out at the end.
 */
export function windowEnd(shown: readonly string[], limit: number, held: ReadonlySet<string>): number {
  const end = Math.min(limit, shown.length);
  if (held.size === 0) return end;
  for (let i = shown.length - 1; i >= end; i--) if (held.has(shown[i]!)) return i + 1;
  return end;
}
