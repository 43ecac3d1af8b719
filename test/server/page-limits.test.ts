import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIMITS } from '../../protocol/limits.js';
import { normalizePageUrl } from '../../protocol/url.js';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { fillPageButOne } from '../support/full-page.js';
import { startServerProcess, tempDbPath, type ServerProcess } from '../support/server-process.js';

const FULL_URL = `https://example.com/full-${randomUUID()}`;
const THREAD_URL = `https://example.com/thread-${randomUUID()}`;
const someone = { tenant: 'public', user: { id: 'u-seed', name: 'Seed' }, role: 'member' } as Identity;
let thread = '';
let server: ServerProcess;
let alice: TestSocket;
let bob: TestSocket;
let heard: ReturnType<typeof recorder>;

/** A page one conversation short of full, and a conversation one comment short of full, in a real SQLite file. */
function seed(dbPath: string) {
  const store = new SqliteStore(dbPath);
  try {
    store.ensureTenant('public');
    expect(fillPageButOne(store, someone, FULL_URL)).toBe(true);
    const chat = typicalChat(THREAD_URL);
    thread = chat.id;
    store.create(someone, normalizePageUrl(THREAD_URL), { broadcastId: chat.id, chat }, Date.now());
    const replies = Array.from({ length: LIMITS.comments - 2 }, () => () =>
      store.update(someone, { broadcastId: randomUUID(), id: thread, changes: { addComment: { id: randomUUID(), text: 'a reply' } } }, Date.now()),
    );
    expect(store.runGroup(replies).every((o) => o.ok)).toBe(true);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  const dbPath = tempDbPath();
  seed(dbPath);
  server = await startServerProcess({ dbPath });
  alice = (await connect(server.url, { name: 'Alice' })).socket;
  bob = (await connect(server.url, { name: 'Bob' })).socket;
  heard = recorder(bob);
  for (const url of [FULL_URL, THREAD_URL]) expect(await request(bob, 'page:join', { url })).toMatchObject({ ok: true });
}, 60_000);
afterAll(async () => {
  alice.close();
  bob.close();
  await server.stop();
});

let resolved = false;
/** Something alice does that bob hears: once it arrived, so did anything broadcast before it. */
async function marker() {
  const broadcastId = randomUUID();
  resolved = !resolved;
  expect(await request(alice, 'text-chat:update', { broadcastId, id: thread, changes: { resolved } })).toMatchObject({ ok: true });
  await heard.until((all) => all.some((e) => e.payload.broadcastId === broadcastId));
}

it(`a page holds at most ${LIMITS.conversationsPerPage} conversations: the next is refused page_full, stored nowhere, broadcast to nobody`, async () => {
  const last = typicalChat(FULL_URL);
  const lastCreate = { broadcastId: last.id, chat: last };
  expect(await request(alice, 'text-chat:create', lastCreate)).toMatchObject({ ok: true });

  const before = dbState(server.dbPath);
  const over = typicalChat(FULL_URL);
  const res = await request(alice, 'text-chat:create', { broadcastId: over.id, chat: over });
  expect(res).toMatchObject({ ok: false, error: { code: 'page_full' } });
  if (!res.ok) expect(res.error.message).toContain(String(LIMITS.conversationsPerPage));
  expect(dbState(server.dbPath)).toEqual(before);
  await marker();
  expect(heard.of('new-text-chat').map((e) => e.id)).toEqual([last.id]);

  // The last create, sent again (its acknowledgement lost), is still answered as the one stored.
  expect(await request(alice, 'text-chat:create', lastCreate)).toMatchObject({ ok: true, duplicate: true });
  // Deleted conversations do not count: one deleted makes room for one.
  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: last.id })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:create', { broadcastId: over.id, chat: over })).toMatchObject({ ok: true });
  const another = typicalChat(FULL_URL);
  expect(await request(alice, 'text-chat:create', { broadcastId: another.id, chat: another })).toMatchObject({ ok: false, error: { code: 'page_full' } });
});

it(`a conversation holds at most ${LIMITS.comments} comments: the next is refused conversation_full, stored nowhere, broadcast to nobody`, async () => {
  const reply = () => ({ broadcastId: randomUUID(), id: thread, changes: { addComment: { id: randomUUID(), text: 'one more' } } });
  const fits = reply();
  expect(await request(alice, 'text-chat:update', fits)).toMatchObject({ ok: true, chat: { comments: { length: LIMITS.comments } } });
  const before = dbState(server.dbPath);
  const over = reply();
  expect(await request(alice, 'text-chat:update', over)).toMatchObject({ ok: false, error: { code: 'conversation_full' } });
  expect(dbState(server.dbPath)).toEqual(before);
  await marker();
  const added = heard.of('updated-text-chat').filter((e) => 'addComment' in e).map((e) => e.broadcastId);
  expect(added).toEqual([fits.broadcastId]);
});
