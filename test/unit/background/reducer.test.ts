import { describe, expect, it } from 'vitest';
import { applyAck, applyChange, applyChanges, applyGone, applyNewer, applySnapshot, emptyPage, foldAnswer, MAX_TOMBSTONES, type PageState } from '../../../extension/background/reducer.js';
import * as v from 'valibot';
import { splitBatch } from '../../../extension/background/batch.js';
import { BatchSchema } from '../../../extension/background/server-schemas.js';
import { encodeNewTextChat } from '../../../protocol/wire.js';
import { alice, chat, commentAdded, created, deleted, resolvedChange, target, uuid } from './fixtures.js';

const PAGE = 'example.com/article';

function at(seq: number, ...chats: ReturnType<typeof chat>[]): PageState {
  return applySnapshot(emptyPage(PAGE), seq, chats);
}

describe('applyChange', () => {
  it('applies the next seq and expands a new-text-chat into a conversation', () => {
    const step = applyChange(at(0), created(1, uuid(1), 'hello'));
    expect(step.status).toBe('applied');
    if (step.status !== 'applied') return;
    expect(step.state.seq).toBe(1);
    expect(step.state.conversations[uuid(1)]).toEqual({
      id: uuid(1),
      target,
      author: alice,
      createdAt: 1_000,
      revision: 1,
      resolved: false,
      comments: [{ id: uuid(1), author: alice, text: 'hello', createdAt: 1_000 }],
    });
  });

  it('ignores events at or below the current seq', () => {
    const state = at(5, chat(uuid(1)));
    expect(applyChange(state, resolvedChange(5, uuid(1), 2, true))).toEqual({ status: 'stale' });
    expect(applyChange(state, created(3, uuid(2)))).toEqual({ status: 'stale' });
  });

  it('reports a gap when a seq is skipped', () => {
    expect(applyChange(at(5), created(7, uuid(1)))).toEqual({ status: 'gap', full: false });
  });

  it('needs a full sync when nothing is known yet or an update names an unknown conversation', () => {
    expect(applyChange(emptyPage(PAGE), created(1, uuid(1)))).toEqual({ status: 'gap', full: true });
    expect(applyChange(at(1), resolvedChange(2, uuid(9), 2, true))).toEqual({ status: 'gap', full: true });
  });

  it('applies each kind of delta', () => {
    let state = at(1, chat(uuid(1)));
    const steps = [
      commentAdded(2, uuid(1), 2, uuid(20), 'a reply'),
      { type: 'updated-text-chat' as const, broadcastId: uuid(3), seq: 3, id: uuid(1), revision: 3, by: alice, editComment: { id: uuid(20), text: 'edited', editedAt: 3_000 } },
      resolvedChange(4, uuid(1), 4, true),
      { type: 'updated-text-chat' as const, broadcastId: uuid(5), seq: 5, id: uuid(1), revision: 5, by: alice, deleteComment: { id: uuid(1) } },
    ];
    const applied = applyChanges(state, steps);
    expect(applied.gap).toBeNull();
    state = applied.state;
    const result = state.conversations[uuid(1)];
    expect(state.seq).toBe(5);
    expect(result?.revision).toBe(5);
    expect(result?.resolved).toBe(true);
    expect(result?.comments).toEqual([{ id: uuid(20), author: { id: 'user-bob', name: 'Bob' }, text: 'edited', createdAt: 2_000, editedAt: 3_000 }]);
  });

  it('skips a delta the conversation already contains (by revision)', () => {
    // A conflict answer brought revision 3 (resolved); the older revision-2 "reopen" must not undo it.
    const state = at(1, chat(uuid(1), 'x', { revision: 3, resolved: true }));
    const step = applyChange(state, resolvedChange(2, uuid(1), 2, false));
    expect(step.status).toBe('applied');
    if (step.status === 'applied') {
      expect(step.state.seq).toBe(2);
      expect(step.state.conversations[uuid(1)]?.resolved).toBe(true);
      expect(step.state.conversations[uuid(1)]?.revision).toBe(3);
    }
  });
});

