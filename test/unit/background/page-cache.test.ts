import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf } from '../../../extension/background/cache-buckets.js';
import { CacheWrites } from '../../../extension/background/cache-writes.js';
import { Page } from '../../../extension/background/page.js';
import { applyChanges, applyGone, applySnapshot, emptyPage, type PageState } from '../../../extension/background/reducer.js';
import type { ServerChange } from '../../../extension/background/server-schemas.js';
import type { PageDelta } from '../../../extension/background/unsaved.js';
import type { Conversation } from '../../../protocol/model.js';
import { PageRows } from '../../support/page-rows.js';
import { seeded } from '../../support/seeded.js';
import { chat, commentAdded, created, deleted, uuid } from './fixtures.js';

/**
 * A page's cache writes store the buckets (cache-buckets.ts) that changed since the last write that
 * was stored (page.ts takeUnsaved, unsaved.ts), into rows as IndexedDB's stores hold them
 * (test/support/page-rows.ts, through cache-codec.ts): after each write the rows read back are the
 * page's state.
 */

const KEY = 'example.com/cached';
const URL = 'https://example.com/cached';
const IDS = Array.from({ length: 20 }, (_, i) => uuid(i + 1));

/** A page of 20 conversations at seq 20, stored and read back exactly (a restarted worker's page). */
async function storedPage(): Promise<{ page: Page; rows: PageRows }> {
  const rows = new PageRows();
  const state = applySnapshot(emptyPage(KEY), 20, IDS.map((id) => chat(id)));
  rows.write(wholeDelta(state));
  const page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
  await page.loaded;
  return { page, rows };
}

/** A whole write of `state`, made as unsaved.ts makes one. */
function wholeDelta(state: PageState): PageDelta {
  const buckets = new Map<number, Conversation[]>();
  for (const chat of Object.values(state.conversations)) buckets.set(bucketOf(chat.id), [...(buckets.get(bucketOf(chat.id)) ?? []), chat]);
  return { pageKey: state.pageKey, seq: state.seq!, deleted: state.deleted, whole: true, buckets };
}

/** Another id in the bucket of `id`. */
function sameBucket(id: string, skip = 0): string {
  for (let n = 1000; ; n++) if (uuid(n) !== id && bucketOf(uuid(n)) === bucketOf(id) && skip-- === 0) return uuid(n);
}

function receive(page: Page, changes: ServerChange[]): void {
  page.change(
    changes.map((c) => c.id),
    (state) => applyChanges(state, changes),
  );
}

/** Takes the page's delta and stores it in `rows`, as a write that succeeds. */
function write(page: Page, rows: PageRows): PageDelta {
  const delta = page.takeUnsaved()!;
  rows.write(delta);
  return delta;
}

/** The conversations a delta puts (each bucket's all), the buckets it empties, and whether it is whole. */
const idsOf = (delta: PageDelta) => ({
  put: [...delta.buckets.values()].flatMap((list) => list.map((c) => c.id)).sort(),
  emptied: [...delta.buckets].filter(([, list]) => list.length === 0).map(([bucket]) => bucket).sort((a, b) => a - b),
  whole: delta.whole,
});
/** The buckets of `ids`, in order. */
const bucketsOf = (...ids: string[]) => [...new Set(ids.map(bucketOf))].sort((a, b) => a - b);
const readBack = (rows: PageRows): PageState | null => rows.read(KEY);

