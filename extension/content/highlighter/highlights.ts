/**
 * Paints anchored conversations with the CSS Custom Highlight API, so the page's DOM is never
 * rewritten (no wrapper elements for the page's scripts, styles or our MutationObserver to trip on).
 *
 * Fallback when the API is missing (older browsers): nothing is painted in the page. Wrapping text in
 * elements would change the DOM that the page and our anchoring both read, for browsers we do not
 * ship to (Chrome 105+ and Firefox 140+ have the API). Every conversation is still listed in the
 * panel, and clicking the quoted text still opens its thread (hit-testing uses the ranges, not the
 * paint). The count on `data-gloss-highlights` is the number of anchored conversations either way.
 */
export const HIGHLIGHT = 'gloss';
export const HIGHLIGHT_ACTIVE = 'gloss-active';
const STYLE_ID = 'gloss-highlight-style';

interface HighlightRegistry {
  set(name: string, value: unknown): void;
  delete(name: string): void;
}

type HighlightCtor = new (...ranges: Range[]) => unknown;

function api(win: Window): { registry: HighlightRegistry; Highlight: HighlightCtor } | null {
  const g = win as unknown as { CSS?: { highlights?: HighlightRegistry }; Highlight?: HighlightCtor };
  if (!g.CSS?.highlights || typeof g.Highlight !== 'function') return null;
  return { registry: g.CSS.highlights, Highlight: g.Highlight };
}

export function highlightsSupported(win: Window): boolean {
  return api(win) !== null;
}

export interface Highlighter {
  paint(ranges: ReadonlyMap<string, Range>, activeId: string | null): void;
  teardown(): void;
}

export function createHighlighter(doc: Document): Highlighter {
  const win = doc.defaultView as Window;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  // One rule per name; the page can restyle it, which is its right.
  style.textContent =
    `::highlight(${HIGHLIGHT}){background-color:rgba(255,212,0,.42);color:inherit}` +
    `::highlight(${HIGHLIGHT_ACTIVE}){background-color:rgba(255,140,0,.55);color:inherit}`;
  (doc.head ?? doc.documentElement).appendChild(style);

  return {
    paint(ranges, activeId) {
      // A page that rebuilds its <head> takes our rule with it: without it the highlights are invisible.
      if (!style.isConnected) (doc.head ?? doc.documentElement).appendChild(style);
      const found = api(win);
      if (found) {
        found.registry.set(HIGHLIGHT, new found.Highlight(...ranges.values()));
        const active = activeId === null ? undefined : ranges.get(activeId);
        if (active) found.registry.set(HIGHLIGHT_ACTIVE, new found.Highlight(active));
        else found.registry.delete(HIGHLIGHT_ACTIVE);
      }
      doc.documentElement.dataset.glossHighlights = String(ranges.size);
    },
    teardown() {
      const found = api(win);
      found?.registry.delete(HIGHLIGHT);
      found?.registry.delete(HIGHLIGHT_ACTIVE);
      style.remove();
      delete doc.documentElement.dataset.glossHighlights;
    },
  };
}
