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
import { shadowRootsAround } from '../anchoring/composed.js';
import { sameRanges } from './paint-window.js';
import { visibleRanges } from './visible-ranges.js';

export const HIGHLIGHT = 'gloss';
export const HIGHLIGHT_ACTIVE = 'gloss-active';
/** The conversation whose card the pointer or the keyboard focus is on (docs/architecture.md, "Linked hover"). */
export const HIGHLIGHT_HOVER = 'gloss-hover';
const STYLE_ID = 'gloss-highlight-style';

interface HighlightRegistry {
  get?(name: string): unknown;
  set(name: string, value: unknown): void;
  delete(name: string): void;
}

type HighlightCtor = new (...ranges: Range[]) => { priority?: number };

/**
 * Where highlights overlap, the higher priority is drawn on top: the open conversation's orange over
 * the hovered one's blue over the others' yellow. Set, not left to the order the names were first
 * registered in, which a page that clears the registry (or our own delete and set) would change.
 */
const PRIORITY: Record<string, number> = { [HIGHLIGHT]: 0, [HIGHLIGHT_HOVER]: 1, [HIGHLIGHT_ACTIVE]: 2 };

function api(win: Window): { registry: HighlightRegistry; Highlight: HighlightCtor } | null {
  const g = win as unknown as { CSS?: { highlights?: HighlightRegistry }; Highlight?: HighlightCtor };
  if (!g.CSS?.highlights || typeof g.Highlight !== 'function') return null;
  return { registry: g.CSS.highlights, Highlight: g.Highlight };
}

export function highlightsSupported(win: Window): boolean {
  return api(win) !== null;
}

export interface Highlighter {
  /** `ranges`: each conversation's ranges, one per tree its text is in (a Highlight paints a range only in its own tree). */
  paint(ranges: ReadonlyMap<string, readonly Range[]>, activeId: string | null): void;
  /**
   * The ranges of the conversation whose card is pointed at or focused, drawn `gloss-hover` (none:
   * undefined). Apart from `paint`, which costs a pass over every conversation: the pointer moving
   * between cards registers this one highlight, nothing else.
   */
  hover(ranges: readonly Range[] | undefined): void;
  /** The page's layout changed (observed DOM changes, the page fitted beside the panel): on a page of many, what is near the viewport is chosen again. */
  layoutChanged(): void;
  teardown(): void;
}

/**
 * The highlights sit on the page's colours, which the reader's colour scheme says nothing about (a
 * dark-mode reader on a white page, a dark site for a light-mode reader), so they are one pair for
 * every scheme, chosen to be readable on any page: opaque backgrounds with their own text colour, as
 * the browser's own `::target-text` (Mark on MarkText) does.
 *
 * They were semi-transparent (yellow at .42, orange at .55 over it) with the page's text colour:
 * fine on a light page, unreadable on a dark one, where the yellow lifts the background towards the
 * light text. Measured (WCAG contrast of the page's text on what is painted under it, marked /
 * active): white page, black text 17.8 / 12.2; #fff page, #59636e grey text 5.2 / 3.5; #121212 page,
 * #e0e0e0 text 4.5 / 2.6; #0d1117 page, #9198a1 grey text 2.1 / 1.2. Now #1d1d1f on #fff394 is
 * 14.8:1 and on #ffba43 9.9:1 on every page; on white they look as the old ones did (the old colours
 * composited over white), and the page's own text colour (a link's blue) gives way inside a mark.
 *
 * Under forced colours Chromium paints every `::highlight()` with the system Highlight/HighlightText
 * whatever the rule says (measured in test/e2e/colour-schemes.test.ts): the text stays marked, but
 * exactly as the reader's own selection is. The underline tells them apart. It is transparent, so
 * unseen, until forced colours replace its colour with a system one: the same trick as a transparent
 * outline. Firefox instead drops every colour of the rule that is not a system colour, and the mark
 * vanished altogether (no background, no underline: test/e2e/colour-schemes-firefox.test.ts). So under
 * forced colours the rule names system colours, which Firefox keeps: Mark/MarkText, the pair made for
 * marked text (`<mark>`), unlike the selection's Highlight, and an underline in the text's colour.
 *
 * The hovered one (its card pointed at or focused in the panel) is a clear blue, #7cc7ff, opaque
 * with the same dark text: 9.2:1 for #1d1d1f on it, on every page. Stronger than the yellow against
 * the page (1.83:1 against white, where the yellow is 1.14:1, so it stands out among them) and of
 * another hue than both the yellow and the open one's orange (a darker yellow or amber would read as
 * the orange, the more so to a red-green colour-blind reader, who tells blue from yellow well). It is
 * the Hypothesis client's cue for the same link (its focused highlight is light blue). Under forced
 * colours it is Mark with a wavy underline, told from the others' straight one.
 */