describe('tombstones', () => {
  it('a deleted conversation does not come back from a later snapshot, ack or create', () => {
    let state = applyChanges(at(1, chat(uuid(1))), [deleted(2, uuid(1))]).state;
    expect(state.conversations).toEqual({});
    expect(state.deleted).toEqual([uuid(1)]);
    state = applySnapshot(state, 2, [chat(uuid(1))]);
    expect(state.conversations).toEqual({});
    const ack = applyAck(state, 3, { upsert: chat(uuid(1)) });
    expect(ack.status === 'applied' && ack.state.conversations).toEqual({});
    const create = applyChange(state, created(3, uuid(1)));
    expect(create.status === 'applied' && create.state.conversations).toEqual({});
    expect(applyNewer(state, chat(uuid(1), 'x', { revision: 9 }))).toBe(state);
  });

  it('a restore (new-text-chat with its thread, after the deletion) takes the conversation back; a create of that id replayed is still refused', () => {
    const thread = chat(uuid(1), 'first comment', { revision: 3, resolved: true, comments: [...chat(uuid(1)).comments, { id: uuid(9), author: alice, text: 'a reply', createdAt: 2_000 }] });
    const gone = applyChanges(at(1, thread), [deleted(2, uuid(1))]).state;
    const { text, createdAt, author } = { text: 'first comment', createdAt: thread.createdAt, author: thread.author };
    const restore = { ...created(3, uuid(1)), chat: { target, text, author, createdAt, restored: { revision: 3, resolved: true, comments: thread.comments } } };
    const back = applyChange(gone, restore);
    expect(back.status === 'applied' && back.state.conversations[uuid(1)]).toEqual(thread);
    expect(back.status === 'applied' && back.state.deleted).toEqual([]);
    // Its create, or the deletion, sent again: stale by seq. A plain create of a deleted id at a new seq: refused.
    const again = applyChange(gone, created(3, uuid(1)));
    expect(again.status === 'applied' && again.state.conversations).toEqual({});
    // Our own restore's answer does the same, in seq order.
    const own = foldAnswer(gone, { seq: 3, unchanged: false, result: { restore: thread } });
    expect(own).toEqual({ state: { ...gone, seq: 3, conversations: { [uuid(1)]: thread }, deleted: [] }, gap: null });
  });

  it('a snapshot newer than the state shows a conversation it had seen deleted (restored since); one not newer does not', () => {
    const gone = applyChanges(at(1, chat(uuid(1))), [deleted(2, uuid(1))]).state;
    expect(applySnapshot(gone, 2, [chat(uuid(1))]).conversations).toEqual({});
    const newer = applySnapshot(gone, 3, [chat(uuid(1))]);
    expect(newer.conversations).toEqual({ [uuid(1)]: chat(uuid(1)) });
    expect(newer.deleted).toEqual([]);
  });

  it('an update to a deleted conversation is ignored but moves the seq', () => {
    const state = applyChanges(at(1, chat(uuid(1))), [deleted(2, uuid(1))]).state;
    const step = applyChange(state, resolvedChange(3, uuid(1), 2, true));
    expect(step.status === 'applied' && step.state.seq).toBe(3);
  });

  it('keeps a bounded number of tombstones', () => {
    let state = at(0);
    for (let i = 1; i <= MAX_TOMBSTONES + 5; i++) state = applyGone(state, uuid(i));
    expect(state.deleted).toHaveLength(MAX_TOMBSTONES);
    expect(state.deleted[0]).toBe(uuid(6));
  });
});

describe('applyChanges', () => {
  it('applies a batch in seq order even when it arrives out of order', () => {
    const result = applyChanges(at(0), [created(2, uuid(2)), created(1, uuid(1)), created(3, uuid(3))]);
    expect(result.gap).toBeNull();
    expect(result.changed).toBe(true);
    expect(result.state.seq).toBe(3);
    expect(Object.keys(result.state.conversations).sort()).toEqual([uuid(1), uuid(2), uuid(3)]);
  });

  it('stops at a gap and keeps what came before it', () => {
    const result = applyChanges(at(0), [created(1, uuid(1)), created(3, uuid(3))]);
    expect(result.gap).toEqual({ full: false });
    expect(result.state.seq).toBe(1);
    expect(Object.keys(result.state.conversations)).toEqual([uuid(1)]);
  });

  it('skips stale changes in a replay and reports no change when all are stale', () => {
    const state = at(3, chat(uuid(1)));
    const result = applyChanges(state, [created(2, uuid(2)), created(3, uuid(3))]);
    expect(result).toEqual({ state, changed: false, gap: null });
  });
});

describe('text-chat-batch frames', () => {
  it('checks a frame, splits it into each page’s changes in order, and applies them', () => {
    const raw: unknown = [
      ['new-text-chat', encodeNewTextChat({ broadcastId: uuid(41), seq: 1, id: uuid(1), pageKey: 'a.example/', chat: { target, text: 'a', author: alice, createdAt: 5 } })],
      ['new-text-chat', encodeNewTextChat({ broadcastId: uuid(7), seq: 7, id: uuid(7), pageKey: 'b.example/', chat: { target, text: 'b', author: alice, createdAt: 5 } })],
      ['updated-text-chat', { broadcastId: uuid(43), seq: 2, id: uuid(1), pageKey: 'a.example/', revision: 2, by: alice, resolved: true }],
      ['deleted-text-chat', { broadcastId: uuid(44), seq: 3, id: uuid(1), pageKey: 'a.example/' }],
    ];
    const byPage = splitBatch(v.parse(BatchSchema, raw));
    expect([...byPage.keys()]).toEqual(['a.example/', 'b.example/']);
    expect(byPage.get('a.example/')?.map((c) => [c.type, c.seq])).toEqual([
      ['new-text-chat', 1],
      ['updated-text-chat', 2],
      ['deleted-text-chat', 3],
    ]);
    // new-text-chat entries arrive as tuples and come out as the events they stand for.
    expect(byPage.get('b.example/')).toEqual([{ type: 'new-text-chat', broadcastId: uuid(7), seq: 7, id: uuid(7), chat: { target, text: 'b', author: alice, createdAt: 5 } }]);
    const applied = applyChanges(at(0), byPage.get('a.example/') ?? []);
    expect(applied.state.seq).toBe(3);
    expect(applied.state.conversations).toEqual({});
    expect(applied.state.deleted).toEqual([uuid(1)]);
  });

  it('rejects a frame whose entry name does not match its payload', () => {
    const raw: unknown = [['deleted-text-chat', { broadcastId: uuid(41), seq: 1, id: uuid(1), chat: { target, text: 'a', author: alice, createdAt: 5 } }]];
    expect(v.is(BatchSchema, raw)).toBe(false);
  });

  it('rejects a frame with a new-text-chat that is not a valid tuple, the object form included', () => {
    const event = { broadcastId: uuid(41), seq: 1, id: uuid(1), pageKey: 'a.example/', chat: { target, text: 'a', author: alice, createdAt: 5 } };
    expect(v.is(BatchSchema, [['new-text-chat', event]])).toBe(false);
    expect(v.is(BatchSchema, [['new-text-chat', encodeNewTextChat(event).slice(0, 7)]])).toBe(false);
    expect(v.is(BatchSchema, [['new-text-chat', encodeNewTextChat(event)]])).toBe(true);
  });
});

