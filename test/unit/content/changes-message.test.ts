import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackgroundToContent } from '../../../protocol/runtime.js';
import { parseIncoming } from '../../../extension/content/port/validate.js';
import { createModel } from '../../../extension/content/state/model.js';
import { OwnPosts } from '../../../extension/content/state/own-posts.js';
import { applyPortMessage } from '../../../extension/content/state/port-messages.js';
import { addLocal, applyMessage, EMPTY_STATE } from '../../../extension/content/state/store.js';
import { conversation, uuid } from './fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('a `changes` message (several changes of the page at once)', () => {
  it('leaves the tab as the same upserts and removes one by one would', () => {
    const [a, b, c] = [conversation(), conversation(), conversation()];
    const local = conversation();
    let base = applyMessage(EMPTY_STATE, { type: 'snapshot', pageKey: 'k', conversations: [a, b] });
    base = addLocal(base, local);
    const changed = { ...a, resolved: true };
    const batch: Extract<BackgroundToContent, { type: 'changes' }> = { type: 'changes', upserts: [changed, c, local], removes: [b.id] };

    let oneByOne = base;
    for (const conversation of batch.upserts) oneByOne = applyMessage(oneByOne, { type: 'upsert', conversation });
    for (const id of batch.removes) oneByOne = applyMessage(oneByOne, { type: 'remove', id });
    const together = applyMessage(base, batch);
    expect([...together.byId]).toEqual([...oneByOne.byId]);
    expect([...together.localOnly]).toEqual([...oneByOne.localOnly]);
    expect(together.localOnly.has(local.id), 'the background has echoed it').toBe(false);
  });

  it('confirms the user\'s own post in it and tells the screen reader once', () => {
    const model = createModel();
    const own = new OwnPosts();
    const mine = conversation();
    own.sent(mine.id, mine.comments[0]!.id, mine.id, 'conversation');
    applyPortMessage(model, own, { type: 'changes', upserts: [conversation(), mine], removes: [] });
    expect(model.announcement).toEqual({ serial: 1, text: 'Your comment was posted' });
    expect(model.conversations.byId.size).toBe(2);
  });

  it('is checked like every message: one bad conversation drops the whole message, with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const good = { type: 'changes', upserts: [conversation(), conversation()], removes: [uuid()] };
    expect(parseIncoming(good)).toEqual(good);
    const bad = { type: 'changes', upserts: [conversation(), { ...conversation(), text: '<b>no such field</b>' }], removes: [] };
    expect(parseIncoming(bad)).toBeNull();
    expect(parseIncoming({ type: 'changes', upserts: [], removes: ['not-a-uuid'] })).toBeNull();
    expect(parseIncoming({ type: 'changes', upserts: [] })).toBeNull();
    const tooMany = { type: 'changes', upserts: [], removes: Array.from({ length: 5_001 }, () => uuid()) };
    expect(parseIncoming(tooMany), 'no more than a page may hold').toBeNull();
    expect(warn).toHaveBeenCalledTimes(4);
    expect(String(warn.mock.calls[0]![0])).toContain('("changes")');
  });
});
