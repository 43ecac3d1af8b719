import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';

/**
 * A hash-routed app keeps its route in the fragment: each route is a page of its own, with its own
 * viewers and conversations. An anchor is a place in one page: readers of `#a` and `#b` are together.
 * Real sockets against the real server: what each hears is what its tab would show.
 */
let server: ServerProcess;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

async function user(name: string) {
  const { socket } = await connect(server.url, { name });
  sockets.push(socket);
  return { socket, heard: recorder(socket) };
}

it('two routes of one app are two rooms: presence and broadcasts of one never reach the other', async () => {
  const app = `https://app-${randomUUID()}.example/`;
  const inbox = `${app}#/inbox`;
  const settings = `${app}#/settings`;
  const alice = await user('Alice');
  const bob = await user('Bob');

  const aliceJoin = await request(alice.socket, 'page:join', { url: inbox });
  const bobJoin = await request(bob.socket, 'page:join', { url: settings });
  expect(aliceJoin).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/#/inbox`, viewers: 1 });
  expect(bobJoin).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/#/settings`, viewers: 1 });

  // Carol opens the inbox: Alice sees two viewers, Bob hears nothing of it.
  const carol = await user('Carol');
  expect(await request(carol.socket, 'page:join', { url: inbox })).toMatchObject({ ok: true, viewers: 2 });
  await alice.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Alice counting Carol');

  // Alice writes on the inbox: Carol hears it, Bob does not, and it is not in the settings' snapshot.
  const chat = typicalChat(inbox);
  const created = await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
  expect(created).toMatchObject({ ok: true });
  await carol.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === chat.id), 5_000, 'Carol hearing the inbox conversation');

  // Dave opens the settings: Bob's count goes to 2. Everything sent to Bob before it has arrived by then.
  const dave = await user('Dave');
  const daveJoin = await request(dave.socket, 'page:join', { url: settings });
  expect(daveJoin).toMatchObject({ ok: true, viewers: 2, conversations: [] });
  await bob.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Bob counting Dave');
  expect(bob.heard.events.every((e) => e.event === 'presence' && e.payload.pageKey === `${new URL(app).host}/#/settings`), JSON.stringify(bob.heard.events)).toBe(true);
  expect(bob.heard.of('presence').map((p) => p.viewers)).not.toContain(3);

  // The app's start route is the document itself, where `https://app.example/` lands.
  const erin = await user('Erin');
  const home = await request(erin.socket, 'page:join', { url: `${app}#/` });
  expect(home).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/`, viewers: 1, conversations: [] });
  expect(await request(dave.socket, 'page:join', { url: app })).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/`, viewers: 2 });

  // Hashbang routes too: item 42 and item 43 are two pages.
  const on42 = await request(alice.socket, 'page:join', { url: `${app}#!/item/42` });
  const on43 = await request(bob.socket, 'page:join', { url: `${app}#!/item/43` });
  expect(on42).toMatchObject({ ok: true, viewers: 1 });
  expect(on43).toMatchObject({ ok: true, viewers: 1 });
  expect((on42 as { pageKey: string }).pageKey).not.toBe((on43 as { pageKey: string }).pageKey);
});

it('two anchors of one page are one room: one count, and each hears what the other writes', async () => {
  const doc = `https://docs-${randomUUID()}.example/guide`;
  const alice = await user('Alice');
  const bob = await user('Bob');

  expect(await request(alice.socket, 'page:join', { url: `${doc}#a` })).toMatchObject({ ok: true, pageKey: doc.slice('https://'.length), viewers: 1 });
  expect(await request(bob.socket, 'page:join', { url: `${doc}#b` })).toMatchObject({ ok: true, pageKey: doc.slice('https://'.length), viewers: 2 });
  await alice.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Alice counting Bob');

  const chat = typicalChat(`${doc}#b`);
  expect(await request(bob.socket, 'text-chat:create', { broadcastId: randomUUID(), chat })).toMatchObject({ ok: true });
  await alice.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === chat.id && e.payload.pageKey === doc.slice('https://'.length)), 5_000, 'Alice hearing Bob\'s conversation');

  // A third reader on the page without an anchor sees it in the snapshot.
  const carol = await user('Carol');
  const plain = await request(carol.socket, 'page:join', { url: doc });
  expect(plain).toMatchObject({ ok: true, viewers: 3 });
  expect((plain as { conversations: { id: string }[] }).conversations.map((c) => c.id)).toEqual([chat.id]);
});
