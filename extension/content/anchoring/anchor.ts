import type { Selector, TextPositionSelector, TextQuoteSelector } from '../../../protocol/model.js';
import { matchQuote } from './match-quote.js';
import type { TextIndex } from './text-model.js';

/** Where a conversation's text is: one Range for the whole span, and the ranges that paint it (one per tree, text-model.ts treeParts). */
export interface Located {
  range: Range;
  parts: readonly Range[];
  /**
   * The span's offsets in the read of the page it was found in, on a page without open shadow
   * roots: there the model's text is in document order, so two spans of one read are in page order
   * by their offsets, as their ranges are by a DOM comparison (a walk of the tree each, state/order.ts).
   */
  at?: TextSpan;
}

export interface TextSpan {
  read: number;
  start: number;
  end: number;
}

/**
 * Resolves one target's selectors against an already built index. The quote is what anchors: a
 * position alone cannot tell whether the text it points at is still the annotated text, so
 * selectors without a usable TextQuoteSelector give null rather than a possibly wrong range.
 */
export function anchorInIndex(index: TextIndex, selectors: readonly Selector[]): Range | null {
  const span = spanInIndex(index, selectors);
  return span ? index.rangeOf(span.start, span.end) : null;
}

/** anchorInIndex() with the ranges that paint the span. */
export function locateInIndex(index: TextIndex, selectors: readonly Selector[]): Located | null {
  const span = spanInIndex(index, selectors);
  const range = span ? index.rangeOf(span.start, span.end) : null;
  if (!span || !range) return null;
  const parts = index.treeParts(span.start, span.end) ?? [range];
  return index.shadowRoots.length === 0 ? { range, parts, at: { read: index.read, start: span.start, end: span.end } } : { range, parts };
}

function spanInIndex(index: TextIndex, selectors: readonly Selector[]): { start: number; end: number } | null {
  if (!Array.isArray(selectors)) return null;
  const quote = selectors.find((s): s is TextQuoteSelector => s?.type === 'TextQuoteSelector');
  if (!quote || typeof quote.exact !== 'string' || quote.exact.length === 0) return null;
  const hint = positionOf(selectors) ?? undefined;
  return matchQuote(index, quote, hint);
}

export function positionOf(selectors: readonly Selector[]): { start: number; end: number } | null {
  const position = selectors.find((s): s is TextPositionSelector => s?.type === 'TextPositionSelector');
  return position && Number.isInteger(position.start) && Number.isInteger(position.end) ? { start: position.start, end: position.end } : null;
}
