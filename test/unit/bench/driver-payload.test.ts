import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { eachNewChatId } from '../../../bench/driver/clients.js';
import { driverId } from '../../../bench/driver/ids.js';
import { broadcastFrame, broadcastFrameFast, createEventJson, createRequest, template } from '../../../bench/lib/payload.js';
import { Uuid } from '../../../protocol/model.js';

// The load driver sends from templates and reads ids from bytes (docs/benchmarks.md, change 30):
// what it sends and reads must be exactly what the slow, obvious code gives.
describe('bench driver payloads', () => {
  it('fills a create from its template exactly as JSON.stringify writes it, on every page', () => {
    for (const page of [0, 7, 99]) {
      const id = driverId();
      expect(createEventJson(page, id)).toBe(JSON.stringify(['text-chat:create', createRequest(page, id)]));
      // Twice: the second call takes the cached template.
      const other = driverId();
      expect(createEventJson(page, other)).toBe(JSON.stringify(['text-chat:create', createRequest(page, other)]));
    }
  });

  it('fills a broadcast frame from its template exactly as broadcastFrame builds it', () => {
    for (const [page, seq] of [[3, 1], [3, 4021], [42, 77]] as const) {
      const id = driverId();
      expect(broadcastFrameFast(page, id, seq, 1_764_000_000_123)).toBe(broadcastFrame(page, id, seq, 1_764_000_000_123));
    }
  });

  it('refuses a template whose marker does not occur', () => {
    expect(() => template('["a","b"]', ['"c"'])).toThrow(/does not occur/);
  });

  it('makes unique version-7 UUIDs that the server accepts, ordered by time', () => {
    const ids = Array.from({ length: 5000 }, () => driverId(1_764_000_000_000));
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids.slice(0, 50)) {
      expect(v.is(Uuid, id)).toBe(true);
      expect(id[14]).toBe('7');
    }
    expect(driverId(1_764_000_000_001) > driverId(1_764_000_000_000)).toBe(true);
  });

  it('reads the id of every new-text-chat of a plain frame and of a batch, and nothing else', () => {
    const a = driverId();
    const b = driverId();
    const plain = broadcastFrame(1, a, 5);
    expect(collect(plain)).toEqual([a]);
    // A batch as the server sends it, with a comment whose text holds the marker in a JSON string.
    const tuple = (frame: string) => (JSON.parse(frame.slice(2)) as [string, unknown])[1];
    const sneaky = JSON.parse(broadcastFrame(2, b, 6).slice(2).replace('This definition', 'See [\\"new-text-chat\\",[ here')) as [string, unknown];
    const batch = `42${JSON.stringify(['text-chat-batch', [['new-text-chat', tuple(plain)], ['deleted-text-chat', { id: 'x' }], ['new-text-chat', sneaky[1]]]])}`;
    expect(collect(batch)).toEqual([a, b]);
    expect(collect('42["deleted-text-chat",{"id":"x"}]')).toEqual([]);
  });
});

function collect(text: string): string[] {
  const ids: string[] = [];
  eachNewChatId(Buffer.from(text), (id) => ids.push(id));
  return ids;
}
