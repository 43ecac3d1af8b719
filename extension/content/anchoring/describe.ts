import type { Selector } from '../../../protocol/model.js';
import { TextIndex } from './text-model.js';

/** Characters of context stored on each side of a quote. */
export const CONTEXT_LENGTH = 32;

/**
 * The selectors for a range: its quote with 32 characters of context each side, and its position,
 * both counted over the text model of `root`. Parts of the range outside root or in skipped
 * content are left out. A range that covers no model text gives [] (there is nothing to quote).
 */
export function describeRange(range: AbstractRange, root: Element): Selector[] {
  return describeInIndex(new TextIndex(root), range);
}

/** describeRange() over an index already built. */
export function describeInIndex(index: TextIndex, range: AbstractRange): Selector[] {
  const start = index.offsetOf(range.startContainer, range.startOffset);
  const end = index.offsetOf(range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return [];
  const { text } = index;
  return [
    {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: dropLoneSurrogates(text.slice(Math.max(0, start - CONTEXT_LENGTH), start)),
      suffix: dropLoneSurrogates(text.slice(end, end + CONTEXT_LENGTH)),
    },
    { type: 'TextPositionSelector', start, end },
  ];
}

/**
 * A 32-character cut can split an emoji, and a page's text can hold half of one anywhere (a script
 * that cut a string in the middle of a pair): half of one is not text, would not match anything, and
 * the server refuses a context holding one (protocol/well-formed.ts). The context only helps to choose
 * between matches, so it goes without them.
 */
function dropLoneSurrogates(s: string): string {
  return s.replace(/[\uD800-\uDFFF]/gu, '');
}
