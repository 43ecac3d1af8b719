import type { LocalConversation } from '../../protocol/runtime.js';
import { entryOf, opTarget, viewOf, type PendingOp } from './pending.js';
import type { PageState } from './reducer.js';

/**
 * A page's view (viewOf(state, ops): what its tabs show) kept between pushes and changed one
 * conversation at a time. Each op reads and changes only its own conversation, so an event or an op
 * that touched some ids changes those entries alone: recomputing them (entryOf) gives what viewOf
 * would, without walking the page's other thousands. A state replaced as a whole (a snapshot, the
 * cache, another scope) or an outbox read back drops it, and it is made again from scratch when
 * next read. In memory only, derived from the page's state and outbox: a restarted worker makes it
 * again from what it reads back.
 */
export class LiveView {
  #view: Map<string, LocalConversation> | null = null;
  /** The outbox's ops by the conversation they aim at, in order; made again after the outbox changed. */
  #byTarget: Map<string, PendingOp[]> | null = null;
  /**
   * The ids whose entry may differ from the view when changes were last taken; null: any may (the
   * view was made again since). Null whenever the view is: made afresh, all of it is new.
   */
  #changed: Set<string> | null = null;

  constructor(private readonly source: () => { state: PageState; ops: readonly PendingOp[] }) {}

  /** Anything may have changed: the view is made from scratch when next read. */
  reset(): void {
    this.#view = null;
    this.#byTarget = null;
    this.#changed = null;
  }

  /**
   * The state went from one whose tombstones were `deletedBefore` to the source's, changing the
   * conversations `ids` only (others may be listed too). Tombstones are compared here: one added, lifted or pushed out of the bounded list
   * (reducer.ts MAX_TOMBSTONES) changes what that conversation's ops show.
   */
  stateChanged(deletedBefore: readonly string[], ids: Iterable<string>): void {
    if (this.#view === null) return;
    const touched = new Set(ids);
    const { deleted } = this.source().state;
    if (deleted !== deletedBefore) {
      const before = new Set(deletedBefore);
      const after = new Set(deleted);
      for (const id of before) if (!after.has(id)) touched.add(id);
      for (const id of after) if (!before.has(id)) touched.add(id);
    }
    this.#update(touched);
  }

  /** Ops aimed at the conversations `ids` entered, left or changed in the outbox. */
  opsChanged(ids: Iterable<string>): void {
    this.#byTarget = null;
    if (this.#view !== null) this.#update(ids);
  }

  /** The view, made from scratch only after a reset. Never changed by the caller. */
  read(): ReadonlyMap<string, LocalConversation> {
    if (this.#view === null) {
      const { state, ops } = this.source();
      this.#view = viewOf(state, ops);
    }
    return this.#view;
  }

  /**
   * The view, and the ids whose entry may have changed since the last call (null: any may, the view
   * having been made again); from here on, changes are counted from this view.
   */
  take(): { view: ReadonlyMap<string, LocalConversation>; changed: ReadonlySet<string> | null } {
    const view = this.read();
    const changed = this.#changed;
    this.#changed = new Set();
    return { view, changed };
  }

  #update(ids: Iterable<string>): void {
    const view = this.#view;
    if (view === null) return;
    const { state, ops } = this.source();
    for (const id of ids) {
      const entry = entryOf(state, id, this.#opsOn(id, ops));
      if (entry === undefined) view.delete(id);
      else view.set(id, entry);
      this.#changed?.add(id);
    }
  }

  #opsOn(id: string, ops: readonly PendingOp[]): readonly PendingOp[] {
    if (this.#byTarget === null) {
      this.#byTarget = new Map();
      for (const op of ops) {
        const target = opTarget(op);
        const list = this.#byTarget.get(target);
        if (list === undefined) this.#byTarget.set(target, [op]);
        else list.push(op);
      }
    }
    return this.#byTarget.get(id) ?? [];
  }
}
