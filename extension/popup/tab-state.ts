import { BackgroundToPopup } from '../../protocol/runtime.js';
import { parseOrDrop } from '../../protocol/validate.js';

/** A message from the background over the popup's port, checked where it is received like every other message. */
export function parseBackgroundMessage(raw: unknown): BackgroundToPopup | null {
  return parseOrDrop(BackgroundToPopup, raw, 'a message from the background');
}

export const viewingText = (n: number) => `${n} viewing`;
export const conversationsText = (n: number) => `${n} ${n === 1 ? 'conversation' : 'conversations'}`;
/** Said after "N conversations" as the tab's bar says "(6 · 2 new)"; nothing when none is new. */
export const unseenText = (n: number) => `${n} new`;
