import type { LocalConversation } from '../../../protocol/runtime.js';

export type PostKind = 'conversation' | 'reply';

interface Waiting {
  conversationId: string;
  broadcastId: string;
  kind: PostKind;
}

/**
 * Comments this tab sent and has not yet seen the server confirm, so that their posting can be told
 * to a screen reader: the panel shows a posted comment by changing a dashed border, which is not
 * heard. Keyed by comment id, the one thing a conversation from the background carries of them.
 */
export class OwnPosts {
  readonly #waiting = new Map<string, Waiting>();

  sent(conversationId: string, commentId: string, broadcastId: string, kind: PostKind): void {
    this.#waiting.set(commentId, { conversationId, broadcastId, kind });
  }

  /** The posts of ours this conversation, as the background now shows it, confirms (each once). */
  confirmed(c: LocalConversation): PostKind[] {
    // `pending`: what the background keeps until the server answers; not posted yet.
    if (c.pending === true) return [];
    const out: PostKind[] = [];
    for (const comment of c.comments) {
      const waiting = this.#waiting.get(comment.id);
      if (waiting?.conversationId !== c.id) continue;
      this.#waiting.delete(comment.id);
      out.push(waiting.kind);
    }
    return out;
  }

  /** Refused (op-failed): the error notice says why; nothing is left to confirm. */
  failed(broadcastId: string): void {
    for (const [commentId, waiting] of this.#waiting) if (waiting.broadcastId === broadcastId) this.#waiting.delete(commentId);
  }

  /** The conversation went, or the tab moved to another page: nothing of it will be confirmed here. */
  forget(conversationId?: string): void {
    for (const [commentId, waiting] of this.#waiting) if (conversationId === undefined || waiting.conversationId === conversationId) this.#waiting.delete(commentId);
  }
}
