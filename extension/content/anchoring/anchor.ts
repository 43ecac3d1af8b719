import type { Selector, TextPositionSelector, TextQuoteSelector } from '../../../protocol/model.js';
import { matchQuote } from './match-quote.js';
import type { TextIndex } from './text-model.js';

/**
 * Resolves one target's selectors against an already built index. The quote is what anchors: a
 * position alone cannot tell whether the text it points at is still the annotated text, so
 * selectors without a usable TextQuoteSelector give null rather than a possibly wrong range.
 */
export function anchorInIndex(index: TextIndex, selectors: readonly Selector[]): Range | null {
  if (!Array.isArray(selectors)) return null;
  const quote = selectors.find((s): s is TextQuoteSelector => s?.type === 'TextQuoteSelector');
  if (!quote || typeof quote.exact !== 'string' || quote.exact.length === 0) return null;
  const position = selectors.find((s): s is TextPositionSelector => s?.type === 'TextPositionSelector');
  const hint =
    position && Number.isInteger(position.start) && Number.isInteger(position.end)
      ? { start: position.start, end: position.end }
      : undefined;
  const span = matchQuote(index, quote, hint);
  return span ? index.rangeOf(span.start, span.end) : null;
}
