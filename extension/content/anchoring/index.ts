import type { Selector } from '../../../protocol/model.js';
import { anchorInIndex, locateInIndex, positionOf, type Located, type TextSpan } from './anchor.js';
import { describeInIndex, describeRange } from './describe.js';
import { TextIndex } from './text-model.js';

/**
 * Anchoring: turning a selection into W3C selectors and selectors back into DOM Ranges on a page
 * that may have changed since. Host-page code only: no UI, no messaging, no extension APIs.
 */

/**
 * [TextQuoteSelector, TextPositionSelector] for `range`, offsets counted over the text of `root`; [] if the range holds no text.
 * A StaticRange will do: a selection's composed range has its ends inside shadow trees, where no one DOM Range can.
 */
export function describe(range: AbstractRange, root: Element): Selector[] {
  return describeRange(range, root);
}

/** The range `selectors` designate under `root` now, or null when the quote is no longer there. */
export function anchor(root: Element, selectors: Selector[]): Range | null {
  return anchorInIndex(new TextIndex(root), selectors);
}

/** anchor() for many targets at once, reading the text of `root` a single time. */
export function anchorAll(root: Element, list: Selector[][]): (Range | null)[] {
  const index = new TextIndex(root);
  return list.map((selectors) => anchorInIndex(index, selectors));
}

export type { Located, TextSpan };

/** anchor() with the ranges that paint the text, one per tree it is in (web components). */
export function locate(root: Element, selectors: Selector[]): Located | null {
  return locateInIndex(new TextIndex(root), selectors);
}

/**
 * One read of the text of `root`, to locate targets against one at a time, later (in slices: the
 * page must not change meanwhile, or what it finds may be wrong).
 */
export function locator(root: Element): (selectors: Selector[]) => Located | null {
  const index = new TextIndex(root);
  return (selectors) => locateInIndex(index, selectors);
}

/** locate() for many targets at once, reading the text of `root` a single time. */
export function locateAll(root: Element, list: Selector[][]): (Located | null)[] {
  const index = new TextIndex(root);
  return list.map((selectors) => locateInIndex(index, selectors));
}

/**
 * describe() with the ranges that paint the described text (one per tree it is in), from one read
 * of the page: `parts` is null when one range paints it (a page without open shadow roots, a span
 * within one tree, or nothing described).
 */
export function describeWithParts(range: AbstractRange, root: Element): { selector: Selector[]; parts: Range[] | null } {
  const index = new TextIndex(root);
  const selector = describeInIndex(index, range);
  const position = positionOf(selector);
  return { selector, parts: position ? index.treeParts(position.start, position.end) : null };
}
