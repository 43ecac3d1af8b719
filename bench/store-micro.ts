import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Identity } from '../server/auth/identity.js';
import { SqliteStore } from '../server/store/sqlite-store.js';
import { createRequest } from './lib/payload.js';

/**
 * Store micro-benchmark (not part of `npm run bench`): N creates of the typical conversation over 100
 * pages, on disk, committed one per transaction (as before group commit) or k per transaction
 * through runGroup (what group commit does with a turn's k operations). Prints µs per create.
 *   tsx bench/store-micro.ts [creates=20000] [group sizes=1,2,5,10,20]
 */
const N = Number(process.argv[2] ?? 20_000);
const sizes = (process.argv[3] ?? '1,2,5,10,20').split(',').map(Number);
const who = { tenant: 'public', user: { id: 'anon-bench', name: 'Bench' }, role: 'member' } as unknown as Identity;
const pageKey = (i: number) => `en.wikipedia.org/wiki/Regression_testing_${i % 100}`;

for (const k of sizes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-store-micro-'));
  const store = new SqliteStore(path.join(dir, 'gloss.sqlite'));
  store.ensureTenant('public');
  const reqs = Array.from({ length: N }, (_, i) => createRequest(i % 100));
  let worst = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i += k) {
    const s = performance.now();
    const ops = reqs.slice(i, i + k).map((req, j) => () => store.create(who, pageKey(i + j), req, Date.now()));
    if (k === 1) ops[0]!();
    else store.runGroup(ops);
    worst = Math.max(worst, performance.now() - s);
  }
  const us = ((performance.now() - t0) * 1000) / N;
  process.stdout.write(`${JSON.stringify({ group: k, usPerCreate: Math.round(us), worstTransactionMs: Math.round(worst * 10) / 10 })}\n`);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
