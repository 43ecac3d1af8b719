import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { conversationOf, conversationOfCreate } from '../../protocol/events.js';

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
  const c = await connect(server.url, { name });
  sockets.push(c.socket);
  return c;
}

describe('two users on one page', () => {
  it('meet on a page whose path Chrome and Firefox write differently (%7E, |)', async () => {
    const path = `~alice-${randomUUID()}/notes|2024`;
    const chrome = await user('Chrome');
    const firefox = await user('Firefox');
    const inChrome = await request(chrome.socket, 'page:join', { url: `https://example.edu/${path.replace('|', '%7C')}` });
    const inFirefox = await request(firefox.socket, 'page:join', { url: `https://example.edu/${path.replace('~', '%7E')}` });
    expect(inChrome.ok && inFirefox.ok).toBe(true);
    if (!inChrome.ok || !inFirefox.ok) return;
    expect(inFirefox.pageKey).toBe(inChrome.pageKey);
    expect(inFirefox.viewers).toBe(2);
  });

  it('see each other create, comment, edit, resolve and delete, with the sender broadcastId and consecutive seq', async () => {
    const url = `https://example.com/article-${randomUUID()}?utm_source=mail`;
    const alice = await user('Alice');
    const bob = await user('Bob');
    const aliceJoin = await request(alice.socket, 'page:join', { url });
    const bobJoin = await request(bob.socket, 'page:join', { url: url.replace('https://', 'http://').replace('?utm_source=mail', '#frag') });
    expect(aliceJoin.ok && bobJoin.ok).toBe(true);
    if (!aliceJoin.ok || !bobJoin.ok) return;
    expect(bobJoin.pageKey).toBe(aliceJoin.pageKey);
    expect('conversations' in bobJoin && bobJoin.conversations).toEqual([]);
    const bobSees = recorder(bob.socket);
    const aliceSees = recorder(alice.socket);

    // Alice creates.
    const chat = typicalChat(url);
    const b1 = randomUUID();
    const created = await request(alice.socket, 'text-chat:create', { broadcastId: b1, chat });
    expect(created).toMatchObject({ ok: true, seq: 1 });
    await bobSees.until((e) => e.some((x) => x.event === 'new-text-chat'));
    const [newEvent] = bobSees.of('new-text-chat');
    expect(newEvent).toMatchObject({ broadcastId: b1, seq: 1, pageKey: aliceJoin.pageKey, id: chat.id });
    expect(newEvent!.chat).toEqual({ target: chat.target, text: chat.text, author: { id: alice.session.user.id, name: 'Alice' }, createdAt: expect.any(Number) });
    // Expanded, it is exactly the conversation the author's acknowledgement stands for, and the
    // acknowledgement carries only what the server added.
    expect(created.ok && Object.keys(created).sort()).toEqual(['author', 'createdAt', 'ok', 'seq']);
    expect(conversationOf(newEvent as never)).toEqual(created.ok && conversationOfCreate({ broadcastId: b1, chat }, created));

    // Bob replies; Alice sees only the new comment, not the whole thread.
    const b2 = randomUUID();
    const commentId = randomUUID();
    const reply = await request(bob.socket, 'text-chat:update', { broadcastId: b2, id: chat.id, changes: { addComment: { id: commentId, text: 'Agreed, with a caveat.' } } });
    expect(reply).toMatchObject({ ok: true, seq: 2, revision: 2 });
    await aliceSees.until((e) => e.some((x) => x.event === 'updated-text-chat'));
    const [update] = aliceSees.of('updated-text-chat');
    expect(update).toMatchObject({ broadcastId: b2, seq: 2, id: chat.id, revision: 2, by: { name: 'Bob' } });
    expect(update!.addComment).toMatchObject({ id: commentId, text: 'Agreed, with a caveat.', author: { name: 'Bob' } });
    expect(update).not.toHaveProperty('chat');

    // Bob edits his comment, Alice resolves, Alice deletes.
    const b3 = randomUUID();
    expect(await request(bob.socket, 'text-chat:update', { broadcastId: b3, id: chat.id, baseRevision: 2, changes: { editComment: { id: commentId, text: 'Agreed.' } } })).toMatchObject({ ok: true, seq: 3, revision: 3 });
    const b4 = randomUUID();
    expect(await request(alice.socket, 'text-chat:update', { broadcastId: b4, id: chat.id, changes: { resolved: true } })).toMatchObject({ ok: true, seq: 4, revision: 4 });
    const b5 = randomUUID();
    expect(await request(alice.socket, 'text-chat:delete', { broadcastId: b5, id: chat.id })).toEqual({ ok: true, seq: 5 });

    await bobSees.until((e) => e.some((x) => x.event === 'deleted-text-chat'));
    await aliceSees.until((e) => e.filter((x) => x.event === 'updated-text-chat').length === 2);
    const bobChanges = bobSees.events.filter((e) => e.event !== 'presence').map((e) => [e.event, e.payload.seq, e.payload.broadcastId]);
    expect(bobChanges).toEqual([
      ['new-text-chat', 1, b1],
      ['updated-text-chat', 4, b4],
      ['deleted-text-chat', 5, b5],
    ]);
    expect(bobSees.of('updated-text-chat')[0]).toMatchObject({ resolved: true, by: { name: 'Alice' } });
    // The origin is skipped: Alice got Bob's two updates and nothing of her own.
    expect(aliceSees.events.filter((e) => e.event !== 'presence').map((e) => [e.payload.seq, e.payload.broadcastId])).toEqual([[2, b2], [3, b3]]);
    expect(aliceSees.of('updated-text-chat')[1]).toMatchObject({ editComment: { id: commentId, text: 'Agreed.' } });

    const rejoin = await request(bob.socket, 'page:join', { url });
    expect(rejoin).toMatchObject({ ok: true, seq: 5, conversations: [] });
  });

  it('treats a repeated create with the same id and content as the same conversation, broadcasting nothing new', async () => {
    const url = `https://example.com/idempotent-${randomUUID()}`;
    const alice = await user('Alice');
    const bob = await user('Bob');
    await request(alice.socket, 'page:join', { url });
    await request(bob.socket, 'page:join', { url });
    const bobSees = recorder(bob.socket);
    const chat = typicalChat(url);
    const first = await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
    const again = await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
    expect(first).toMatchObject({ ok: true, seq: 1 });
    expect(again).toMatchObject({ ok: true, seq: 1, duplicate: true, chat: { id: chat.id, revision: 1 } });
    const other = await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: { ...chat, text: 'something else' } });
    expect(other).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // A marker change proves the stream is flushed: exactly one create reached Bob before it.
    await request(alice.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } });
    await bobSees.until((e) => e.some((x) => x.event === 'updated-text-chat'));
    expect(bobSees.of('new-text-chat')).toHaveLength(1);
    expect(bobSees.of('updated-text-chat')[0]).toMatchObject({ seq: 2 });
  });
});

