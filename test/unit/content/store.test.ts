import { describe, expect, it } from 'vitest';
import { addLocal, applyMessage, EMPTY_STATE, type ConversationState } from '../../../extension/content/state/store.js';
import { conversation, uuid } from './fixtures.js';

const ids = (s: ConversationState) => [...s.byId.keys()].sort();

describe('conversation store', () => {
  it('replaces everything with a snapshot', () => {
    const a = conversation();
    const b = conversation();
    let s = applyMessage(EMPTY_STATE, { type: 'upsert', conversation: a });
    s = applyMessage(s, { type: 'snapshot', pageKey: 'example.com/', conversations: [b] });
    expect(ids(s)).toEqual([b.id]);
  });

  it('applies the same upsert twice to the same state', () => {
    const a = conversation();
    const once = applyMessage(EMPTY_STATE, { type: 'upsert', conversation: a });
    const twice = applyMessage(once, { type: 'upsert', conversation: a });
    expect([...twice.byId.entries()]).toEqual([...once.byId.entries()]);
  });

  it('replaces a conversation by id on upsert (newer revision wins as sent)', () => {
    const a = conversation();
    const resolved = { ...a, revision: 2, resolved: true };
    const s = applyMessage(applyMessage(EMPTY_STATE, { type: 'upsert', conversation: a }), { type: 'upsert', conversation: resolved });
    expect(s.byId.size).toBe(1);
    expect(s.byId.get(a.id)?.resolved).toBe(true);
  });

  it('removes idempotently, and a remove of an unknown id changes nothing', () => {
    const a = conversation();
    const s = applyMessage(EMPTY_STATE, { type: 'upsert', conversation: a });
    const removed = applyMessage(s, { type: 'remove', id: a.id });
    expect(removed.byId.size).toBe(0);
    expect(applyMessage(removed, { type: 'remove', id: a.id })).toBe(removed);
    expect(applyMessage(s, { type: 'remove', id: uuid() })).toBe(s);
  });

  it('keeps one entry when the background echoes an optimistic create as a pending upsert', () => {
    const local = conversation({ pending: true });
    let s = addLocal(EMPTY_STATE, local);
    expect(s.localOnly.has(local.id)).toBe(true);
    s = applyMessage(s, { type: 'upsert', conversation: { ...local, pending: true } });
    expect(s.byId.size).toBe(1);
    expect(s.localOnly.has(local.id)).toBe(false);
    s = applyMessage(s, { type: 'upsert', conversation: { ...local, pending: false } });
    expect(s.byId.size).toBe(1);
    expect(s.byId.get(local.id)?.pending).toBe(false);
  });

  it('does not let a snapshot drop a create the background has not echoed yet', () => {
    const local = conversation({ pending: true });
    const other = conversation();
    const s = applyMessage(addLocal(EMPTY_STATE, local), { type: 'snapshot', pageKey: 'example.com/', conversations: [other] });
    expect(ids(s)).toEqual([local.id, other.id].sort());
    // Once the background has it, a later snapshot without it is the truth (it was deleted).
    const echoed = applyMessage(s, { type: 'upsert', conversation: local });
    const later = applyMessage(echoed, { type: 'snapshot', pageKey: 'example.com/', conversations: [other] });
    expect(ids(later)).toEqual([other.id]);
  });

  it('drops a local create the background refused, and leaves confirmed ones to the background', () => {
    const local = conversation({ pending: true });
    const confirmed = conversation();
    let s = addLocal(EMPTY_STATE, local);
    s = applyMessage(s, { type: 'upsert', conversation: confirmed });
    const error = { code: 'invalid' as const, message: 'no' };
    s = applyMessage(s, { type: 'op-failed', broadcastId: uuid(), id: local.id, error });
    expect(ids(s)).toEqual([confirmed.id]);
    expect(applyMessage(s, { type: 'op-failed', broadcastId: uuid(), id: confirmed.id, error })).toBe(s);
  });

  it('ignores a second optimistic insert of the same id', () => {
    const local = conversation();
    const s = addLocal(EMPTY_STATE, local);
    expect(addLocal(s, { ...local, resolved: true })).toBe(s);
  });
});
