import { shadowRootsAround } from '../anchoring/composed.js';
import { caretAt, hitTest } from './hit-test.js';

/**
 * Calls `open` with the conversation whose highlight the user clicked (the innermost one). Clicks in
 * our own UI (`host`), other buttons than the main one, and the end of a selection drag are not
 * clicks on a highlight. Host-page code: what opening means is the caller's.
 */
export function watchHighlightClicks(
  doc: Document,
  host: Element,
  anchored: () => Map<string, readonly Range[]>,
  open: (id: string) => void,
  signal: AbortSignal,
): void {
  const win = doc.defaultView as Window;
  // Capturing at the window: pages often stop clicks inside their content (widgets, "click outside"
  // handlers), which would leave highlights there dead if we waited for the click to bubble up.
  win.addEventListener(
    'click',
    (e) => {
      if (e.composedPath().includes(host) || e.button !== 0) return;
      const sel = doc.getSelection();
      if (sel && !sel.isCollapsed) return; // the user is selecting, not clicking a highlight
      const ranges = anchored();
      const caret = caretAt(doc, e.clientX, e.clientY, shadowRootsOf(ranges));
      if (!caret) return;
      const id = hitTest(ranges, caret.node, caret.offset);
      if (id !== null) open(id);
    },
    { signal, capture: true },
  );
}

/** The shadow roots highlights are in (with the roots around them), for the caret to reach into. */
export function shadowRootsOf(ranges: ReadonlyMap<string, readonly Range[]>): ShadowRoot[] {
  const roots = new Set<ShadowRoot>();
  for (const parts of ranges.values()) for (const range of parts) for (const root of shadowRootsAround(range.startContainer)) roots.add(root);
  return [...roots];
}
