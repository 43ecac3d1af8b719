import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { BackgroundToContent } from '../../../protocol/runtime.js';
import { diffView, settle, viewOf, type PendingOp } from '../../../extension/background/pending.js';
import { toPendingOp } from '../../../extension/background/operations.js';
import { applySnapshot, emptyPage } from '../../../extension/background/reducer.js';
import { alice, bob, chat, target, uuid } from './fixtures.js';

const page = { key: 'example.com/a', url: 'https://example.com/a' };
const confirmed = (...chats: ReturnType<typeof chat>[]) => applySnapshot(emptyPage(page.key), 3, chats);

function create(id: string, broadcastId: string, text = 'new note'): PendingOp {
  return toPendingOp(page, { type: 'create', broadcastId, chat: { id, target, text } }, bob, 5_000);
}

describe('toPendingOp', () => {
  it('fills in the url from the port and keeps every id the tab gave', () => {
    const op = create(uuid(1), uuid(2));
    expect(op).toEqual({ kind: 'create', pageKey: page.key, url: page.url, author: bob, at: 5_000, request: { broadcastId: uuid(2), chat: { id: uuid(1), target, text: 'new note', url: page.url } } });
    const update = toPendingOp(page, { type: 'update', broadcastId: uuid(3), id: uuid(1), baseRevision: 1, changes: { resolved: true } }, bob, 1);
    expect(update.request).toEqual({ broadcastId: uuid(3), id: uuid(1), baseRevision: 1, changes: { resolved: true } });
    expect(toPendingOp(page, { type: 'delete', broadcastId: uuid(4), id: uuid(1) }, bob, 1).request).toEqual({ broadcastId: uuid(4), id: uuid(1) });
  });
});

describe('viewOf', () => {
  it('shows confirmed conversations as they are', () => {
    const view = viewOf(confirmed(chat(uuid(1))), []);
    expect([...view.values()]).toEqual([chat(uuid(1))]);
  });

  it('adds a pending create, with its first comment named like the conversation', () => {
    const view = viewOf(confirmed(), [create(uuid(1), uuid(2))]);
    const shown = view.get(uuid(1));
    expect(shown?.pending).toBe(true);
    expect(shown?.author).toEqual(bob);
    expect(shown?.comments).toEqual([{ id: uuid(1), author: bob, text: 'new note', createdAt: 5_000 }]);
    // What the tabs are sent must pass their own check.
    expect(v.is(BackgroundToContent, { type: 'upsert', conversation: shown })).toBe(true);
  });

  it('applies pending updates in order over the confirmed state and marks them pending', () => {
    const ops = [
      toPendingOp(page, { type: 'update', broadcastId: uuid(10), id: uuid(1), changes: { addComment: { id: uuid(20), text: 'reply' } } }, bob, 6_000),
      toPendingOp(page, { type: 'update', broadcastId: uuid(11), id: uuid(1), changes: { editComment: { id: uuid(20), text: 'reply, edited' } } }, bob, 7_000),
      toPendingOp(page, { type: 'update', broadcastId: uuid(12), id: uuid(1), changes: { resolved: true } }, bob, 8_000),
    ];
    const shown = viewOf(confirmed(chat(uuid(1))), ops).get(uuid(1));
    expect(shown?.pending).toBe(true);
    expect(shown?.resolved).toBe(true);
    expect(shown?.revision).toBe(1);
    expect(shown?.comments.map((c) => [c.text, c.editedAt])).toEqual([
      ['first comment', undefined],
      ['reply, edited', 7_000],
    ]);
    const removed = toPendingOp(page, { type: 'update', broadcastId: uuid(13), id: uuid(1), changes: { deleteComment: { id: uuid(1) } } }, alice, 1);
    expect(viewOf(confirmed(chat(uuid(1))), [removed]).get(uuid(1))?.comments).toEqual([]);
  });

  it('hides a conversation with a pending delete, and ignores ops on unknown or deleted ones', () => {
    const del = toPendingOp(page, { type: 'delete', broadcastId: uuid(10), id: uuid(1) }, bob, 1);
    expect(viewOf(confirmed(chat(uuid(1))), [del]).size).toBe(0);
    const orphan = toPendingOp(page, { type: 'update', broadcastId: uuid(11), id: uuid(9), changes: { resolved: true } }, bob, 1);
    expect(viewOf(confirmed(), [orphan]).size).toBe(0);
    const gone = { ...confirmed(), deleted: [uuid(1)] };
    expect(viewOf(gone, [create(uuid(1), uuid(2))]).size).toBe(0);
  });

  it('prefers the confirmed copy when a create is confirmed before its ack settles', () => {
    const view = viewOf(confirmed(chat(uuid(1), 'from server')), [create(uuid(1), uuid(2), 'local')]);
    expect(view.get(uuid(1))?.pending).toBeUndefined();
    expect(view.get(uuid(1))?.comments[0]?.text).toBe('from server');
  });
});

describe('settle', () => {
  it('drops the op with that broadcastId and returns it', () => {
    const a = create(uuid(1), uuid(2));
    const b = create(uuid(3), uuid(4));
    expect(settle([a, b], uuid(2))).toEqual({ ops: [b], op: a });
    expect(settle([a, b], uuid(9))).toEqual({ ops: [a, b], op: null });
  });
});

describe('diffView', () => {
  it('pushes only what changed, and removes what is gone', () => {
    const first = diffView(new Map(), viewOf(confirmed(chat(uuid(1)), chat(uuid(2))), []));
    expect(first.upserts.map((c) => c.id).sort()).toEqual([uuid(1), uuid(2)]);
    expect(first.removes).toEqual([]);
    const next = viewOf(confirmed(chat(uuid(1), 'changed')), []);
    const second = diffView(first.shown, next);
    expect(second.upserts.map((c) => c.id)).toEqual([uuid(1)]);
    expect(second.removes).toEqual([uuid(2)]);
    expect(diffView(second.shown, next)).toMatchObject({ upserts: [], removes: [] });
  });

  it('sees an unchanged conversation as the same object in every view, and a changed one as new (its fingerprint is made once per object)', () => {
    const [one, two] = [chat(uuid(1)), chat(uuid(2))];
    const state = confirmed(one, two);
    const first = viewOf(state, []);
    const changed = { ...state, conversations: { ...state.conversations, [uuid(2)]: chat(uuid(2), 'changed') } };
    const second = viewOf(changed, []);
    expect(second.get(uuid(1))).toBe(first.get(uuid(1)));
    expect(second.get(uuid(2))).not.toBe(first.get(uuid(2)));
    expect(diffView(diffView(new Map(), first).shown, second).upserts).toEqual([chat(uuid(2), 'changed')]);
  });

  it('re-pushes the confirmed conversation when a failed op’s overlay is dropped', () => {
    const op = toPendingOp(page, { type: 'update', broadcastId: uuid(10), id: uuid(1), changes: { resolved: true } }, bob, 1);
    const state = confirmed(chat(uuid(1)));
    const withOp = diffView(new Map(), viewOf(state, [op]));
    const undone = diffView(withOp.shown, viewOf(state, []));
    expect(undone.upserts).toEqual([chat(uuid(1))]);
    const created = diffView(new Map(), viewOf(confirmed(), [create(uuid(5), uuid(6))]));
    expect(diffView(created.shown, viewOf(confirmed(), [])).removes).toEqual([uuid(5)]);
  });
});
