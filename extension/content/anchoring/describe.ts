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

/** A 32-character cut can split an emoji; half of one is not text and would not match anything. */
function dropLoneSurrogates(s: string): string {
  let from = 0;
  let to = s.length;
  const first = s.charCodeAt(0);
  if (first >= 0xdc00 && first <= 0xdfff) from = 1;
  const last = s.charCodeAt(to - 1);
  if (to > from && last >= 0xd800 && last <= 0xdbff) to -= 1;
  return s.slice(from, to);
}
