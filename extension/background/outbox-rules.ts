import type { ErrorBody } from '../../protocol/errors.js';
import type { Conversation } from '../../protocol/model.js';
import type { PendingOp } from './pending.js';

/**
 * What the outbox does with the server's answers, as pure functions (the IndexedDB side is in
 * outbox-store.ts, the sending in operations.ts).
 */

/**
 * Sends of one op (first try included) before a transient failure counts as a refusal. Only the
 * sends the server itself failed count (an error answer, no answer on a connection that stayed up):
 * a send lost with its connection (the network dropped, the server restarted, the worker was
 * stopped) says nothing about the op, and counting it made one timeout refuse an op after a few
 * flaky reconnections.
 */
export const MAX_TRIES = 6;

/**
 * Sends of one op lost with their connection before it is refused all the same. Not counted in
 * MAX_TRIES, yet not unbounded: an op that makes the server crash would otherwise be sent again at
 * every reconnection, taking the server down for everybody, and would hold its page's outbox
 * forever. A send is in flight only for a round trip, so a drop at that moment twenty times over is
 * no flaky network.
 */
export const MAX_LOST_SENDS = 20;

/**
 * What to do with an op the server answered with an error:
 * - `retry`: nothing was changed and trying again later may work (`rate_limited`, `internal`, and
 *   `store_failed`: a disk error or a failing file is often passing, and an operator may fix it
 *   within the minute the MAX_TRIES sends with retryDelay's backoff span; after that the op is
 *   refused like any other). Not `store_full`: the server's database is at its operator's limit,
 *   which only the operator or deletions change; sent again every few seconds it would be refused
 *   each time and hold its page's outbox behind it, so it is final at once and the user is told;
 * - `applied`: the op is already in (a retry after a lost ack, e.g. an edit whose first send
 *   committed, now refused as `conflict` with `current` holding our own text);
 * - `rebase`: an edit refused as `conflict` whose comment still has the text the user edited
 *   (`before`): the conversation changed (a reply, a resolve), the comment did not, so nothing
 *   anyone wrote is overwritten by sending the edit again on `current`'s revision. The server's
 *   check is per conversation; an edit made offline would otherwise be lost to any reply;
 * - `refused`: final; the op leaves the outbox and the tabs are told why. A `conflict` or `gone`
 *   is never forced through: the newer state (or the deletion) stands.
 */
export function verdict(op: PendingOp, error: ErrorBody & { current?: Conversation }, retried: boolean): 'retry' | 'applied' | 'rebase' | 'refused' {
  if (error.code === 'rate_limited' || error.code === 'internal' || error.code === 'store_failed') return 'retry';
  if (error.code === 'conflict' && op.kind === 'update' && 'editComment' in op.request.changes) {
    const { id, text } = op.request.changes.editComment;
    const comment = error.current?.comments.find((c) => c.id === id);
    if (retried && comment?.text === text) return 'applied';
    if (comment !== undefined && op.before !== undefined && comment.text === op.before && error.current!.revision !== op.request.baseRevision) return 'rebase';
  }
  return 'refused';
}

/** Wait before retrying a transiently refused op: doubling from 1 s, capped at 30 s. */
export function retryDelay(tries: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, Math.min(tries - 1, 10)));
}

/**
 * After our update of conversation `id` was confirmed and `run` (below) is the run of revisions
 * our own ops made last: the later ops in the outbox made on a view inside that run were made on top
 * of our ops, so they now stand on `run.to`. Someone else's change in between ends the run (or
 * precedes it); then the `baseRevision` of an edit made before it stays stale and the server refuses
 * it with `conflict`, which is the point: an edit made on an outdated view never silently
 * overwrites someone else's change. Returns the ops that changed (to be written back), and the new list.
 *
 * Not only ops made on the confirmed op's own view (`seen`): an op made after our change came back
 * in a resync, while that op still waited for its answer, stands on its revision already, and its
 * tab, whose view lagged by a message, may have sent the revision before it as its base.
 */
export function rebaseFollowers(ops: readonly PendingOp[], id: string, run: OwnRun | undefined): { ops: PendingOp[]; changed: PendingOp[] } {
  if (run === undefined) return { ops: [...ops], changed: [] };
  const changed: PendingOp[] = [];
  const next = ops.map((op) => {
    if (op.kind !== 'update' || op.request.id !== id || op.seen === undefined || op.seen < run.from || op.seen > run.to) return op;
    const base = ownBase(run, op.request.baseRevision, run.to);
    if (op.seen === run.to && base === op.request.baseRevision) return op;
    const moved: PendingOp = { ...op, seen: run.to, request: base === op.request.baseRevision ? op.request : { ...op.request, baseRevision: base } };
    changed.push(moved);
    return moved;
  });
  return { ops: next, changed };
}

/**
 * Revisions `from + 1` to `to` of one conversation, each made by one of our own ops on top of the
 * one before (revision = seen + 1: nobody else in between). A tab's view lags the worker's by a
 * message: an edit the tab made on revision `from` with our op still pending reaches the worker after
 * that op was confirmed as `to`; it was made on top of our op all the same (ownBase).
 */
export interface OwnRun {
  from: number;
  to: number;
}

/** The run after our op made on `seen` was confirmed as `revision`. */
export function extendOwnRun(run: OwnRun | undefined, seen: number, revision: number): OwnRun | undefined {
  // A no-op answer: the run still holds if it reaches this view.
  if (revision === seen) return run?.to === seen ? run : undefined;
  if (revision !== seen + 1) return undefined;
  return run !== undefined && run.to === seen ? { from: run.from, to: revision } : { from: seen, to: revision };
}

/**
 * The baseRevision for a new op made by a tab that saw revision `base` while the worker is at
 * `seen`: moved to `seen` when everything in between is our own (the tab showed those ops, pending);
 * kept when someone else's change is in between, so that it is refused as a conflict.
 */
export function ownBase(run: OwnRun | undefined, base: number | undefined, seen: number | undefined): number | undefined {
  if (base === undefined || seen === undefined || run === undefined) return base;
  return base < seen && run.to === seen && run.from <= base ? seen : base;
}
