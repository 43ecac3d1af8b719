import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * GLOSS_DB_MAX_MB through the real server, its SQLite file and real sockets: a 1 MiB database is
 * filled for real with replies of 10,000 characters until SQLite itself (PRAGMA max_page_count)
 * refuses, and then every kind of write is refused `store_full`, acknowledged to its sender, with
 * nothing stored and nothing broadcast, while joins and deletions go on; a restart with a larger
 * limit takes writes again. The rate limit is raised: filling takes ~100 operations in a burst.
 */
const URL = `https://example.com/full-${randomUUID()}`;
const env = (mb: number) => ({ GLOSS_DB_MAX_MB: String(mb), GLOSS_RATE_PER_SECOND: '10000', GLOSS_RATE_BURST: '10000' });
const LONG = 'x'.repeat(10_000);
const aliceId = randomUUID();

let server: ServerProcess;
let alice: TestSocket;
let bob: TestSocket;
let heard: ReturnType<typeof recorder>;
const opened = typicalChat(URL);
const spare = typicalChat(URL);
/** What Bob had heard when the store was full. */
let heardBefore = 0;
/** The replies stored before the store was full. */
const stored: string[] = [];

const update = (id: string, changes: unknown) => request(alice, 'text-chat:update', { broadcastId: randomUUID(), id, changes });
const full = { ok: false, error: { code: 'store_full' } };

async function connectBoth() {
  alice = (await connect(server.url, { name: 'Alice', anonymousId: aliceId })).socket;
  bob = (await connect(server.url, { name: 'Bob' })).socket;
  heard = recorder(bob);
  expect(await request(bob, 'page:join', { url: URL })).toMatchObject({ ok: true });
}

/**
 * Adds long replies to `id` until one is refused, then long conversations until one is refused (a
 * create writes its text once, a reply twice: in its row and in the change log, so a create may
 * still fit where a reply did not); answers the last refusal.
 */
async function fill(id: string): Promise<unknown> {
  let answer: unknown;
  const fits = (a: unknown) => (answer = a) !== undefined && (a as { ok: boolean }).ok;
  for (let i = 0; i < 1_000; i++) {
    const reply = randomUUID();
    if (!fits(await update(id, { addComment: { id: reply, text: LONG } }))) break;
    stored.push(reply);
  }
  expect(answer).toMatchObject(full);
  for (let i = 0; i < 1_000; i++) {
    const chat = { ...typicalChat(URL), text: LONG };
    if (!fits(await request(alice, 'text-chat:create', { broadcastId: chat.id, chat }))) return answer;
  }
  throw new Error('1,000 conversations of 10,000 characters fitted in 1 MiB');
}

const storeFullLines = () => server.logs.filter((l) => l.includes('"event":"store_full"'));

beforeAll(async () => {
  server = await startServerProcess({ env: env(1) });
  await connectBoth();
  for (const chat of [opened, spare]) expect(await request(alice, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
}, 30_000);
afterAll(async () => {
  alice.close();
  bob.close();
  await server.stop();
});

it('a full database refuses a reply, a create and an edit with store_full: nothing stored, nothing broadcast, one log line', async () => {
  expect(await fill(opened.id)).toMatchObject(full);
  // Filled for real: dozens of replies (each also in the change log, with its text) before SQLite said no.
  expect(stored.length).toBeGreaterThan(20);
  const before = dbState(server.dbPath);
  heardBefore = heard.events.length;

  const chat = typicalChat(URL);
  const create = await request(alice, 'text-chat:create', { broadcastId: chat.id, chat: { ...chat, text: LONG } });
  expect(create).toMatchObject(full);
  expect((create as { error: { message: string } }).error.message).toMatch(/nothing was changed/);
  // An edit that lengthens the opening comment needs new pages.
  expect(await update(opened.id, { editComment: { id: opened.id, text: LONG } })).toMatchObject(full);
  expect(await update(spare.id, { addComment: { id: randomUUID(), text: LONG } })).toMatchObject(full);

  expect(dbState(server.dbPath)).toEqual(before);
  // The next broadcast Bob hears is the deletion of the next test, and nothing before it: a refused
  // operation broadcast would have come first (one socket, in order).
  expect(heard.events.length).toBe(heardBefore);
  expect(storeFullLines()).toHaveLength(1);
  const line = JSON.parse(storeFullLines()[0]!) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'warn', limitMb: 1, op: 'text-chat:update' });
  expect(JSON.stringify(line)).not.toContain('xxxxxxxx');
  // The count goes on where the log stopped: the refusal that filled it, the fill's last, and these three.
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/^gloss_store_refused_total\{code="store_full"\} 5$/m);
  expect(metrics).toMatch(/^gloss_store_refused_total\{code="store_failed"\} 0$/m);
});

it('a full database still serves a join, and takes deletions, which make room for writes again', async () => {
  const carol = (await connect(server.url, { name: 'Carol' })).socket;
  try {
    const join = (await request(carol, 'page:join', { url: URL })) as { ok: boolean; conversations: { id: string; comments: unknown[] }[] };
    expect(join.ok).toBe(true);
    expect(join.conversations.find((c) => c.id === opened.id)!.comments).toHaveLength(stored.length + 1);
  } finally {
    carol.close();
  }
  // A reply deleted, then the conversation with all its replies: both from the deletions' reserve.
  expect(await update(opened.id, { deleteComment: { id: stored[0]! } })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: opened.id })).toMatchObject({ ok: true });
  await heard.until((all) => all.some((e) => e.event === 'deleted-text-chat'));
  const since = heard.events.slice(heardBefore).map((e) => e.event);
  expect(since.filter((e) => e !== 'presence')).toEqual(['updated-text-chat', 'deleted-text-chat']);
  // Its replies' pages were freed inside the file: SQLite reuses them for new rows under the same limit.
  expect(await update(spare.id, { addComment: { id: randomUUID(), text: LONG } })).toMatchObject({ ok: true });
  expect(storeFullLines()).toHaveLength(1);
});

it('a restart keeps the limit; a restart with a larger one takes writes again', async () => {
  stored.length = 0;
  expect(await fill(spare.id)).toMatchObject(full);
  alice.close();
  bob.close();
  await server.stop();

  server = await startServerProcess({ dbPath: server.dbPath, env: env(1) });
  await connectBoth();
  expect(await update(spare.id, { addComment: { id: randomUUID(), text: LONG } })).toMatchObject(full);
  alice.close();
  bob.close();
  await server.stop();

  server = await startServerProcess({ dbPath: server.dbPath, env: env(2) });
  await connectBoth();
  const chat = typicalChat(URL);
  expect(await request(alice, 'text-chat:create', { broadcastId: chat.id, chat: { ...chat, text: LONG } })).toMatchObject({ ok: true });
  expect(await update(spare.id, { addComment: { id: randomUUID(), text: LONG } })).toMatchObject({ ok: true });
  await heard.until((all) => all.filter((e) => e.event !== 'presence').length === 2);
  expect(storeFullLines()).toHaveLength(0);
}, 30_000);
