import * as v from 'valibot';
import { BackgroundToContent } from '../../../protocol/runtime.js';
import { issueMessage } from '../../../protocol/validate.js';

/** Checks a message from the background; anything else is dropped with a warning that names the problem. */
export function parseIncoming(raw: unknown): BackgroundToContent | null {
  const result = v.safeParse(BackgroundToContent, raw);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : typeof raw;
  console.warn(`[gloss] dropped a message from the background (${type})${path ? ` at ${path}` : ''}: ${issueMessage(issue)}`);
  return null;
}
