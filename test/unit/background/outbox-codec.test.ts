import { describe, expect, it } from 'vitest';
import { toPendingOp } from '../../../extension/background/operations.js';
import { byPage, decodeOutboxRow, encodeOutboxRow, keyOf, readBack } from '../../../extension/background/outbox-codec.js';
import { alice, target, uuid } from './fixtures.js';

const pageA = { key: 'example.com/a', url: 'https://example.com/a' };
const pageB = { key: 'example.com/b', url: 'https://example.com/b' };
const create = (page: typeof pageA, n: number) => toPendingOp(page, { type: 'create', broadcastId: uuid(100 + n), chat: { id: uuid(n), target, text: `note ${n}` } }, alice, 5);
const resolve = (page: typeof pageA, n: number, id: string) => toPendingOp(page, { type: 'update', broadcastId: uuid(100 + n), id, changes: { resolved: true } }, alice, 6, 1);
const editOffline = (page: typeof pageA, n: number, id: string) =>
  toPendingOp(page, { type: 'update', broadcastId: uuid(100 + n), id, baseRevision: 1, changes: { editComment: { id, text: 'fixed' } } }, alice, 6, 1, 'as the user saw it');
const remove = (page: typeof pageA, n: number, id: string) => toPendingOp(page, { type: 'delete', broadcastId: uuid(100 + n), id }, alice, 7);

describe('outbox rows', () => {
  it('round-trip every kind of op unchanged (structured clone keeps plain data)', () => {
    for (const op of [create(pageA, 1), resolve(pageA, 2, uuid(1)), editOffline(pageA, 4, uuid(1)), remove(pageA, 3, uuid(1))]) {
      const row = encodeOutboxRow(op, 42);
      expect(decodeOutboxRow(structuredClone(row))).toEqual({ broadcastId: op.request.broadcastId, order: 42, op });
    }
  });

  it('drops rows that could not be sent or would land elsewhere', () => {
    const good = encodeOutboxRow(create(pageA, 1), 1);
    const bad: unknown[] = [
      null,
      'text',
      { ...good, order: -1 },
      { ...good, broadcastId: uuid(999) }, // key and request disagree
      { ...good, op: { ...good.op, pageKey: 'example.com/other' } }, // page key not the URL's
      // The page's key, but not the address the worker sends for it: what the key leaves out would go to the server.
      ...['https://ann:secret@example.com/a', 'https://example.com/a#private', 'https://example.com/a?utm_source=mail'].map((url) => {
        const op = good.op as Extract<typeof good.op, { kind: 'create' }>;
        return { ...good, op: { ...op, url, request: { ...op.request, chat: { ...op.request.chat, url } } } };
      }),
      { ...good, op: { ...good.op, url: 'https://example.com/b' } }, // create's chat.url differs from the page
      { ...good, op: { ...good.op, request: { ...good.op.request, chat: { ...(good.op.request as { chat: object }).chat, text: '   ' } } } }, // blank text
      { ...good, op: { ...good.op, kind: 'teleport' } },
      { ...good, extra: true },
    ];
    for (const raw of bad) expect(decodeOutboxRow(raw), JSON.stringify(raw)).toBeNull();
  });

  it('reads back valid rows in outbox order and reports the rest with their keys', () => {
    const rows = [encodeOutboxRow(create(pageA, 1), 30), encodeOutboxRow(create(pageB, 2), 10), { broadcastId: uuid(555), order: 'x' }, encodeOutboxRow(resolve(pageA, 3, uuid(1)), 20)];
    const { rows: valid, dropped } = readBack(rows);
    expect(valid.map((r) => r.order)).toEqual([10, 20, 30]);
    expect(dropped.map(keyOf)).toEqual([uuid(555)]);
    expect(keyOf(42)).toBeNull();
  });

  it('groups by page, each page in the order its ops were made', () => {
    const rows = [
      encodeOutboxRow(remove(pageA, 4, uuid(1)), 40),
      encodeOutboxRow(create(pageA, 1), 10),
      encodeOutboxRow(create(pageB, 2), 15),
      encodeOutboxRow(resolve(pageA, 3, uuid(1)), 20),
    ];
    const pages = byPage(rows);
    expect([...pages.keys()]).toEqual([pageA.key, pageB.key]);
    expect(pages.get(pageA.key)!.map((row) => row.op.kind)).toEqual(['create', 'update', 'delete']);
    expect(pages.get(pageB.key)!.map((row) => row.broadcastId)).toEqual([uuid(102)]);
  });
});
