import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationOf } from '../../protocol/events.js';
import { LIMITS } from '../../protocol/limits.js';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { applyChanges, applySnapshot, emptyPage } from '../../extension/background/reducer.js';
import { SyncAckSchema } from '../../extension/background/server-schemas.js';
import * as v from 'valibot';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { fillPageButOne } from '../support/full-page.js';
import { issueToken, startServerProcess, tempDbPath, type ServerProcess } from '../support/server-process.js';

/**
 * `text-chat:restore`, the undo of a deletion, against the real server process with real sockets:
 * who may, until when, what the others hear, what a client that missed it all replays, and the page cap.
 */

const FULL_URL = `https://example.com/restore-full-${randomUUID()}`;
const seedUser = { tenant: 'public', user: { id: 'u-seed', name: 'Seed' }, role: 'member' } as Identity;
let server: ServerProcess;

/** A page one conversation short of full, in the real SQLite file the server then opens. */
function seedFullPage(dbPath: string) {
  const store = new SqliteStore(dbPath);
  try {
    store.ensureTenant('public');
    expect(fillPageButOne(store, seedUser, FULL_URL)).toBe(true);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  const dbPath = tempDbPath();
  seedFullPage(dbPath);
  server = await startServerProcess({ dbPath });
}, 60_000);
afterAll(async () => server.stop());

const open = async (name: string): Promise<TestSocket> => (await connect(server.url, { name })).socket;
const reply = (id: string, text: string) => ({ broadcastId: randomUUID(), id, changes: { addComment: { id: randomUUID(), text } } });

/** A conversation by `author` on `url` with two replies (one deleted again) and resolved: everything a restore must bring back. */
async function threadOn(author: TestSocket, url: string) {
  const chat = typicalChat(url);
  expect(await request(author, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  const kept = reply(chat.id, 'a reply that stays');
  const gone = reply(chat.id, 'a reply deleted before the conversation');
  for (const r of [kept, gone]) expect(await request(author, 'text-chat:update', r)).toMatchObject({ ok: true });
  expect(await request(author, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: gone.changes.addComment.id } } })).toMatchObject({ ok: true });
  const last = await request(author, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } });
  if (!last.ok) throw new Error('resolve refused');
  return { chat, before: last.chat, keptId: kept.changes.addComment.id };
}

it('a restore reaches the others as new-text-chat with the whole live thread, carrying its broadcastId for the originator to drop', async () => {
  const url = `https://example.com/restore-${randomUUID()}`;
  const [alice, bob] = [await open('Alice'), await open('Bob')];
  const [heardByAlice, heardByBob] = [recorder(alice), recorder(bob)];
  for (const s of [alice, bob]) expect(await request(s, 'page:join', { url })).toMatchObject({ ok: true });
  const { chat, before, keptId } = await threadOn(alice, url);

  const deleted = await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id });
  expect(deleted).toMatchObject({ ok: true });
  const restore = { broadcastId: randomUUID(), id: chat.id };
  const ack = await request(alice, 'text-chat:restore', restore);
  expect(ack).toMatchObject({ ok: true, chat: before });
  if (!ack.ok || !deleted.ok) throw new Error('refused');
  expect(ack.seq).toBe(deleted.seq + 1);
  expect('unchanged' in ack).toBe(false);

  await heardByBob.until((all) => all.some((e) => e.payload.broadcastId === restore.broadcastId), 5_000, 'the restore');
  const [back] = heardByBob.of('new-text-chat').filter((e) => e.broadcastId === restore.broadcastId);
  expect(back).toMatchObject({ seq: ack.seq, id: chat.id });
  // The whole conversation as it was: resolved, its revision, the reply kept, the deleted reply not.
  expect(conversationOf(back as never)).toEqual(before);
  expect(before.comments.map((c) => c.id)).toEqual([chat.id, keptId]);
  expect(before).toMatchObject({ resolved: true, revision: 5 });
  // Whatever the originator's socket hears of it names its own broadcastId, which the extension drops.
  for (const e of heardByAlice.of('new-text-chat').filter((e) => e.id === chat.id && e.seq === ack.seq)) expect(e.broadcastId).toBe(restore.broadcastId);

  // Live again for everyone: a reader joining now gets it with its reply, and it takes replies again.
  const snapshot = await request(bob, 'page:join', { url });
  expect(snapshot).toMatchObject({ ok: true, conversations: [before] });
  expect(await request(bob, 'text-chat:update', reply(chat.id, 'after the undo'))).toMatchObject({ ok: true, revision: 6 });
  // Restoring a live conversation changes nothing, as deleting a deleted one does.
  const again = await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id });
  expect(again).toMatchObject({ ok: true, unchanged: true, chat: { id: chat.id, revision: 6 } });
  for (const s of [alice, bob]) s.close();
});

