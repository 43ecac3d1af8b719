import type { LocalConversation } from '../../../protocol/runtime.js';

interface Sent {
  conversationId: string;
  commentId: string;
  text: string;
}

/**
 * Edits this tab sent that the server has not settled yet, by broadcastId, so that an edit refused
 * as a `conflict` (the comment changed after the user's view of it: another tab, another user, or
 * this tab lagging behind the worker) gives the user their words back instead of dropping them. The
 * server never forces an edit through a newer change (docs/reliability.md); re-applying it on the
 * version now shown is the user's call, so the text goes back into the comment's edit field.
 */
export class SentEdits {
  readonly #sent = new Map<string, Sent>();
  /** Refused edits whose text the UI has not taken into its edit field yet, by comment id. */
  readonly #refused = new Map<string, string>();

  sent(broadcastId: string, conversationId: string, commentId: string, text: string): void {
    this.#sent.set(broadcastId, { conversationId, commentId, text });
  }

  /** The op was refused; true when it was one of our edits refused as a conflict, whose text is now kept. */
  failed(broadcastId: string, code: string): boolean {
    const sent = this.#sent.get(broadcastId);
    this.#sent.delete(broadcastId);
    if (sent === undefined || code !== 'conflict') return false;
    this.#refused.set(sent.commentId, sent.text);
    return true;
  }

  /** The conversation as the server has it (not pending): an edit of ours it shows is settled. */
  confirmed(c: LocalConversation): void {
    if (c.pending === true) return;
    for (const [broadcastId, sent] of this.#sent) {
      if (sent.conversationId === c.id && c.comments.some((comment) => comment.id === sent.commentId && comment.text === sent.text)) this.#sent.delete(broadcastId);
    }
  }

  /** The conversation went, or the tab moved to another page: nothing of it will be settled here. */
  forget(conversationId?: string): void {
    for (const [broadcastId, sent] of this.#sent) if (conversationId === undefined || sent.conversationId === conversationId) this.#sent.delete(broadcastId);
    if (conversationId === undefined) this.#refused.clear();
  }

  /** Refused edits the UI has to give back, by comment id. */
  refused(): ReadonlyMap<string, string> {
    return new Map(this.#refused);
  }

  /** The UI put the text back into the comment's edit field. */
  taken(commentId: string): void {
    this.#refused.delete(commentId);
  }
}
