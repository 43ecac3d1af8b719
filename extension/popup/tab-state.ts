import * as v from 'valibot';
import { BackgroundToPopup } from '../../protocol/runtime.js';
import { issueMessage } from '../../protocol/validate.js';

/** A message from the background over the popup's port, checked where it is received like every other message. */
export function parseBackgroundMessage(raw: unknown): BackgroundToPopup | null {
  const result = v.safeParse(BackgroundToPopup, raw);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  console.warn(`[gloss] dropped a message from the background${path ? ` at ${path}` : ''}: ${issueMessage(issue)}`);
  return null;
}

export const viewingText = (n: number) => `${n} viewing`;
export const conversationsText = (n: number) => `${n} ${n === 1 ? 'conversation' : 'conversations'}`;