it('only who may delete a conversation may restore it: another member is forbidden, a moderator may, another tenant sees not_found', async () => {
  const [aliceT, bobT, miaT, eveT] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'alice', name: 'Alice' }),
    issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' }),
    issueToken(server, { tenant: 'acme', user: 'mia', name: 'Mia', role: 'moderator' }),
    issueToken(server, { tenant: 'other', user: 'eve', name: 'Eve', role: 'moderator' }),
  ]);
  const socketOf = async (token: string) => (await connect(server.url, { token })).socket;
  const [alice, bob, mia, eve] = await Promise.all([socketOf(aliceT), socketOf(bobT), socketOf(miaT), socketOf(eveT)]);
  const chat = typicalChat(`https://example.com/restore-policy-${randomUUID()}`);
  await request(alice, 'text-chat:create', { broadcastId: chat.id, chat });
  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true });
  const before = dbState(server.dbPath);

  expect(await request(bob, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await request(eve, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  expect(dbState(server.dbPath)).toEqual(before);
  expect(await request(mia, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true, chat: { id: chat.id } });
  for (const s of [alice, bob, mia, eve]) s.close();
});

it('a client offline during a deletion and its undo replays both from its seq and ends with the conversation and its replies', async () => {
  const url = `https://example.com/restore-resync-${randomUUID()}`;
  const alice = await open('Alice');
  const { chat, before } = await threadOn(alice, url);
  // Bob was here, then went offline, knowing the page up to its seq.
  let bob = await open('Bob');
  const joined = v.parse(SyncAckSchema, await request(bob, 'page:join', { url }));
  if (!joined.ok || !('conversations' in joined)) throw new Error('no snapshot');
  const known = applySnapshot(emptyPage(joined.pageKey), joined.seq, joined.conversations);
  bob.close();

  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true });

  bob = await open('Bob');
  const sync = v.parse(SyncAckSchema, await request(bob, 'page:sync', { url, sinceSeq: known.seq! }));
  if (!sync.ok || !('changes' in sync)) throw new Error(`expected a replay, got ${JSON.stringify(sync)}`);
  expect(sync.changes.map((c) => c.type)).toEqual(['deleted-text-chat', 'new-text-chat']);
  // The extension's own reducer: the replay applies without a gap, and the tombstone gives way to the newer restore.
  const replayed = applyChanges(known, sync.changes);
  expect(replayed.gap).toBeNull();
  expect(replayed.state.seq).toBe(sync.seq);
  expect(replayed.state.conversations[chat.id]).toEqual(before);
  expect(replayed.state.deleted).not.toContain(chat.id);
  // A stale create of that id, replayed again, is still nothing to it: only a newer seq counts.
  expect(applyChanges(replayed.state, sync.changes).state).toBe(replayed.state);
  bob.close();
  alice.close();
});

it(`a restore counts against the page's ${LIMITS.conversationsPerPage} conversations like a create: page_full, stored nowhere, broadcast to nobody`, async () => {
  const [alice, bob] = [await open('Alice'), await open('Bob')];
  const heard = recorder(bob);
  expect(await request(bob, 'page:join', { url: FULL_URL })).toMatchObject({ ok: true });
  const deleted = typicalChat(FULL_URL);
  expect(await request(alice, 'text-chat:create', { broadcastId: deleted.id, chat: deleted })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: deleted.id })).toMatchObject({ ok: true });
  // Its place taken meanwhile: the page is full again.
  const taker = typicalChat(FULL_URL);
  expect(await request(alice, 'text-chat:create', { broadcastId: taker.id, chat: taker })).toMatchObject({ ok: true });
  const before = dbState(server.dbPath);
  const refused = await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: deleted.id });
  expect(refused).toMatchObject({ ok: false, error: { code: 'page_full' } });
  expect(dbState(server.dbPath)).toEqual(before);
  // One deleted makes room for one, and the undo then goes through.
  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: taker.id })).toMatchObject({ ok: true });
  const restore = { broadcastId: randomUUID(), id: deleted.id };
  expect(await request(alice, 'text-chat:restore', restore)).toMatchObject({ ok: true });
  await heard.until((all) => all.some((e) => e.payload.broadcastId === restore.broadcastId), 5_000, 'the restore');
  expect(heard.of('new-text-chat').filter((e) => e.id === deleted.id).map((e) => e.broadcastId)).toEqual([deleted.id, restore.broadcastId]);
  alice.close();
  bob.close();
}, 30_000);

it('a restore after the restore window (GLOSS_RESTORE_WINDOW_MS) is refused gone, and the conversation stays deleted', async () => {
  const short = await startServerProcess({ env: { GLOSS_RESTORE_WINDOW_MS: '100' } });
  try {
    const alice = (await connect(short.url, { name: 'Alice' })).socket;
    const chat = typicalChat(`https://example.com/restore-late-${randomUUID()}`);
    await request(alice, 'text-chat:create', { broadcastId: chat.id, chat });
    expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true });
    // Not a timed assertion: only past the window's end, however long the wait turns out.
    await new Promise((r) => setTimeout(r, 300));
    const before = dbState(short.dbPath);
    expect(await request(alice, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: false, error: { code: 'gone' } });
    expect(dbState(short.dbPath)).toEqual(before);
    expect(await request(alice, 'page:join', { url: chat.url })).toMatchObject({ ok: true, conversations: [] });
    alice.close();
  } finally {
    await short.stop();
  }
});
