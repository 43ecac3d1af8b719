import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../protocol/errors.js';
import { toPendingOp } from '../../../extension/background/operations.js';
import { extendOwnRun, MAX_TRIES, ownBase, rebaseFollowers, retryDelay, verdict } from '../../../extension/background/outbox-rules.js';
import type { PendingOp } from '../../../extension/background/pending.js';
import { alice, chat, target, uuid } from './fixtures.js';

const page = { key: 'example.com/a', url: 'https://example.com/a' };
const create = toPendingOp(page, { type: 'create', broadcastId: uuid(10), chat: { id: uuid(1), target, text: 'hi' } }, alice, 1);
function edit(broadcastId: string, text: string, baseRevision: number | undefined, seen: number, id = uuid(1)): PendingOp {
  const message = { type: 'update' as const, broadcastId, id, ...(baseRevision !== undefined ? { baseRevision } : {}), changes: { editComment: { id, text } } };
  return toPendingOp(page, message, alice, 1, seen);
}
function reply(broadcastId: string, seen: number, id = uuid(1)): PendingOp {
  return toPendingOp(page, { type: 'update', broadcastId, id, changes: { addComment: { id: uuid(99), text: 'r' } } }, alice, 1, seen);
}

describe('verdict: what an error code does to an op', () => {
  const err = (code: ErrorCode) => ({ code, message: code });

  it('retries only what changed nothing and may work later (rate_limited, internal, store_failed; never store_full)', () => {
    for (const code of ERROR_CODES) {
      const expected = code === 'rate_limited' || code === 'internal' || code === 'store_failed' ? 'retry' : 'refused';
      expect(verdict(create, err(code), false), code).toBe(expected);
      expect(verdict(create, err(code), true), code).toBe(expected);
    }
  });

  it('a conflict or gone is final: never forced through', () => {
    const op = edit(uuid(11), 'mine', 1, 1);
    expect(verdict(op, { ...err('conflict'), current: chat(uuid(1), 'theirs', { revision: 2 }) }, false)).toBe('refused');
    expect(verdict(op, { ...err('conflict'), current: chat(uuid(1), 'theirs', { revision: 2 }) }, true)).toBe('refused');
    expect(verdict(op, err('gone'), true)).toBe('refused');
  });

  it('a retried edit refused as conflict with our own text already in place was applied by the lost first send', () => {
    const op = edit(uuid(11), 'mine', 1, 1);
    expect(verdict(op, { ...err('conflict'), current: chat(uuid(1), 'mine', { revision: 2 }) }, true)).toBe('applied');
    // Not on a first send: then the same text is someone else's doing, and the refusal stands.
    expect(verdict(op, { ...err('conflict'), current: chat(uuid(1), 'mine', { revision: 2 }) }, false)).toBe('refused');
  });
});

describe('verdict: an edit refused only because the conversation moved on', () => {
  const conflict = (current: ReturnType<typeof chat>) => ({ code: 'conflict' as const, message: 'stale', current });
  const offlineEdit = (before: string | undefined): PendingOp => {
    const op = edit(uuid(11), 'fixed', 1, 1);
    return op.kind === 'update' && before !== undefined ? { ...op, before } : op;
  };

  it('goes again on the current revision when its comment still reads as the user saw it (someone replied or resolved)', () => {
    const current = chat(uuid(1), 'first comment', { revision: 3, resolved: true });
    expect(verdict(offlineEdit('first comment'), conflict(current), false)).toBe('rebase');
  });

  it('is refused when the comment itself was edited meanwhile, or deleted, or when what the user saw is unknown', () => {
    expect(verdict(offlineEdit('first comment'), conflict(chat(uuid(1), 'edited elsewhere', { revision: 3 })), false)).toBe('refused');
    expect(verdict(offlineEdit('first comment'), conflict(chat(uuid(2), 'another conversation', { revision: 3 })), false)).toBe('refused');
    expect(verdict(offlineEdit(undefined), conflict(chat(uuid(1), 'first comment', { revision: 3 })), false)).toBe('refused');
    // Not for a conflict at its own revision (an id reused with other content): nothing to move to.
    expect(verdict(offlineEdit('first comment'), conflict(chat(uuid(1), 'first comment', { revision: 1 })), false)).toBe('refused');
  });
});

describe('retryDelay', () => {
  it('doubles from 1 s and stays within 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(retryDelay(1_000)).toBe(30_000);
    expect(MAX_TRIES).toBeGreaterThan(1);
  });
});

