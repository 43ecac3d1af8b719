import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf } from '../../../extension/background/cache-buckets.js';
import { decodeStored, encodeWrite } from '../../../extension/background/cache-codec.js';
import { applySnapshot, emptyPage } from '../../../extension/background/reducer.js';
import { chat, uuid } from './fixtures.js';

const KEY = 'example.com/a';
const head = (over: Record<string, unknown> = {}) => ({ pageKey: KEY, seq: 9, deleted: [], savedAt: 1, ...over });
const row = (ids: string[], over: Record<string, unknown> = {}) => ({ pageKey: KEY, id: bucketOf(ids[0]!), conversations: ids.map((id) => chat(id)), ...over });
/** Another id in the bucket of `id`. */
const sameBucket = (id: string) => {
  for (let n = 1000; ; n++) if (bucketOf(uuid(n)) === bucketOf(id)) return uuid(n);
};

describe('page cache rows', () => {
  it('round-trips a page: its page row and a row per non-empty bucket', () => {
    const [a, b, c] = [uuid(1), sameBucket(uuid(1)), uuid(2)];
    const state = { ...applySnapshot(emptyPage(KEY), 9, [chat(a), chat(b), chat(c)]), deleted: [uuid(3)] };
    const buckets = new Map([
      [bucketOf(a), [chat(a), chat(b)]],
      [bucketOf(c), [chat(c)]],
    ]);
    const write = encodeWrite({ pageKey: KEY, seq: 9, deleted: state.deleted, whole: true, buckets }, 123);
    expect(write.page).toEqual({ pageKey: KEY, seq: 9, deleted: [uuid(3)], savedAt: 123 });
    expect(write.put.map((r) => [r.pageKey, r.id, r.conversations.length])).toEqual([
      [KEY, bucketOf(a), 2],
      [KEY, bucketOf(c), 1],
    ]);
    expect(write.remove).toEqual([]);
    expect(decodeStored(KEY, structuredClone(write.page), structuredClone(write.put))).toEqual(state);
  });

  it('removes the row of a bucket emptied, unless the write is whole (its clear removed it)', () => {
    const buckets = new Map([
      [3, []],
      [bucketOf(uuid(1)), [chat(uuid(1))]],
    ]);
    expect(encodeWrite({ pageKey: KEY, seq: 9, deleted: [], whole: false, buckets }, 1).remove).toEqual([3]);
    expect(encodeWrite({ pageKey: KEY, seq: 9, deleted: [], whole: true, buckets }, 1).remove).toEqual([]);
  });

  it('drops an unusable or another page’s page row', () => {
    expect(decodeStored(KEY, undefined, [row([uuid(1)])])).toBeNull();
    expect(decodeStored(KEY, 'row', [])).toBeNull();
    expect(decodeStored(KEY, { seq: 1, deleted: [] }, [])).toBeNull();
    expect(decodeStored(KEY, head({ pageKey: 'example.com/b' }), [])).toBeNull();
  });

  it('drops invalid conversations, conversations in the wrong bucket or already read, and rows that are not buckets of the page, and then distrusts the seq', () => {
    const kept = [uuid(1), sameBucket(uuid(1))];
    const cases: [string, unknown[]][] = [
      ['an invalid conversation', [row([uuid(2)], { conversations: [{ ...chat(uuid(2)), revision: 0 }] })]],
      ['a conversation in the wrong bucket', [{ pageKey: KEY, id: (bucketOf(uuid(2)) + 1) % BUCKETS, conversations: [chat(uuid(2))] }]],
      ['a conversation twice in its bucket', [row([uuid(2), uuid(2)])]],
      ['a bucket row twice', [row([uuid(2)]), row([sameBucket(uuid(2))])]],
      ['a row of another page', [row([uuid(2)], { pageKey: 'example.com/b' })]],
      ['junk', ['junk']],
      ['a row without conversations', [{ pageKey: KEY, id: bucketOf(uuid(2)) }]],
      ['a bucket number out of range', [{ pageKey: KEY, id: BUCKETS, conversations: [] }]],
      ['a fractional bucket number', [{ pageKey: KEY, id: 1.5, conversations: [] }]],
      ['a row of the interim per-conversation layout', [{ pageKey: KEY, id: uuid(2), conversation: chat(uuid(2)) }]],
    ];
    for (const [what, bad] of cases) {
      const stored = decodeStored(KEY, head(), [row(kept), ...bad]);
      expect(stored?.seq, what).toBeNull();
      expect(Object.keys(stored?.conversations ?? {}).sort(), what).toEqual(expect.arrayContaining(kept.sort()));
    }
    // What stays of a row: its valid conversations in the right bucket, the first time each.
    const stored = decodeStored(KEY, head(), [row([uuid(1), uuid(1)], { conversations: [chat(uuid(1)), 'junk', chat(uuid(1))] })]);
    expect(stored).toEqual({ pageKey: KEY, seq: null, conversations: { [uuid(1)]: chat(uuid(1)) }, deleted: [] });
    expect(decodeStored(KEY, head(), [row(kept)])?.seq).toBe(9);
  });

  it('distrusts a bad seq, and ignores bad tombstones (the seq kept)', () => {
    expect(decodeStored(KEY, head({ seq: -1 }), [row([uuid(1)])])).toEqual({ pageKey: KEY, seq: null, conversations: { [uuid(1)]: chat(uuid(1)) }, deleted: [] });
    expect(decodeStored(KEY, head({ seq: '3' }), [])?.seq).toBeNull();
    expect(decodeStored(KEY, head({ seq: 3, deleted: ['not-a-uuid'] }), [])).toEqual({ pageKey: KEY, seq: 3, conversations: {}, deleted: [] });
  });

  it('puts an id in the bucket it had when stored: changing the hash or the count costs every cached page a snapshot', () => {
    expect(BUCKETS).toBe(64);
    expect([uuid(1), uuid(2), '01890a5d-ac96-774b-bcce-b302099a8057'].map(bucketOf)).toEqual([34, 15, 51]);
  });
});
