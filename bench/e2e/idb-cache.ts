import os from 'node:os';
import { uuidv7 } from '../../protocol/ids.js';
import type { Conversation } from '../../protocol/model.js';
import { launchChromium } from '../../test/e2e/support/chromium.js';
import { COMMENT, PREFIX, QUOTE, SUFFIX } from '../lib/payload.js';

/**
 * The page cache's IndexedDB layouts compared where they run: in the built extension's service
 * worker in Chromium (dist/chrome), on a database of its own (`bench-idb-cache`, the worker's `gloss`
 * untouched). A page of N typical conversations (bench/lib/payload.ts: a 120-character quote, one
 * 200-character comment) is stored in each layout:
 * - `one row`: version 2's, the page's whole state in one row;
 * - `B buckets`: a row per non-empty bucket, a conversation's bucket an FNV-1a hash of its id modulo B
 *   (extension/background/cache-buckets.ts), as version 3 does with B = 64;
 * - `per conversation`: the interim version 3's, a row per conversation.
 *
 * Per layout and round, layouts alternating within a round:
 * - whole: the page's rows cleared, all put, and the page row, in one readwrite transaction, as a
 *   snapshot's write; `thread` is the time the worker's thread spent issuing the requests (the
 *   structured clones happen there), `commit` until the transaction completed;
 * - change: three conversations changed (a new revision), their rows (their buckets, with all they
 *   hold; the whole row for `one row`) and the page row put, likewise;
 * - read: the page row and the page's rows read in one transaction, until both are there (the clones
 *   back happen on the worker's thread too); the codec's checks, the same per conversation in every
 *   layout, are not included.
 *
 * `BENCH_IDB_N` (default 5000), `BENCH_IDB_ROUNDS` (default 5), `BENCH_IDB_BUCKETS` (default 16,64,256).
 * Prints one line per layout and measure: min, median, max in ms, and the load average before and after.
 */

const N = Number(process.env.BENCH_IDB_N ?? 5000);
const ROUNDS = Number(process.env.BENCH_IDB_ROUNDS ?? 5);
const BUCKET_COUNTS = (process.env.BENCH_IDB_BUCKETS ?? '16,64,256').split(',').map(Number);

function conversation(i: number): Conversation {
  const id = uuidv7(Date.now() - i);
  const author = { id: `user-${i % 7}`, name: `Reader ${i % 7}` };
  return {
    id,
    target: {
      selector: [
        { type: 'TextQuoteSelector', exact: QUOTE, prefix: PREFIX, suffix: SUFFIX },
        { type: 'TextPositionSelector', start: 1200 + i, end: 1320 + i },
      ],
    },
    author,
    createdAt: 1_760_000_000_000 + i,
    revision: 1,
    resolved: false,
    comments: [{ id, author, text: COMMENT, createdAt: 1_760_000_000_000 + i }],
  };
}

type Layout = 'one' | 'per' | number;
type Timings = Record<string, { whole: { thread: number; commit: number }; change: { thread: number; commit: number }; read: number }>;