describe('a page’s cache writes', () => {
  it('store only the conversations changed since the last write, and the seq with them', async () => {
    const { page, rows } = await storedPage();
    expect(page.seq).toBe(20);
    receive(page, [created(21, uuid(100)), commentAdded(22, IDS[3]!, 2, uuid(200), 'a reply')]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[3]!, uuid(100)].sort(), emptied: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
    expect(readBack(rows)?.seq).toBe(22);

    receive(page, [commentAdded(23, IDS[5]!, 2, uuid(201), 'another')]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[5]!], emptied: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
  });

  it('remove the row of a bucket whose last conversation was deleted, and store its tombstone', async () => {
    const { page, rows } = await storedPage();
    receive(page, [deleted(21, IDS[0]!), deleted(22, IDS[7]!)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [], emptied: bucketsOf(IDS[0]!, IDS[7]!), whole: false });
    expect(rows.rows.has(bucketOf(IDS[0]!))).toBe(false);
    expect(rows.rows.size).toBe(18);
    expect(readBack(rows)).toEqual(page.state);
    expect(readBack(rows)?.deleted).toEqual([IDS[0], IDS[7]]);
  });

  it('write a changed conversation’s bucket with the others it holds, and keep a bucket that still holds one', async () => {
    const { page, rows } = await storedPage();
    const [first, second] = [sameBucket(IDS[4]!), sameBucket(IDS[4]!, 1)];
    receive(page, [created(21, first), created(22, second)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[4]!, first, second].sort(), emptied: [], whole: false });
    expect(rows.rows.size).toBe(20);
    // A reply to one of them: its bucket is written with all three.
    receive(page, [commentAdded(23, first, 2, uuid(200), 'a reply')]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[4]!, first, second].sort(), emptied: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
    // One deleted: the bucket is written with the other two.
    receive(page, [deleted(24, IDS[4]!)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [first, second].sort(), emptied: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
    receive(page, [deleted(25, first), deleted(26, second)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [], emptied: bucketsOf(first), whole: false });
    expect(rows.rows.size).toBe(19);
    expect(readBack(rows)).toEqual(page.state);
  });

  it('rewrite the page whole after its state was replaced whole: rows it no longer has go', async () => {
    const { page, rows } = await storedPage();
    // A snapshot newer than the state, without most of the conversations (deleted on the server while the page was away).
    page.state = applySnapshot(page.state, 30, [chat(IDS[0]!), chat(uuid(100))]);
    const delta = write(page, rows);
    expect(idsOf(delta)).toEqual({ put: [IDS[0]!, uuid(100)].sort(), emptied: [], whole: true });
    expect(rows.ids()).toEqual([IDS[0]!, uuid(100)].sort());
    expect(readBack(rows)).toEqual(page.state);
    // And from then on, only what changes.
    receive(page, [created(31, uuid(101))]);
    expect(idsOf(write(page, rows))).toEqual({ put: [uuid(101)], emptied: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
  });

  it('rewrite the page whole when its cache was read back with a bad row (once it has a seq again), or not at all', async () => {
    const rows = new PageRows();
    rows.write(wholeDelta(applySnapshot(emptyPage(KEY), 5, [chat(IDS[0]!), chat(IDS[1]!)])));
    rows.rows.set('junk', { pageKey: KEY, id: 'junk', conversations: ['junk'] });
    const page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
    await page.loaded;
    // The junk row made the seq untrusted: nothing is written until the page has one.
    expect(page.seq).toBeNull();
    expect(page.takeUnsaved()).toBeNull();
    page.state = applySnapshot(page.state, 6, [chat(IDS[1]!)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[1]!], emptied: [], whole: true });
    expect([...rows.rows.keys()]).toEqual([bucketOf(IDS[1]!)]);

    const fresh = new Page(KEY, URL, () => Promise.resolve(null));
    await fresh.loaded;
    receive(fresh, [created(1, uuid(100))]);
    fresh.state = applySnapshot(fresh.state, 7, [chat(IDS[2]!)]);
    expect(idsOf(write(fresh, rows))).toEqual({ put: [IDS[2]!], emptied: [], whole: true });
    expect(readBack(rows)).toEqual(fresh.state);
  });

  it('after a write that was not stored, store everything it held with what changed since', async () => {
    const { page, rows } = await storedPage();
    let fail = true;
    const deltas: PageDelta[] = [];
    // Spacing of 0: each write runs in the microtask after it is asked for.
    const writes = new CacheWrites(
      async (delta) => {
        deltas.push(delta);
        if (fail) return false;
        rows.write(delta);
        return true;
      },
      () => 0,
    );
    const settled = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    receive(page, [created(21, uuid(100)), deleted(22, IDS[1]!)]);
    writes.changed(page);
    await settled();
    expect(deltas).toHaveLength(1);
    expect(readBack(rows)?.seq).toBe(20);

    fail = false;
    receive(page, [commentAdded(23, IDS[2]!, 2, uuid(200), 'later')]);
    writes.changed(page);
    await settled();
    expect(deltas).toHaveLength(2);
    expect(idsOf(deltas[1]!)).toEqual({ put: [IDS[2]!, uuid(100)].sort(), emptied: bucketsOf(IDS[1]!), whole: false });
    expect(readBack(rows)).toEqual(page.state);
    writes.cancel();
  });

  it('after a whole write that was not stored, write whole again', async () => {
    const { page, rows } = await storedPage();
    page.state = applySnapshot(page.state, 25, [chat(IDS[0]!)]);
    const failed = page.takeUnsaved()!;
    expect(failed.whole).toBe(true);
    receive(page, [created(26, uuid(100))]);
    page.notSaved(failed);
    const delta = write(page, rows);
    expect(idsOf(delta)).toEqual({ put: [IDS[0]!, uuid(100)].sort(), emptied: [], whole: true });
    expect(readBack(rows)).toEqual(page.state);
  });

  it('read a profile of the interim per-conversation layout without trusting its seq, and replace its rows at the next whole write', async () => {
    const rows = new PageRows();
    rows.head = { pageKey: KEY, seq: 20, deleted: [], savedAt: 1 };
    for (const id of IDS.slice(0, 3)) rows.rows.set(id, { pageKey: KEY, id, conversation: chat(id) });
    const page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
    await page.loaded;
    expect(page.seq).toBeNull();
    expect(page.takeUnsaved()).toBeNull();
    page.state = applySnapshot(page.state, 21, [chat(IDS[0]!)]);
    write(page, rows);
    expect([...rows.rows.keys()]).toEqual([bucketOf(IDS[0]!)]);
    expect(readBack(rows)).toEqual(page.state);
  });
});

/** Eight ids in three buckets, so that writes keep and drop conversations beside others in a bucket. */
const SHARED = [IDS[0]!, sameBucket(IDS[0]!), sameBucket(IDS[0]!, 1), IDS[1]!, sameBucket(IDS[1]!), sameBucket(IDS[1]!, 1), IDS[2]!, sameBucket(IDS[2]!)];

describe('a page’s cache, over random sequences', () => {
  /**
   * Events, answers, states replaced whole and worker restarts in random order, with writes now and
   * then, a third of them not stored, and rows spoiled before some restarts: after each write stored,
   * the rows read back are the page's state when the write was taken (the seq never ahead of the
   * conversations stored with it), there is a row for each of its non-empty buckets and no other, and
   * a write that is not whole left the buckets it does not hold as they were.
   */
  it('reads back after each stored write the state it was taken from', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seeded(seed);
      const ids = SHARED;
      const id = () => r.pick(ids)!;
      let n = 0;
      const fresh = () => uuid(10_000 + ++n);
      const rows = new PageRows();
      let page = new Page(KEY, URL, () => Promise.resolve(null));
      await page.loaded;
      const seq = () => (page.seq ?? 0) + 1;
      for (let step = 0; step < 120; step++) {
        const context = `seed ${seed}, step ${step}`;
        const what = r.int(10);
        if (what <= 3) {
          const cid = id();
          const revision = (page.state.conversations[cid]?.revision ?? 1) + 1;
          const k = r.int(3);
          receive(page, [k === 0 ? created(seq(), cid, fresh()) : k === 1 ? commentAdded(seq(), cid, revision, fresh(), 'reply') : deleted(seq(), cid)]);
        } else if (what === 4) {
          page.state = applySnapshot(page.state, seq(), ids.filter(() => r.next() < 0.5).map((cid) => chat(cid, fresh())));
        } else if (what === 5) {
          const gone = id();
          page.change([gone], (state) => ({ state: applyGone(state, gone) }));
        } else if (what === 6) {
          // Now and then a row spoiled (a conversation moved to another bucket, or a row of the interim layout).
          const spoiled = rows.head !== undefined && r.next() < 0.25;
          if (spoiled) {
            const row = r.pick([...rows.rows.values()]) as { id: number; conversations: unknown[] } | undefined;
            if (row !== undefined && r.next() < 0.5) {
              rows.rows.delete(row.id);
              rows.rows.set((row.id + 1) % BUCKETS, { ...row, id: (row.id + 1) % BUCKETS });
            }
            else rows.rows.set(ids[0]!, { pageKey: KEY, id: ids[0], conversation: chat(ids[0]!) });
          }
          // A worker restart: the page made again from what is stored.
          page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
          await page.loaded;
          const stored = rows.read(KEY);
          if (stored !== null) expect(page.state, context).toEqual(stored);
          if (spoiled) expect(page.seq, `${context}, spoiled`).toBeNull();
        } else {
          const expected = page.state;
          const delta = page.takeUnsaved();
          if (delta === null) {
            expect(expected.seq, context).toBeNull();
            continue;
          }
          if (r.next() < 0.33) {
            const before = rows.read(KEY);
            if (r.next() < 0.5) receive(page, [created(seq(), id(), fresh())]);
            page.notSaved(delta);
            expect(rows.read(KEY), `${context}, not stored`).toEqual(before);
          } else {
            const untouched = [...rows.rows].filter(([bucket]) => !delta.whole && !delta.buckets.has(bucket as number));
            rows.write(delta);
            expect(readBack(rows), `${context}, stored`).toEqual(expected);
            // A row per non-empty bucket, no other; a write that is not whole left the other buckets' rows as they were.
            expect([...rows.rows.keys()].sort((a, b) => (a as number) - (b as number)), `${context}, buckets`).toEqual(bucketsOf(...Object.keys(expected.conversations)));
            for (const [bucket, row] of untouched) expect(rows.rows.get(bucket), `${context}, bucket ${bucket} untouched`).toEqual(row);
          }
        }
      }
    }
  });
});
