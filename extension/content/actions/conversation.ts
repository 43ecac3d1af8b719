import { uuidv7 } from '../../../protocol/ids.js';
import { announce, showError, tellIfWaiting } from '../state/announce.js';
import { closeDeleted } from '../state/deletions.js';
import { commentTextProblem } from '../state/text.js';
import { awaitRestore, offerUndo, restoreFocused, withdrawUndo } from '../state/undo.js';
import type { Actions } from '../view.js';
import type { ActionContext } from './context.js';

/** An action on a conversation of the page the tab has just left (its list is being replaced). */
const LEFT_PAGE = 'This conversation is on the page you left';

/**
 * A change to a conversation the worker has not listed again since it started (state/snapshot.ts):
 * sent now, it would be refused as unknown (`not_found`, told as "no longer exists", which it may
 * well not be) and a reply's field emptied. Held, with the words left.
 */
const LOADING = 'Not sent: Gloss is still loading this conversation from the server.';
const UNCONFIRMED = `${LOADING} What you wrote stays here; try again in a moment.`;
/** The same for a change with no field to tell it by (delete, resolve): told in the error notice, where a refusal would be. */
const UNCONFIRMED_CHANGE = `${LOADING} Try again in a moment.`;

// Time-ordered ids: the server's indexes grow at their end (protocol/ids.ts).
const uuid = () => uuidv7();

/** What the user does to a conversation in the panel: reply, edit, delete, resolve. */
export function conversationActions({ model, ownPosts, send, schedule, movedToAnotherPage }: ActionContext): Pick<
  Actions,
  'reply' | 'editComment' | 'deleteComment' | 'toggleResolved' | 'deleteConversation' | 'closeDeleted' | 'undoDelete' | 'dismissUndo' | 'restoreFocused'
> {
  /** A change without words of its own, on a conversation the worker may not know yet: held and told. */
  const heldBack = (id: string): boolean => {
    if (!model.unconfirmed.has(id)) return false;
    // Every press is told, the second as the first (state/announce.ts).
    showError(model, UNCONFIRMED_CHANGE);
    schedule();
    return true;
  };

  return {
    reply(id, text) {
      if (movedToAnotherPage()) return LEFT_PAGE;
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      if (!model.conversations.byId.has(id)) return 'This conversation was deleted';
      if (model.unconfirmed.has(id)) return UNCONFIRMED;
      const broadcastId = uuid();
      const commentId = uuid();
      send({ type: 'update', broadcastId, id, changes: { addComment: { id: commentId, text } } });
      ownPosts.sent(id, commentId, broadcastId, 'reply');
      tellIfWaiting(model, 'Your reply');
      schedule();
      return null;
    },
    editComment(id, commentId, text) {
      if (movedToAnotherPage()) return LEFT_PAGE;
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      const c = model.conversations.byId.get(id);
      if (!c) return 'This conversation was deleted';
      if (model.unconfirmed.has(id)) return UNCONFIRMED;
      // baseRevision: an edit made on an outdated view is refused (conflict) instead of silently overwriting.
      const broadcastId = uuid();
      send({ type: 'update', broadcastId, id, baseRevision: c.revision, changes: { editComment: { id: commentId, text } } });
      model.sentEdits.sent(broadcastId, id, commentId, text);
      return null;
    },
    deleteComment(id, commentId) {
      if (movedToAnotherPage() || !model.conversations.byId.has(id) || heldBack(id)) return;
      send({ type: 'update', broadcastId: uuid(), id, changes: { deleteComment: { id: commentId } } });
    },
    toggleResolved(id) {
      if (movedToAnotherPage()) return;
      const c = model.conversations.byId.get(id);
      if (!c || heldBack(id)) return;
      send({ type: 'update', broadcastId: uuid(), id, changes: { resolved: !c.resolved } });
    },
    deleteConversation(id) {
      if (movedToAnotherPage() || !model.conversations.byId.has(id) || heldBack(id)) return;
      model.deletedHere.add(id);
      send({ type: 'delete', broadcastId: uuid(), id });
      // One mistaken confirm took everyone's replies with no way back: the deletion is offered for
      // undo (ui/UndoNotice.tsx), and a screen reader is told where, since the notice is only seen.
      offerUndo(model, id);
      announce(model, 'Conversation deleted. Undo is offered beside the Conversations heading for 10 seconds.');
      schedule();
    },
    undoDelete() {
      const offer = model.undo;
      if (offer === null) return;
      model.undo = null;
      // The worker shows it again at once, as it was (background/pending.ts, `restore`); a refusal
      // (too late, a full page) comes back as op-failed and is told like any other (refusal.ts).
      const broadcastId = uuid();
      model.sentRestores.set(broadcastId, offer.id);
      send({ type: 'restore', broadcastId, id: offer.id });
      // Told, opened and focused once it is listed again (state/undo.ts settleRestoring, ui/Panel.tsx).
      awaitRestore(model, offer);
      schedule();
    },
    restoreFocused(serial) {
      // Nothing on screen changes: no render.
      restoreFocused(model, serial);
    },
    dismissUndo(serial) {
      withdrawUndo(model, serial);
      schedule();
    },
    closeDeleted(id) {
      closeDeleted(model, id);
      schedule();
    },
  };
}
