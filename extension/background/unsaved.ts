import type { Conversation } from '../../protocol/model.js';
import { bucketOf } from './cache-buckets.js';
import type { PageState } from './reducer.js';

/**
 * One cache write's worth of a page (cache.ts stores it in one transaction): the page's seq and
 * tombstones, and the buckets (cache-buckets.ts) holding a conversation changed or removed since its
 * last write that was stored, each with all the conversations it holds now.
 */
export interface PageDelta {
  readonly pageKey: string;
  readonly seq: number;
  readonly deleted: readonly string[];
  /** The page's stored buckets are replaced by `buckets` (its rows cleared first). */
  readonly whole: boolean;
  /**
   * Buckets to store, by number, with the conversations each holds (every non-empty bucket of the
   * page when `whole`); an empty one is a bucket whose row goes (never when `whole`: the clear removes it).
   */
  readonly buckets: ReadonlyMap<number, readonly Conversation[]>;
}

/**
 * What a page's cache lacks of its state: the buckets changed since the last write that was stored,
 * or everything (`whole`) while the page does not know what the cache holds for it. That is so for a
 * new page until its cache is read back, after its state was replaced as a whole (a snapshot, a
 * rebase, another scope: the stored rows may hold conversations the state no longer has), and after
 * a whole write failed. A delta is taken when a write starts; a write that was not stored gives it
 * back, so the next one covers it along with what changed since.
 *
 * A changed bucket is written with every conversation it holds, found through `#members` (the ids
 * seen in each bucket, a superset of what the state holds there, pruned as a write finds an id gone)
 * so that a write costs what it writes, not a pass over the page's conversations. It is made at the
 * first write after the state came in whole, and kept up from the ids each change touched.
 */
export class Unsaved {
  #whole = true;
  readonly #dirty = new Set<number>();
  #members: Map<number, Set<string>> | null = null;

  /** `ids` changed (or were removed) in the state. */
  touched(ids: Iterable<string>): void {
    for (const id of ids) {
      const bucket = bucketOf(id);
      if (!this.#whole) this.#dirty.add(bucket);
      if (this.#members !== null) addTo(this.#members, bucket, id);
    }
  }

  /** The state was replaced as a whole. */
  replaced(): void {
    this.#whole = true;
    this.#dirty.clear();
    this.#members = null;
  }

  /**
   * The state is what the cache holds: read back from it. Rows dropped by the read left the state
   * without a seq, so nothing is written until a state replaced whole rewrites the page.
   */
  stored(): void {
    this.#whole = false;
    this.#dirty.clear();
  }

  /**
   * The delta that brings the cache to `state`, counted as written from now; null while the state has
   * no seq (it is not stored: a restarted worker must not resume from it), and then nothing is taken.
   */
  take(state: PageState): PageDelta | null {
    const { pageKey, seq, deleted, conversations } = state;
    if (seq === null) return null;
    const whole = this.#whole;
    const buckets = new Map<number, Conversation[]>();
    if (whole || this.#members === null) {
      const members = new Map<number, Set<string>>();
      for (const [id, chat] of Object.entries(conversations)) {
        const bucket = bucketOf(id);
        addTo(members, bucket, id);
        if (whole) {
          const list = buckets.get(bucket);
          if (list === undefined) buckets.set(bucket, [chat]);
          else list.push(chat);
        }
      }
      this.#members = members;
    }
    if (!whole) {
      for (const bucket of this.#dirty) {
        const list: Conversation[] = [];
        const ids = this.#members.get(bucket) ?? new Set<string>();
        for (const id of ids) {
          const chat = Object.hasOwn(conversations, id) ? conversations[id] : undefined;
          if (chat === undefined) ids.delete(id);
          else list.push(chat);
        }
        buckets.set(bucket, list);
      }
    }
    this.stored();
    return { pageKey, seq, deleted, whole, buckets };
  }

  /** The write of `delta` was not stored: the next write covers it again. */
  failed(delta: PageDelta): void {
    if (delta.whole) {
      this.#whole = true;
      this.#dirty.clear();
    } else if (!this.#whole) for (const bucket of delta.buckets.keys()) this.#dirty.add(bucket);
  }
}

function addTo(members: Map<number, Set<string>>, bucket: number, id: string): void {
  const ids = members.get(bucket);
  if (ids === undefined) members.set(bucket, new Set([id]));
  else ids.add(id);
}
