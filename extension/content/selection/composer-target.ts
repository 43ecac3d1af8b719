import type { Selector } from '../../../protocol/model.js';
import { anchor, describe } from '../anchoring/index.js';

/** What the open composer annotates: the selected range, its text, and how to find that text again. */
export interface ComposerTarget {
  range: Range;
  quote: string;
  selector: Selector[];
}

export function composerTarget(range: Range, root: Element): ComposerTarget {
  let selector: Selector[] = [];
  try {
    selector = describe(range, root);
  } catch {
    // Then the text is found only while the range itself still holds it.
  }
  return { range, quote: range.toString(), selector };
}

/**
 * The range to annotate when the comment is sent, or null when its text is no longer on the page.
 * A page can replace the selected nodes while the comment is being written (a single-page app's
 * router, a live update): the range then collapses. The text found again in the new nodes (the same
 * words re-rendered, or back on screen after a back button) is the same text.
 */
export function currentRange(target: ComposerTarget, root: Element): Range | null {
  if (target.range.toString() === target.quote) return target.range;
  if (target.selector.length === 0) return null;
  try {
    const found = anchor(root, target.selector);
    return found !== null && found.toString() === target.quote ? found : null;
  } catch {
    return null;
  }
}
