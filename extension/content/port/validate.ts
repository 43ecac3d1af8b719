import { BackgroundToContent } from '../../../protocol/runtime.js';
import { parseOrDrop } from '../../../protocol/validate.js';

/** Checks a message from the background; anything else is dropped with a warning that names the problem. */
export function parseIncoming(raw: unknown): BackgroundToContent | null {
  return parseOrDrop(BackgroundToContent, raw, 'a message from the background');
}
