import type { LocalConversation } from '../../../protocol/runtime.js';

/**
 * Replies being written, by conversation. Closing the panel (its toggle, its close button, Escape)
 * unmounts the reply fields: the words must not go with them. Kept for as long as this content script
 * runs on the page, or until their conversation is deleted (state/deletions.ts); a sent reply clears
 * its draft.
 */
const drafts = new Map<string, string>();

export function draftOf(id: string): string {
  return drafts.get(id) ?? '';
}

export function keepDraft(id: string, text: string): void {
  if (text === '') drafts.delete(id);
  else drafts.set(id, text);
}

/**
 * Edits being made, by comment: closing the panel unmounts the edit field as it does a reply field.
 * Apart from replies because an empty edit is still an edit in progress (its Save is refused), and
 * because the field's presence is part of it: a comment with a draft opens in its edit field.
 */
const edits = new Map<string, string>();

/** The edit of `commentId` being made, or undefined when it is not being edited. */
export function editDraftOf(commentId: string): string | undefined {
  return edits.get(commentId);
}

export function keepEditDraft(commentId: string, text: string): void {
  edits.set(commentId, text);
}

/** Saved or cancelled: the comment is no longer being edited. */
export function dropEditDraft(commentId: string): void {
  edits.delete(commentId);
}

/** Whether the user has words in `c`: a reply typed, or one of its comments open for editing. */
export function writingIn(c: LocalConversation): boolean {
  return draftOf(c.id) !== '' || c.comments.some((comment) => edits.has(comment.id));
}

/** `c` is gone: nothing typed in it can be sent any more. */
export function dropDraftsOf(c: LocalConversation): void {
  drafts.delete(c.id);
  for (const comment of c.comments) edits.delete(comment.id);
}
