import { describe, expect, it } from 'vitest';
import { decodePage, encodePage } from '../../../extension/background/cache-codec.js';
import { applySnapshot, emptyPage } from '../../../extension/background/reducer.js';
import { chat, uuid } from './fixtures.js';

describe('page cache rows', () => {
  it('round-trips a page', () => {
    const state = { ...applySnapshot(emptyPage('example.com/a'), 9, [chat(uuid(1)), chat(uuid(2))]), deleted: [uuid(3)] };
    const row = encodePage(state, 123);
    expect(row?.savedAt).toBe(123);
    expect(decodePage(structuredClone(row))).toEqual(state);
  });

  it('does not store a page whose seq is unknown', () => {
    expect(encodePage(emptyPage('example.com/a'), 1)).toBeNull();
  });

  it('drops unusable rows', () => {
    expect(decodePage(null)).toBeNull();
    expect(decodePage('row')).toBeNull();
    expect(decodePage({ seq: 1, conversations: [] })).toBeNull();
  });

  it('drops invalid conversations and then distrusts the seq, so the page is fetched afresh', () => {
    const decoded = decodePage({ pageKey: 'example.com/a', seq: 9, conversations: [chat(uuid(1)), { ...chat(uuid(2)), revision: 0 }, 'junk'], deleted: [] });
    expect(decoded?.seq).toBeNull();
    expect(Object.keys(decoded?.conversations ?? {})).toEqual([uuid(1)]);
  });

  it('distrusts a bad seq, and ignores bad tombstones', () => {
    expect(decodePage({ pageKey: 'p', seq: -1, conversations: [], deleted: [] })?.seq).toBeNull();
    expect(decodePage({ pageKey: 'p', seq: '3', conversations: [], deleted: [] })?.seq).toBeNull();
    expect(decodePage({ pageKey: 'p', seq: 3, conversations: [], deleted: ['not-a-uuid'] })).toEqual({ pageKey: 'p', seq: 3, conversations: {}, deleted: [] });
  });
});
