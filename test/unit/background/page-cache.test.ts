import { describe, expect, it } from 'vitest';
import { CacheWrites } from '../../../extension/background/cache-writes.js';
import { Page } from '../../../extension/background/page.js';
import { applyChanges, applyGone, applySnapshot, emptyPage, type PageState } from '../../../extension/background/reducer.js';
import type { ServerChange } from '../../../extension/background/server-schemas.js';
import type { PageDelta } from '../../../extension/background/unsaved.js';
import { PageRows } from '../../support/page-rows.js';
import { seeded } from '../../support/seeded.js';
import { chat, commentAdded, created, deleted, uuid } from './fixtures.js';

/**
 * A page's cache writes store what changed since the last write that was stored (page.ts
 * takeUnsaved, unsaved.ts), into rows as IndexedDB's stores hold them (test/support/page-rows.ts,
 * through cache-codec.ts): after each write the rows read back are the page's state.
 */

const KEY = 'example.com/cached';
const URL = 'https://example.com/cached';
const IDS = Array.from({ length: 20 }, (_, i) => uuid(i + 1));

/** A page of 20 conversations at seq 20, stored and read back exactly (a restarted worker's page). */
async function storedPage(): Promise<{ page: Page; rows: PageRows }> {
  const rows = new PageRows();
  const state = applySnapshot(emptyPage(KEY), 20, IDS.map((id) => chat(id)));
  rows.write({ pageKey: KEY, seq: 20, deleted: [], whole: true, put: Object.values(state.conversations), remove: [] });
  const page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
  await page.loaded;
  return { page, rows };
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

const idsOf = (delta: PageDelta) => ({ put: delta.put.map((c) => c.id).sort(), remove: [...delta.remove].sort(), whole: delta.whole });
const readBack = (rows: PageRows): PageState | null => rows.read(KEY);

describe('a page’s cache writes', () => {
  it('store only the conversations changed since the last write, and the seq with them', async () => {
    const { page, rows } = await storedPage();
    expect(page.seq).toBe(20);
    receive(page, [created(21, uuid(100)), commentAdded(22, IDS[3]!, 2, uuid(200), 'a reply')]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[3]!, uuid(100)].sort(), remove: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
    expect(readBack(rows)?.seq).toBe(22);

    receive(page, [commentAdded(23, IDS[5]!, 2, uuid(201), 'another')]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[5]!], remove: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
  });

  it('remove the row of a conversation deleted, and store its tombstone', async () => {
    const { page, rows } = await storedPage();
    receive(page, [deleted(21, IDS[0]!), deleted(22, IDS[7]!)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [], remove: [IDS[0]!, IDS[7]!].sort(), whole: false });
    expect(rows.rows.has(IDS[0]!)).toBe(false);
    expect(rows.rows.size).toBe(18);
    expect(readBack(rows)).toEqual(page.state);
    expect(readBack(rows)?.deleted).toEqual([IDS[0], IDS[7]]);
  });

  it('rewrite the page whole after its state was replaced whole: rows it no longer has go', async () => {
    const { page, rows } = await storedPage();
    // A snapshot newer than the state, without most of the conversations (deleted on the server while the page was away).
    page.state = applySnapshot(page.state, 30, [chat(IDS[0]!), chat(uuid(100))]);
    const delta = write(page, rows);
    expect(idsOf(delta)).toEqual({ put: [IDS[0]!, uuid(100)].sort(), remove: [], whole: true });
    expect([...rows.rows.keys()].sort()).toEqual([IDS[0]!, uuid(100)].sort());
    expect(readBack(rows)).toEqual(page.state);
    // And from then on, only what changes.
    receive(page, [created(31, uuid(101))]);
    expect(idsOf(write(page, rows))).toEqual({ put: [uuid(101)], remove: [], whole: false });
    expect(readBack(rows)).toEqual(page.state);
  });

  it('rewrite the page whole when its cache was read back with a bad row (once it has a seq again), or not at all', async () => {
    const rows = new PageRows();
    rows.write({ pageKey: KEY, seq: 5, deleted: [], whole: true, put: [chat(IDS[0]!), chat(IDS[1]!)], remove: [] });
    rows.rows.set('junk', { pageKey: KEY, id: 'junk', conversation: 'junk' });
    const page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
    await page.loaded;
    // The junk row made the seq untrusted: nothing is written until the page has one.
    expect(page.seq).toBeNull();
    expect(page.takeUnsaved()).toBeNull();
    page.state = applySnapshot(page.state, 6, [chat(IDS[1]!)]);
    expect(idsOf(write(page, rows))).toEqual({ put: [IDS[1]!], remove: [], whole: true });
    expect([...rows.rows.keys()]).toEqual([IDS[1]]);

    const fresh = new Page(KEY, URL, () => Promise.resolve(null));
    await fresh.loaded;
    receive(fresh, [created(1, uuid(100))]);
    fresh.state = applySnapshot(fresh.state, 7, [chat(IDS[2]!)]);
    expect(idsOf(write(fresh, rows))).toEqual({ put: [IDS[2]!], remove: [], whole: true });
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
    expect(idsOf(deltas[1]!)).toEqual({ put: [IDS[2]!, uuid(100)].sort(), remove: [IDS[1]!], whole: false });
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
    expect(idsOf(delta)).toEqual({ put: [IDS[0]!, uuid(100)].sort(), remove: [], whole: true });
    expect(readBack(rows)).toEqual(page.state);
  });
});

describe('a page’s cache, over random sequences', () => {
  /**
   * Events, answers, states replaced whole and worker restarts in random order, with writes now and
   * then, a third of them not stored: after each write stored, the rows read back are the page's
   * state when the write was taken (the seq never ahead of the conversations stored with it).
   */
  it('reads back after each stored write the state it was taken from', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seeded(seed);
      const ids = IDS.slice(0, 8);
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
          // A worker restart: the page made again from what is stored.
          page = new Page(KEY, URL, (key) => Promise.resolve(rows.read(key)));
          await page.loaded;
          const stored = rows.read(KEY);
          if (stored !== null) expect(page.state, context).toEqual(stored);
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
            rows.write(delta);
            expect(readBack(rows), `${context}, stored`).toEqual(expected);
          }
        }
      }
    }
  });
});
