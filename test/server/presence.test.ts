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
  await aliceSees.until((e) => e.at(-1)?.event === 'presence' && e.at(-1)!.payload.viewers === 1, 5_000, 'presence back to 1');
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