describe('applyAck', () => {
  it('folds the answer to our own operation like the next broadcast', () => {
    const step = applyAck(at(4), 5, { upsert: chat(uuid(1)) });
    expect(step.status === 'applied' && step.state.seq).toBe(5);
    const removed = applyAck(at(5, chat(uuid(1))), 6, { remove: uuid(1) });
    expect(removed.status === 'applied' && removed.state.conversations).toEqual({});
  });

  it('is stale when the echo came first, and a gap when changes are missing', () => {
    expect(applyAck(at(5), 5, { upsert: chat(uuid(1)) })).toEqual({ status: 'stale' });
    expect(applyAck(at(5), 8, { upsert: chat(uuid(1)) })).toEqual({ status: 'gap', full: false });
  });
});

describe('foldAnswer', () => {
  it('applies an answer that made a change as the next seq, and shows one that is ahead while asking for what is between', () => {
    const applied = foldAnswer(at(4), { seq: 5, unchanged: false, result: { upsert: chat(uuid(1)) } });
    expect(applied).toEqual({ state: at(5, chat(uuid(1))), gap: null });
    const ahead = foldAnswer(at(4), { seq: 7, unchanged: false, result: { upsert: chat(uuid(1)) } });
    expect(ahead).toEqual({ state: at(4, chat(uuid(1))), gap: { full: false } });
    expect(foldAnswer(at(5), { seq: 5, unchanged: false, result: { upsert: chat(uuid(1)) } })).toEqual({ state: at(5), gap: null });
  });

  it('never takes the seq of an answer that changed nothing: that seq is somebody else’s change, which must still be fetched', () => {
    // Seq 5 is Bob's edit of conversation 2, not yet received; our resolve of conversation 1 was a no-op.
    const mine = chat(uuid(1), 'first comment', { revision: 2, resolved: true });
    const state = at(4, chat(uuid(1)), chat(uuid(2)));
    const folded = foldAnswer(state, { seq: 5, unchanged: true, result: { upsert: mine } });
    expect(folded.state.seq).toBe(4);
    expect(folded.state.conversations[uuid(1)]).toEqual(mine);
    expect(folded.gap).toEqual({ full: false });
    // Bob's change then applies as the next seq, as it would have without our answer.
    const edited = applyChange(folded.state, commentAdded(5, uuid(2), 2, uuid(9), 'from Bob'));
    expect(edited.status).toBe('applied');
  });

  it('asks for nothing when an unchanged answer is not ahead, keeps the newer copy, and removes what a repeated delete names', () => {
    const newer = chat(uuid(1), 'first comment', { revision: 3 });
    expect(foldAnswer(at(6, newer), { seq: 6, unchanged: true, result: { upsert: chat(uuid(1)) } })).toEqual({ state: at(6, newer), gap: null });
    const removed = foldAnswer(at(6, chat(uuid(1))), { seq: 4, unchanged: true, result: { remove: uuid(1) } });
    expect(removed.gap).toBeNull();
    expect(removed.state.conversations).toEqual({});
    expect(removed.state.deleted).toEqual([uuid(1)]);
    expect(foldAnswer(emptyPage(PAGE), { seq: 3, unchanged: true, result: { upsert: chat(uuid(1)) } }).gap).toEqual({ full: true });
  });
});

describe('applyNewer', () => {
  it('takes a conversation only when its revision is newer', () => {
    const state = at(2, chat(uuid(1), 'x', { revision: 3 }));
    expect(applyNewer(state, chat(uuid(1), 'old', { revision: 2 }))).toBe(state);
    expect(applyNewer(state, chat(uuid(1), 'new', { revision: 4 })).conversations[uuid(1)]?.comments[0]?.text).toBe('new');
    expect(applyNewer(state, chat(uuid(1), 'new', { revision: 4 })).seq).toBe(2);
  });
});
