import type { ErrorBody } from '../../../protocol/errors.js';

/**
 * Why the undo of a deletion was refused: the words of a change not saved, said of the undo, and the
 * one refusal only an undo meets (`gone`: its restore window has passed, RESTORE_WINDOW_MS, or the
 * deletion was made at the server's size limit, which erased the replies to make room).
 */
export function restoreRefusalText(error: ErrorBody): string {
  if (error.code === 'gone') return 'Not restored: this deletion can no longer be undone (it was too long ago, or the server needed the room).';
  if (error.code === 'not_found') return 'Not restored: this conversation no longer exists.';
  return refusalText(error).replace(/^Not saved:/, 'Not restored:');
}

/**
 * Why a change of yours was not saved, in words, for the error notice. The server's message says
 * what happened technically; this says what it means for the user (and that nothing was overwritten).
 */
export function refusalText(error: ErrorBody): string {
  switch (error.code) {
    case 'gone':
      return 'Not saved: this was deleted meanwhile, so your change was dropped.';
    case 'conflict':
      return 'Not saved: someone changed this conversation meanwhile. You now see their version; try again on it.';
    case 'forbidden':
      return 'Not saved: only its author may edit a comment, and only its author or a moderator may delete it.';
    case 'not_found':
      return 'Not saved: this conversation no longer exists.';
    case 'page_full':
      return 'Not saved: this page has as many conversations as Gloss keeps for one page. Reply in an existing conversation, or delete one you no longer need.';
    case 'conversation_full':
      return 'Not saved: this conversation has as many replies as Gloss keeps for one. Start a new conversation on the same text to go on.';
    case 'page_replies_full':
      return 'Not saved: the replies on this page hold as much text as Gloss keeps for one page. Delete replies no longer needed to make room, or start a new conversation.';
    case 'store_full':
      return 'Not saved: the Gloss server is out of room for new comments. Tell whoever runs it; deleting is still possible.';
    case 'store_failed':
      return 'Not saved: the Gloss server could not store it (a problem on the server). Try again later.';
    case 'rate_limited':
      return 'Not saved: too many changes at once. Try again in a moment.';
    case 'page_not_shown':
      return 'Not saved: a change you made just before leaving the previous page could not be filed under that page any more. Go back to it and make the change again.';
    default:
      return `Not saved: ${error.message}`;
  }
}
