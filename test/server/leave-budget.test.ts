import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request } from '../support/clients.js';

/**
 * page:leave is exempt from the rate limit only for a page the connection is on (server/realtime/handle.ts):
 * a refused leave would keep its user counted, but a leave of any other URL is as much work for the
 * server as a join (the URL is parsed, up to a few ms for one with thousands of query parameters), and
 * unbudgeted it let one connection keep the server's event loop busy for everyone.
 */
let server: ServerProcess;
beforeAll(async () => {
  // A budget of two operations, refilled one a second.
  server = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1', GLOSS_RATE_BURST: '2' } });
});
afterAll(async () => server.stop());

it('a page:leave of a page the connection is not on is within the rate limit; one of a page it is on is not', async () => {
  const url = `https://example.com/leave-budget-${randomUUID()}`;
  const { socket } = await connect(server.url, { name: 'Flooder' });
  expect(await request(socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 1 });
  // The budget's last operation: then nothing is left for a while.
  expect(await request(socket, 'page:sync', { url, sinceSeq: 0 })).toMatchObject({ ok: true });
  const others = await Promise.all(
    Array.from({ length: 20 }, (_, i) => request(socket, 'page:leave', { url: `https://example.com/never-joined-${i}?${'a=1&'.repeat(500)}` })),
  );
  expect(others.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array<string>(20).fill('rate_limited'));
  // The page it is on: left, budget or not, as the same URL its join sent.
  expect(await request(socket, 'page:leave', { url })).toMatchObject({ ok: true });
  const watcher = await connect(server.url, { name: 'Watcher' });
  expect(await request(watcher.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 1, users: [{ name: 'Watcher' }] });
  // Left already: leaving it again is no longer free (the budget refills at most two meanwhile).
  const again = await Promise.all(Array.from({ length: 5 }, () => request(socket, 'page:leave', { url })));
  expect(again.filter((r) => !r.ok && r.error.code === 'rate_limited').length).toBeGreaterThanOrEqual(3);
  socket.close();
  watcher.socket.close();
});
