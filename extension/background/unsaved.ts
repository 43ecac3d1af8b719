import type { Conversation } from '../../protocol/model.js';
import type { PageState } from './reducer.js';

/**
 * One cache write's worth of a page (cache.ts stores it in one transaction): the page's seq and
 * tombstones, and the conversations changed since its last write that was stored.
 */
export interface PageDelta {
  readonly pageKey: string;
  readonly seq: number;
  readonly deleted: readonly string[];
  /** The page's stored conversations are replaced by `put` (its rows cleared first). */
  readonly whole: boolean;
  /** Conversations to store (every one of the page when `whole`). */
  readonly put: readonly Conversation[];
  /** Conversations to remove from the store (none when `whole`: the clear removes them). */
  readonly remove: readonly string[];
}

/**
 * What a page's cache lacks of its state: the conversations changed since the last write that was
 * stored, or everything (`whole`) while the page does not know what the cache holds for it. That is
 * so for a new page until its cache is read back, after its state was replaced as a whole
 * (a snapshot, a rebase, another scope: the stored rows may hold conversations the state no longer
 * has), and after a whole write failed. A delta is taken when a write starts; a write that was not
 * stored gives it back, so the next one covers it along with what changed since.
 */
export class Unsaved {
  #whole = true;
  #ids = new Set<string>();

  /** `ids` changed (or were removed) in the state. */
  touched(ids: Iterable<string>): void {
    if (this.#whole) return;
    for (const id of ids) this.#ids.add(id);
  }

  /** The state was replaced as a whole. */
  replaced(): void {
    this.#whole = true;
    this.#ids.clear();
  }

  /**
   * The state is what the cache holds: read back from it. Rows dropped by the read left the state
   * without a seq, so nothing is written until a state replaced whole rewrites the page.
   */
  stored(): void {
    this.#whole = false;
    this.#ids.clear();
  }

  /**
   * The delta that brings the cache to `state`, counted as written from now; null while the state has
   * no seq (it is not stored: a restarted worker must not resume from it), and then nothing is taken.
   */
  take(state: PageState): PageDelta | null {
    const { pageKey, seq, deleted, conversations } = state;
    if (seq === null) return null;
    const whole = this.#whole;
    const put: Conversation[] = [];
    const remove: string[] = [];
    if (whole) put.push(...Object.values(conversations));
    else {
      for (const id of this.#ids) {
        const chat = Object.hasOwn(conversations, id) ? conversations[id] : undefined;
        if (chat === undefined) remove.push(id);
        else put.push(chat);
      }
    }
    this.stored();
    return { pageKey, seq, deleted, whole, put, remove };
  }

  /** The write of `delta` was not stored: the next write covers it again. */
  failed(delta: PageDelta): void {
    if (delta.whole) this.replaced();
    else this.touched([...delta.put.map((chat) => chat.id), ...delta.remove]);
  }
}
