import { describe, expect, it } from 'vitest';
import { decodeStored, encodeWrite } from '../../../extension/background/cache-codec.js';
import { applySnapshot, emptyPage } from '../../../extension/background/reducer.js';
import { chat, uuid } from './fixtures.js';

const KEY = 'example.com/a';
const head = (over: Record<string, unknown> = {}) => ({ pageKey: KEY, seq: 9, deleted: [], savedAt: 1, ...over });
const row = (id: string, over: Record<string, unknown> = {}) => ({ pageKey: KEY, id, conversation: chat(id), ...over });

describe('page cache rows', () => {
  it('round-trips a page: its page row and one row per conversation', () => {
    const state = { ...applySnapshot(emptyPage(KEY), 9, [chat(uuid(1)), chat(uuid(2))]), deleted: [uuid(3)] };
    const write = encodeWrite({ pageKey: KEY, seq: 9, deleted: state.deleted, whole: true, put: Object.values(state.conversations), remove: [] }, 123);
    expect(write.page).toEqual({ pageKey: KEY, seq: 9, deleted: [uuid(3)], savedAt: 123 });
    expect(write.put.map((r) => [r.pageKey, r.id])).toEqual([
      [KEY, uuid(1)],
      [KEY, uuid(2)],
    ]);
    expect(decodeStored(KEY, structuredClone(write.page), structuredClone(write.put))).toEqual(state);
  });

  it('drops an unusable or another page’s page row', () => {
    expect(decodeStored(KEY, undefined, [row(uuid(1))])).toBeNull();
    expect(decodeStored(KEY, 'row', [])).toBeNull();
    expect(decodeStored(KEY, { seq: 1, deleted: [] }, [])).toBeNull();
    expect(decodeStored(KEY, head({ pageKey: 'example.com/b' }), [])).toBeNull();
  });

  it('drops invalid conversation rows, and rows of another page, and then distrusts the seq, so the page is fetched afresh', () => {
    const rows = [
      row(uuid(1)),
      row(uuid(2), { conversation: { ...chat(uuid(2)), revision: 0 } }),
      'junk',
      row(uuid(4), { pageKey: 'example.com/b' }),
      row(uuid(5), { conversation: chat(uuid(6)) }),
      { pageKey: KEY, id: uuid(7) },
    ];
    const stored = decodeStored(KEY, head(), rows);
    expect(stored?.seq).toBeNull();
    expect(Object.keys(stored?.conversations ?? {})).toEqual([uuid(1)]);
  });

  it('distrusts a bad seq, and ignores bad tombstones (the seq kept)', () => {
    expect(decodeStored(KEY, head({ seq: -1 }), [row(uuid(1))])).toEqual({ pageKey: KEY, seq: null, conversations: { [uuid(1)]: chat(uuid(1)) }, deleted: [] });
    expect(decodeStored(KEY, head({ seq: '3' }), [])?.seq).toBeNull();
    expect(decodeStored(KEY, head({ seq: 3, deleted: ['not-a-uuid'] }), [])).toEqual({ pageKey: KEY, seq: 3, conversations: {}, deleted: [] });
  });
});
