import { dropDraftsOf, dropEditDraft, writingIn } from './drafts.js';
import type { Model } from './model.js';
import type { ConversationState } from './store.js';

/**
 * What goes with conversations and comments that are no longer there, after the model's list
 * changed from `before` (a remove, a snapshot without them, a refused create, an upsert without a
 * comment): their drafts, which can never be sent.
 *
 * Except words the user is still looking at. A reader typing a reply when someone else deletes the
 * conversation must not see the field, and what they typed, vanish under their fingers: the
 * conversation stays in the panel where it was, marked deleted (an alert says so), its fields
 * read-only and its text selectable, until the user closes it (closeDeleted). Its drafts go only
 * then: they are what the field shows if the panel was closed meanwhile, or when the deletion came
 * (then the reader finds it on opening the panel, instead of finding their words silently gone),
 * or if a single-page app moved the tab to another page meanwhile (the words are still theirs).
 * The user's own deletion (deleteConversation, `model.deletedHere`) is no surprise: its drafts go
 * at once. An edit of a single comment deleted meanwhile (only the author's other tab or a
 * moderator can) goes at once too: an edit of words nobody can see any more has no use.
 */
export function settleDeletions(model: Model, before: ConversationState): void {
  const after = model.conversations.byId;
  if (after === before.byId) return;
  for (const [id, old] of before.byId) {
    const now = after.get(id);
    if (now === undefined) {
      if (writingIn(old) && !model.deletedHere.has(id)) model.deletedWhileWriting.set(id, old);
      else dropDraftsOf(old);
      model.deletedHere.delete(id);
    } else {
      for (const comment of old.comments) if (!now.comments.some((c) => c.id === comment.id)) dropEditDraft(comment.id);
    }
  }
  // Back after all (a deletion undone, a snapshot that still has it): it is live again, drafts and all.
  for (const id of model.deletedWhileWriting.keys()) if (after.has(id)) model.deletedWhileWriting.delete(id);
}

/** The user closes a conversation kept only for the words they were writing in it. */
export function closeDeleted(model: Model, id: string): void {
  const c = model.deletedWhileWriting.get(id);
  if (c === undefined) return;
  model.deletedWhileWriting.delete(id);
  dropDraftsOf(c);
}
