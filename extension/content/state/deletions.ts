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
 * or if a single-page app moved the tab to another page meanwhile (the words are still theirs:
 * leavePage).
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

/**
 * The tab moved from page `left` to page `entered` without a new document (page-moves.ts).
 *
 * Decision: a conversation kept for the words written in it belongs to the page it was on, and is
 * kept per page. On another page it has no place: its quote is the old page's text, so the panel
 * would list it under "Not found on this page" or, worse, place it at the same words in the new
 * page. Nor are its words dropped on leaving: a click on a link of the app is no "close", the user
 * may not have seen the note yet (the panel was closed), and the drafts of the page's live
 * conversations are kept across such moves too (drafts.ts). So it leaves the panel with its page
 * and is there again, still marked deleted, if the tab comes back to that page, until the user
 * closes it; like every draft, for as long as the content script runs.
 */
export function leavePage(model: Model, left: string | null, entered: string | null): void {
  const { deletedOnPagesLeft: elsewhere } = model;
  if (model.deletedWhileWriting.size > 0) elsewhere.set(left, model.deletedWhileWriting);
  model.deletedWhileWriting = elsewhere.get(entered) ?? new Map();
  elsewhere.delete(entered);
}
