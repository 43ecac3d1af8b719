import type { Selector } from '../../../protocol/model.js';

/** The quoted text of a target, which every target carries (the protocol requires a TextQuoteSelector). */
export function quoteOf(selectors: readonly Selector[]): string {
  for (const s of selectors) if (s.type === 'TextQuoteSelector') return s.exact;
  return '';
}