const RULES =
  `::highlight(${HIGHLIGHT}){background-color:#fff394;color:#1d1d1f;text-decoration:underline 2px transparent}` +
  `::highlight(${HIGHLIGHT_ACTIVE}){background-color:#ffba43;color:#1d1d1f;text-decoration:underline double 2px transparent}` +
  `::highlight(${HIGHLIGHT_HOVER}){background-color:#7cc7ff;color:#1d1d1f;text-decoration:underline wavy 2px transparent}` +
  `@media (forced-colors:active){::highlight(${HIGHLIGHT}),::highlight(${HIGHLIGHT_ACTIVE}),::highlight(${HIGHLIGHT_HOVER}){background-color:Mark;color:MarkText;text-decoration-color:currentcolor}}`;

export function createHighlighter(doc: Document): Highlighter {
  const win = doc.defaultView as Window;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  // One rule per name; the page can restyle it, which is its right.
  style.textContent = RULES;
  (doc.head ?? doc.documentElement).appendChild(style);
  const shadows = shadowStyles(doc);
  /**
   * What the last paint registered. A pass that leaves the ranges as they were (a render for the
   * panel, the pass that starts a re-anchoring, whose slices keep the old ranges painted) registers
   * nothing: every new Highlight has the browser redo its own work for all of them, at 5,000 ranges
   * a 50–80 ms task of pre-paint and compositing inputs (a Chromium trace, docs/benchmarks.md
   * change 33). The ranges are live: the browser follows the DOM's changes in them by itself.
   */
  let last: { all: readonly Range[]; marks: unknown } | null = null;
  /** Every range of the last paint; on a page of many only those near the viewport are registered (visible-ranges.ts). */
  let current: Range[] = [];
  /** The same for each of the two single-conversation names: the ranges given to what is registered under it. */
  const single = new Map<string, { ranges: readonly Range[]; mark: unknown }>();

  /** `name` holds `ranges` (none: not registered); registered again only when they or the registry's entry changed. */
  const paintOne = (found: NonNullable<ReturnType<typeof api>>, name: string, ranges: readonly Range[] | undefined) => {
    const known = single.get(name);
    if (ranges === undefined) {
      if (known) found.registry.delete(name);
      single.delete(name);
      return;
    }
    if (known && found.registry.get?.(name) === known.mark && sameRanges(known.ranges, ranges)) return;
    const mark = prioritised(new found.Highlight(...ranges), name);
    found.registry.set(name, mark);
    single.set(name, { ranges, mark });
  };

  /** `gloss` holds `list`; registered again only when it or the registry's entry changed. */
  const paintAll = (found: NonNullable<ReturnType<typeof api>>, list: readonly Range[]) => {
    // Still ours and the same: a page that cleared the registry gets it painted again. The open
    // one changes alone: it alone is registered again then, never the thousands of `gloss` (a new
    // Highlight of 5,000 ranges is a 50–80 ms task for the browser, above).
    if (last !== null && found.registry.get?.(HIGHLIGHT) === last.marks && sameRanges(last.all, list)) return;
    const marks = prioritised(new found.Highlight(...list), HIGHLIGHT);
    found.registry.set(HIGHLIGHT, marks);
    last = { all: list, marks };
  };
  // The reader scrolled away from what is registered, or the layout moved it.
  const near = visibleRanges(doc, () => {
    const found = api(win);
    if (found) paintAll(found, near.select(current));
  });

  return {
    paint(ranges, activeId) {
      // A page that rebuilds its <head> takes our rule with it: without it the highlights are invisible.
      if (!style.isConnected) (doc.head ?? doc.documentElement).appendChild(style);
      const found = api(win);
      if (found) {
        const all = [...ranges.values()].flat();
        for (const range of all) shadows.cover(range.startContainer);
        current = all;
        paintAll(found, near.select(all));
        paintOne(found, HIGHLIGHT_ACTIVE, activeId === null ? undefined : ranges.get(activeId));
      }
      doc.documentElement.dataset.glossHighlights = String(ranges.size);
    },
    hover(ranges) {
      const found = api(win);
      if (!found) return;
      if (!style.isConnected) (doc.head ?? doc.documentElement).appendChild(style);
      for (const range of ranges ?? []) shadows.cover(range.startContainer);
      paintOne(found, HIGHLIGHT_HOVER, ranges);
    },
    layoutChanged() {
      near.layoutChanged();
    },
    teardown() {
      near.stop();
      current = [];
      last = null;
      single.clear();
      const found = api(win);
      found?.registry.delete(HIGHLIGHT);
      found?.registry.delete(HIGHLIGHT_ACTIVE);
      found?.registry.delete(HIGHLIGHT_HOVER);
      style.remove();
      shadows.teardown();
      delete doc.documentElement.dataset.glossHighlights;
    },
  };
}

