/**
 * Replies being written, by conversation. Closing the panel (its toggle, its close button, Escape)
 * unmounts the reply fields: the words must not go with them. Kept for as long as this content script
 * runs on the page; a sent reply clears its draft.
 */
const drafts = new Map<string, string>();

export function draftOf(id: string): string {
  return drafts.get(id) ?? '';
}

export function keepDraft(id: string, text: string): void {
  if (text === '') drafts.delete(id);
  else drafts.set(id, text);
}