/** Runs in the worker: no imports, everything it needs is in it. */
async function measure(conversations: Conversation[], layouts: Layout[], round: number): Promise<Timings> {
  const request = <T>(r: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(new Error(String(r.error)));
    });
  const done = (tx: IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(new Error(String(tx.error)));
    });
  const name = (layout: Layout) => (layout === 'one' ? 'one row' : layout === 'per' ? 'per conversation' : `${layout} buckets`);
  const hash = (id: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) {
      h ^= id.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  };
  const opening = indexedDB.open('bench-idb-cache', 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore('pages', { keyPath: 'pageKey' });
    opening.result.createObjectStore('rows', { keyPath: ['pageKey', 'id'] });
  };
  const db = await request(opening);
  const out: Timings = {};
  // Each round starts the layouts at another one, so that none is always first after the others.
  const order = layouts.map((_, i) => layouts[(i + round) % layouts.length]!);
  for (const layout of order) {
    const pageKey = `bench.example/${name(layout)}`;
    const range = IDBKeyRange.bound([pageKey], [pageKey, []]);
    const rowsOf = (list: Conversation[]): unknown[] => {
      if (layout === 'per') return list.map((c) => ({ pageKey, id: c.id, conversation: c }));
      if (layout === 'one') return [];
      const buckets = new Map<number, Conversation[]>();
      for (const c of list) {
        const b = hash(c.id) % layout;
        buckets.set(b, [...(buckets.get(b) ?? []), c]);
      }
      return [...buckets].map(([id, cs]) => ({ pageKey, id, conversations: cs }));
    };
    const head = (list: Conversation[]) => (layout === 'one' ? { pageKey, seq: 1, conversations: list, deleted: [], savedAt: Date.now() } : { pageKey, seq: 1, deleted: [], savedAt: Date.now() });
    const write = async (rows: unknown[], list: Conversation[], whole: boolean) => {
      const start = performance.now();
      const tx = db.transaction(['pages', 'rows'], 'readwrite');
      const finished = done(tx);
      const store = tx.objectStore('rows');
      if (whole) store.delete(range);
      for (const row of rows) store.put(row);
      tx.objectStore('pages').put(head(list));
      const issued = performance.now();
      await finished;
      return { thread: issued - start, commit: performance.now() - start };
    };
    // The grouping into buckets is made before the clock starts (the worker keeps each bucket's members, unsaved.ts).
    const rows = rowsOf(conversations);
    const whole = await write(rows, conversations, true);
    const changed = [0, Math.floor(conversations.length / 2), conversations.length - 1].map((i) => ({ ...conversations[i]!, revision: 2 }));
    const now = conversations.map((c) => changed.find((d) => d.id === c.id) ?? c);
    const changedRows = layout === 'per' ? rowsOf(changed) : layout === 'one' ? [] : (rowsOf(now) as { id: number }[]).filter((row) => changed.some((c) => hash(c.id) % (layout as number) === row.id));
    const change = await write(changedRows, now, false);
    const start = performance.now();
    const tx = db.transaction(['pages', 'rows']);
    const finished = done(tx);
    await Promise.all([request(tx.objectStore('pages').get(pageKey)), request(tx.objectStore('rows').getAll(range))]);
    const read = performance.now() - start;
    await finished;
    out[name(layout)] = { whole, change, read };
  }
  db.close();
  return out;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${r1(s[0]!)} / ${r1(s[Math.floor(s.length / 2)]!)} / ${r1(s[s.length - 1]!)}`;
};
const load = () => os.loadavg()[0]!.toFixed(1);

const g = await launchChromium('bench-idb');
try {
  const worker = await g.worker();
  // tsx (esbuild) wraps the named functions of the serialised callback in a `__name` helper the worker lacks.
  await worker.evaluate('globalThis.__name ??= (f) => f');
  const conversations = Array.from({ length: N }, (_, i) => conversation(i));
  const layouts: Layout[] = ['one', ...BUCKET_COUNTS, 'per'];
  const loads = [load()];
  const all: Timings[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    all.push(await worker.evaluate(measure, conversations, layouts, round));
    loads.push(load());
  }
  console.log(`${N} conversations, ${ROUNDS} rounds, load average ${loads.join(' → ')}; min / median / max ms`);
  for (const layout of Object.keys(all[0]!)) {
    const of = (f: (t: Timings[string]) => number) => spread(all.map((t) => f(t[layout]!)));
    console.log(`${layout.padEnd(17)} whole thread ${of((t) => t.whole.thread).padEnd(20)} commit ${of((t) => t.whole.commit).padEnd(22)} change thread ${of((t) => t.change.thread).padEnd(16)} commit ${of((t) => t.change.commit).padEnd(18)} read ${of((t) => t.read)}`);
  }
} finally {
  await g.close();
}