/**
 * A `::highlight()` rule styles only the tree its stylesheet applies to: a range inside a shadow
 * tree is in the document's registry but unpainted until that shadow root has the rule too. It is
 * given as an adopted stylesheet, which adds no node to the page's shadow tree (no mutation for the
 * component's own code or our observer to see). A component that later replaces its
 * adoptedStyleSheets drops it: every paint checks again. Where constructed stylesheets cannot be
 * adopted (an old browser, a wrapper that refuses a sheet from our world) a <style> goes into the
 * shadow root instead.
 */
function shadowStyles(doc: Document): { cover(node: Node): void; teardown(): void } {
  // What each root was given, by kind (not instanceof: in Firefox a sheet made through the page's
  // window is not an instance of the content script's CSSStyleSheet).
  const covered = new Map<ShadowRoot, { sheet: CSSStyleSheet } | { style: HTMLStyleElement }>();
  let sheet: CSSStyleSheet | null | undefined;
  const constructed = (): CSSStyleSheet | null => {
    if (sheet !== undefined) return sheet;
    try {
      const Ctor = (doc.defaultView as (Window & { CSSStyleSheet?: typeof CSSStyleSheet }) | null)?.CSSStyleSheet;
      sheet = Ctor ? new Ctor() : null;
      sheet?.replaceSync(RULES);
    } catch {
      sheet = null;
    }
    return sheet;
  };
  const adopted = (root: ShadowRoot, s: CSSStyleSheet): boolean => {
    const list = root.adoptedStyleSheets;
    for (let i = 0; i < list.length; i++) if (list[i] === s) return true;
    return false;
  };
  const add = (root: ShadowRoot) => {
    const known = covered.get(root);
    if (known && ('sheet' in known ? adopted(root, known.sheet) : known.style.isConnected && known.style.getRootNode() === root)) return;
    const s = constructed();
    if (s) {
      try {
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, s];
        if (adopted(root, s)) {
          covered.set(root, { sheet: s });
          return;
        }
      } catch {
        // Falls through to a <style> element.
      }
    }
    const style = doc.createElement('style');
    style.dataset.gloss = 'highlight';
    style.textContent = RULES;
    root.appendChild(style);
    covered.set(root, { style });
  };
  return {
    cover(node) {
      for (const root of shadowRootsAround(node)) add(root);
    },
    teardown() {
      for (const [root, given] of covered) {
        if ('sheet' in given) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((x) => x !== given.sheet);
        else given.style.remove();
      }
      covered.clear();
    },
  };
}

function prioritised<T extends { priority?: number }>(mark: T, name: string): T {
  mark.priority = PRIORITY[name] ?? 0;
  return mark;
}