/**
 * A hash-routed app keeps its route in the fragment: each route is a page of its own, with its own
 * viewers and conversations. An anchor is a place in one page: readers of `#a` and `#b` are together.
 */
describe('hash routes and anchors', () => {
  async function listening(name: string) {
    const { socket } = await user(name);
    return { socket, heard: recorder(socket) };
  }

  it('two routes of one app are two rooms: presence and broadcasts of one never reach the other', async () => {
    const app = `https://app-${randomUUID()}.example/`;
    const inbox = `${app}#/inbox`;
    const settings = `${app}#/settings`;
    const alice = await listening('Alice');
    const bob = await listening('Bob');

    const aliceJoin = await request(alice.socket, 'page:join', { url: inbox });
    const bobJoin = await request(bob.socket, 'page:join', { url: settings });
    expect(aliceJoin).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/#/inbox`, viewers: 1 });
    expect(bobJoin).toMatchObject({ ok: true, pageKey: `${new URL(app).host}/#/settings`, viewers: 1 });

    // Carol opens the inbox: Alice sees two viewers, Bob hears nothing of it.
    const carol = await listening('Carol');
    expect(await request(carol.socket, 'page:join', { url: inbox })).toMatchObject({ ok: true, viewers: 2 });
    await alice.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Alice counting Carol');

    // Alice writes on the inbox: Carol hears it, Bob does not, and it is not in the settings' snapshot.
    const chat = typicalChat(inbox);
    const created = await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
    expect(created).toMatchObject({ ok: true });
    await carol.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === chat.id), 5_000, 'Carol hearing the inbox conversation');

    // Dave opens the settings: Bob's count goes to 2. Everything sent to Bob before it has arrived by then.
    const dave = await listening('Dave');
    const daveJoin = await request(dave.socket, 'page:join', { url: settings });
    expect(daveJoin).toMatchObject({ ok: true, viewers: 2, conversations: [] });
    await bob.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Bob counting Dave');
    expect(bob.heard.events.every((e) => e.event === 'presence' && e.payload.pageKey === `${new URL(app).host}/#/settings`), JSON.stringify(bob.heard.events)).toBe(true);
    expect(bob.heard.of('presence').map((p) => p.viewers)).not.toContain(3);

    // The app's start route is the document itself, where `https://app.example/` lands.
    const erin = await listening('Erin');
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
    const alice = await listening('Alice');
    const bob = await listening('Bob');

    expect(await request(alice.socket, 'page:join', { url: `${doc}#a` })).toMatchObject({ ok: true, pageKey: doc.slice('https://'.length), viewers: 1 });
    expect(await request(bob.socket, 'page:join', { url: `${doc}#b` })).toMatchObject({ ok: true, pageKey: doc.slice('https://'.length), viewers: 2 });
    await alice.heard.until((all) => all.some((e) => e.event === 'presence' && e.payload.viewers === 2), 5_000, 'Alice counting Bob');

    const chat = typicalChat(`${doc}#b`);
    expect(await request(bob.socket, 'text-chat:create', { broadcastId: randomUUID(), chat })).toMatchObject({ ok: true });
    await alice.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === chat.id && e.payload.pageKey === doc.slice('https://'.length)), 5_000, 'Alice hearing Bob\'s conversation');

    // A third reader on the page without an anchor sees it in the snapshot.
    const carol = await listening('Carol');
    const plain = await request(carol.socket, 'page:join', { url: doc });
    expect(plain).toMatchObject({ ok: true, viewers: 3 });
    expect((plain as { conversations: { id: string }[] }).conversations.map((c) => c.id)).toEqual([chat.id]);
  });
});
