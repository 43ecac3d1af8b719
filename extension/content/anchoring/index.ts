import type { Selector } from '../../../protocol/model.js';
import { anchorInIndex } from './anchor.js';
import { describeRange } from './describe.js';
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
