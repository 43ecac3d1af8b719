import type { Selector } from '../../../protocol/model.js';
import { anchor, describe, describeWithParts } from '../anchoring/index.js';

/** What the open composer annotates: the selected range, its text, and how to find that text again. */
export interface ComposerTarget {
  range: Range;
  /** The text the reader selected, as the text model reads it (shadow trees included). */
  quote: string;
  /** The range's own text when it was selected: whether the page has replaced its nodes since. */
  rangeText: string;
  /** Where the selection really starts and ends (inside shadow trees, where `range` may be moved out to hosts). */
  points: AbstractRange;
  selector: Selector[];
  /** The words the composer opens with: those of a conversation the server refused (state/port-messages.ts). */
  draft?: string;
}

export function composerTarget(range: Range, root: Element, points: AbstractRange = range): ComposerTarget {
  let selector: Selector[] = [];
  try {
    selector = describe(points, root);
  } catch {
    // Then the text is found only while the range itself still holds it.
  }
  // A range around a web component holds the component's shadow text for the reader but not in its
  // toString(): the quote is the text model's, as the selectors have it.
  const exact = selector.find((s) => s.type === 'TextQuoteSelector');
  const rangeText = range.toString();
  return { range, quote: exact?.type === 'TextQuoteSelector' ? exact.exact : rangeText, rangeText, points, selector };
}

/**
 * The range to annotate when the comment is sent, or null when its text is no longer on the page.
 * A page can replace the selected nodes while the comment is being written (a single-page app's
 * router, a live update): the range then collapses. The text found again in the new nodes (the same
 * words re-rendered, or back on screen after a back button) is the same text.
 */
export function currentRange(target: ComposerTarget, root: Element): Range | null {
  if (target.range.toString() === target.rangeText) return target.range;
  if (target.selector.length === 0) return null;
  try {
    const found = anchor(root, target.selector);
    return found !== null && found.toString() === target.rangeText ? found : null;
  } catch {
    return null;
  }
}

/**
 * The selectors to send for `range` (what currentRange() gave), with the ranges that paint it
 * (anchoring describeWithParts): described afresh, as the page may have moved text since the
 * composer opened. The selection's own points when it is still the selected range: a span into a
 * shadow tree is held by a range moved out to the host, which would describe the component's whole text.
 */
export function describeCurrent(target: ComposerTarget, range: Range, root: Element): { selector: Selector[]; parts: Range[] | null } {
  return describeWithParts(range === target.range ? target.points : range, root);
}
