/**
 * Which bucket of a page's cache a conversation is stored in (db.ts: a row per non-empty bucket).
 * Part of the stored layout: rows written under another count or hash read back as conversations in
 * the wrong bucket, which cache-codec.ts drops (the seq then untrusted, the page fetched afresh), so
 * changing either is safe but costs every cached page one snapshot.
 *
 * 64 buckets, measured against 32, 48, 128 and 256 at the server's cap of 5,000 conversations a page
 * (docs/benchmarks.md, change 41): fewer rows make a whole write and a read back cheaper (64 rows cost
 * about what version 2's single row did to write, where 5,000 rows cost three to ten times more), larger
 * buckets make each write of a change dearer (its bucket's conversations all cloned and put again:
 * over a burst of peer creates 32 buckets cost the worker 0.37-0.45 s, 64 0.28-0.41 s, 256 0.13-0.23 s,
 * a row per conversation 0.07-0.14 s and the single row 0.76-0.94 s); 128 and 256 saved 0.1-0.2 s a
 * burst for 10-40 ms more on each whole write and read back, which every snapshot and worker start pays.
 */
export const BUCKETS = 64;

/** FNV-1a over the id's UTF-16 code units: stable across versions and browsers, and spreads UUIDs evenly. */
export function bucketOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % BUCKETS;
}