describe('rebaseFollowers: ops made on top of our own pending ops', () => {
  it('moves later ops of the same conversation made on the same view to the revision our op produced', () => {
    const first = edit(uuid(11), 'one', 3, 3);
    const second = reply(uuid(12), 3);
    const third = edit(uuid(13), 'three', 3, 3);
    const other = edit(uuid(14), 'x', 3, 3, uuid(2));
    const { ops, changed } = rebaseFollowers([second, third, other], uuid(1), extendOwnRun(undefined, 3, 4));
    expect(ops.map((o) => (o.kind === 'update' ? [o.seen, o.request.baseRevision] : null))).toEqual([
      [4, undefined],
      [4, 4],
      [3, 3],
    ]);
    expect(changed.map((o) => o.request.broadcastId)).toEqual([uuid(12), uuid(13)]);
    expect(first.kind === 'update' && first.request.baseRevision).toBe(3);
  });

  it('chains: each answer moves the rest one step', () => {
    let ops = [edit(uuid(12), 'b', 3, 3), edit(uuid(13), 'c', 3, 3)];
    let run = extendOwnRun(undefined, 3, 4);
    ops = rebaseFollowers(ops, uuid(1), run).ops; // the first edit (3 → 4) was answered
    const [next] = ops;
    expect(next?.kind === 'update' && next.request.baseRevision).toBe(4);
    run = extendOwnRun(run, 4, 5);
    ops = rebaseFollowers(ops.slice(1), uuid(1), run).ops; // then that one (4 → 5)
    expect(ops[0]?.kind === 'update' && ops[0].request.baseRevision).toBe(5);
  });

  it('a no-op answer (same revision) keeps them where they are', () => {
    const { ops } = rebaseFollowers([edit(uuid(12), 'b', 3, 3)], uuid(1), extendOwnRun(undefined, 3, 3));
    expect(ops[0]?.kind === 'update' && ops[0].request.baseRevision).toBe(3);
  });

  it('does not move anything when someone else changed the conversation in between: their edit is not overwritten', () => {
    const follower = edit(uuid(12), 'b', 3, 3);
    const { ops, changed } = rebaseFollowers([follower], uuid(1), extendOwnRun(undefined, 3, 6));
    expect(ops).toEqual([follower]);
    expect(changed).toEqual([]);
  });

  it('leaves ops whose tab had an older view alone (their baseRevision is stale already)', () => {
    const stale = edit(uuid(12), 'b', 2, 3);
    const { ops } = rebaseFollowers([stale], uuid(1), extendOwnRun(undefined, 3, 4));
    expect(ops[0]?.kind === 'update' && [ops[0].seen, ops[0].request.baseRevision]).toEqual([4, 2]);
  });
});

describe('rebaseFollowers: ops made after our change came back in a resync, before its answer', () => {
  it('an op made on the revision our op produced, sent by a tab that still showed the one before, follows it', () => {
    // Our reply (made on 3) came back in a resync as revision 4 while it waited for its answer;
    // an edit made then stands on 4 in the worker and carries the tab's 3.
    const late = edit(uuid(12), 'b', 3, 4);
    const { ops, changed } = rebaseFollowers([late], uuid(1), extendOwnRun(undefined, 3, 4));
    expect(ops[0]?.kind === 'update' && [ops[0].seen, ops[0].request.baseRevision]).toEqual([4, 4]);
    expect(changed).toHaveLength(1);
  });

  it('but not one whose tab had missed someone else\'s change before our run', () => {
    const stale = edit(uuid(12), 'b', 2, 4);
    const { ops } = rebaseFollowers([stale], uuid(1), extendOwnRun(undefined, 3, 4));
    expect(ops[0]?.kind === 'update' && [ops[0].seen, ops[0].request.baseRevision]).toEqual([4, 2]);
  });
});

describe('ownBase: an edit from a tab whose view lags behind our own confirmed ops', () => {
  it('moves the base over revisions only our own ops made, one on top of the other', () => {
    let run = extendOwnRun(undefined, 3, 4);
    run = extendOwnRun(run, 4, 5);
    expect(run).toEqual({ from: 3, to: 5 });
    expect(ownBase(run, 3, 5)).toBe(5);
    expect(ownBase(run, 4, 5)).toBe(5);
    // A no-op answer leaves the run as it was; on a later view than the run's end, there is none.
    expect(extendOwnRun(run, 5, 5)).toEqual({ from: 3, to: 5 });
    expect(extendOwnRun(run, 6, 6)).toBeUndefined();
  });

  it('keeps the base when someone else changed the conversation since the tab looked: that edit is a conflict', () => {
    const run = extendOwnRun(undefined, 3, 4);
    // Someone else made revision 4 → 5 after ours; the tab that saw 3 or 4 missed it.
    expect(ownBase(run, 3, 5)).toBe(3);
    expect(ownBase(run, 4, 5)).toBe(4);
    // Our op answered as revision 6 after someone else's 4 → 5: not a run of ours.
    expect(extendOwnRun(run, 4, 6)).toBeUndefined();
    // Someone else's revision before our run began.
    expect(ownBase(extendOwnRun(undefined, 4, 5), 3, 5)).toBe(3);
    expect(ownBase(undefined, 3, 4)).toBe(3);
    expect(ownBase(run, undefined, 4)).toBeUndefined();
  });
});
