import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request } from '../support/clients.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

it('counts distinct users: 1 → 2 as a second user joins, two sockets of one user count once, 1 after disconnect', async () => {
  const url = `https://example.com/presence-${randomUUID()}`;
  const alice = await connect(server.url, { name: 'Alice' });
  const aliceSees = recorder(alice.socket);
  const joined = await request(alice.socket, 'page:join', { url });
  expect(joined).toMatchObject({ ok: true, viewers: 1, users: [{ name: 'Alice' }] });

  const bob = await connect(server.url, { name: 'Bob' });
  const bobJoin = await request(bob.socket, 'page:join', { url });
  expect(bobJoin).toMatchObject({ ok: true, viewers: 2 });
  await aliceSees.until((e) => e.some((x) => x.event === 'presence' && x.payload.viewers === 2), 5_000, 'presence 2');
  const two = aliceSees.of('presence').at(-1)!;
  expect((two.users as { name: string }[]).map((u) => u.name).sort()).toEqual(['Alice', 'Bob']);

  // Bob's second tab/browser: the same anonymous id is the same user.
  const bob2 = await connect(server.url, { name: 'Bob', anonymousId: bob.anonymousId });
  expect(bob2.session.user.id).toBe(bob.session.user.id);
  expect(await request(bob2.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 2 });

  bob.socket.close();
  // Bob is still there through his other socket: a presence of 1 must not appear yet.
  await new Promise((r) => setTimeout(r, 300));
  expect(aliceSees.of('presence').at(-1)!.viewers).toBe(2);
  bob2.socket.close();
  await aliceSees.until((e) => e.at(-1)?.event === 'presence' && e.at(-1)!.payload.viewers === 1, 8_000, 'presence back to 1 after the grace period');
  expect(aliceSees.of('presence').at(-1)).toMatchObject({ viewers: 1, users: [{ name: 'Alice' }] });
  alice.socket.close();
});

it('page:leave removes the viewer at once', async () => {
  const url = `https://example.com/leave-${randomUUID()}`;
  const a = await connect(server.url, { name: 'A' });
  const b = await connect(server.url, { name: 'B' });
  const aSees = recorder(a.socket);
  await request(a.socket, 'page:join', { url });
  await request(b.socket, 'page:join', { url });
  await aSees.until((e) => e.some((x) => x.event === 'presence' && x.payload.viewers === 2));
  expect(await request(b.socket, 'page:leave', { url })).toMatchObject({ ok: true });
  await aSees.until((e) => e.at(-1)?.event === 'presence' && e.at(-1)!.payload.viewers === 1);
  a.socket.close();
  b.socket.close();
});

it('a user whose connection drops and comes back within the grace period is never counted out', async () => {
  const url = `https://example.com/grace-${randomUUID()}`;
  const watcher = await connect(server.url, { name: 'Watcher' });
  const watched = recorder(watcher.socket);
  await request(watcher.socket, 'page:join', { url });
  const flaky = await connect(server.url, { name: 'Flaky' });
  await request(flaky.socket, 'page:join', { url });
  await watched.until((e) => e.some((x) => x.event === 'presence' && x.payload.viewers === 2));
  const mark = watched.of('presence').length;
  flaky.socket.close();
  // Back at once with a new socket (as Firefox's background does after a suspension).
  const again = await connect(server.url, { name: 'Flaky', anonymousId: flaky.anonymousId });
  expect(await request(again.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 2 });
  // Past the 3 s grace of the old socket: still two, and no presence of 1 was ever sent.
  await new Promise((r) => setTimeout(r, 3_500));
  expect(watched.of('presence').slice(mark).map((p) => p.viewers)).not.toContain(1);
  // A user who does not come back is counted out once the grace has passed.
  again.socket.close();
  await watched.until((e) => e.at(-1)?.event === 'presence' && e.at(-1)!.payload.viewers === 1, 8_000, 'presence back to 1');
  watcher.socket.close();
});

it('page:leave is never refused by the rate limit: a user who closes the tab after a burst is not left counted', async () => {
  // A budget of two operations, refilled one a second: the join and a sync spend it.
  const limited = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1', GLOSS_RATE_BURST: '2' } });
  try {
    const url = `https://example.com/leave-limited-${randomUUID()}`;
    const watcher = await connect(limited.url, { name: 'Watcher' });
    await request(watcher.socket, 'page:join', { url });
    const busy = await connect(limited.url, { name: 'Busy' });
    expect(await request(busy.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 2 });
    expect(await request(busy.socket, 'page:sync', { url, sinceSeq: 0 })).toMatchObject({ ok: true });
    // The last tab of the page is closed: the worker sends page:leave, with no budget left.
    expect(await request(busy.socket, 'page:leave', { url })).toMatchObject({ ok: true });
    // Someone arriving now finds the watcher only (and themself); the busy user's socket is still up.
    const late = await connect(limited.url, { name: 'Late' });
    const joined = (await request(late.socket, 'page:join', { url })) as { viewers: number; users: { name: string }[] };
    expect(joined.users.map((u) => u.name).sort()).toEqual(['Late', 'Watcher']);
    expect(joined.viewers).toBe(2);
    for (const c of [watcher, busy, late]) c.socket.close();
  } finally {
    await limited.stop();
  }
});
