import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { normalizePageUrl } from '../../protocol/url.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState, replyBytes } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * The page's replies' budget (LIMITS.pageReplyBytes) through the real server, its SQLite file and
 * real sockets, with a budget of 1,000 bytes (GLOSS_PAGE_REPLY_BYTES) instead of megabytes. A reply
 * counts its text's UTF-8 bytes plus LIMITS.replyOverhead (200): EURO, 100 characters of 3 bytes,
 * counts 500, so two fill the budget exactly; counted in characters they would leave room.
 */
const BUDGET = 1_000;
const env = { GLOSS_PAGE_REPLY_BYTES: String(BUDGET) };
const EURO = '€'.repeat(100);
const URL = `https://example.com/replies-${randomUUID()}`;
const OTHER_URL = `https://example.com/other-${randomUUID()}`;
const PAGE = normalizePageUrl(URL);
let server: ServerProcess;
let alice: TestSocket;
let bob: TestSocket;
let heard: ReturnType<typeof recorder>;
const a = typicalChat(URL);
const b = typicalChat(URL);
const elsewhere = typicalChat(OTHER_URL);
/** Replies by the test's name for them: r1, r2... */
const replies: Record<string, string> = {};

/** Alice's anonymous id: the same user after the restart, who may delete her replies. */
const aliceId = randomUUID();

async function connectBoth() {
  alice = (await connect(server.url, { name: 'Alice', anonymousId: aliceId })).socket;
  bob = (await connect(server.url, { name: 'Bob' })).socket;
  heard = recorder(bob);
  expect(await request(bob, 'page:join', { url: URL })).toMatchObject({ ok: true });
}

beforeAll(async () => {
  server = await startServerProcess({ env });
  await connectBoth();
  // Opening comments do not count: `a` opens with the longest text a comment may have.
  for (const chat of [{ ...a, text: 'o'.repeat(10_000) }, b, elsewhere]) {
    expect(await request(alice, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  }
}, 30_000);
afterAll(async () => {
  alice.close();
  bob.close();
  await server.stop();
});

const update = (id: string, changes: unknown) => request(alice, 'text-chat:update', { broadcastId: randomUUID(), id, changes });
async function reply(name: string, conversation: string, text: string) {
  replies[name] = randomUUID();
  return update(conversation, { addComment: { id: replies[name], text } });
}
const edit = (conversation: string, id: string, text: string) => update(conversation, { editComment: { id, text } });
const refused = { ok: false, error: { code: 'page_replies_full' } };

/** Everything a refusal must leave as it was: the rows, the page's seq, its latest change and its count. */
function stored() {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    return { ...dbState(server.dbPath), page: db.prepare('SELECT * FROM pages WHERE page_key = ?').get(PAGE) };
  } finally {
    db.close();
  }
}

/** The page's count as kept, which must equal a count of its rows. */
function kept(): number {
  const { kept, counted } = replyBytes(server.dbPath, PAGE);
  expect(kept).toBe(counted);
  return kept;
}

let resolved = false;
/** Something alice does that bob hears: once it arrived, so did anything broadcast before it. */
async function marker() {
  const broadcastId = randomUUID();
  resolved = !resolved;
  expect(await request(alice, 'text-chat:update', { broadcastId, id: a.id, changes: { resolved } })).toMatchObject({ ok: true });
  await heard.until((all) => all.some((e) => e.payload.broadcastId === broadcastId));
}

it(`replies count their UTF-8 bytes up to the page's budget; the next is refused page_replies_full and leaves no trace`, async () => {
  expect(await reply('r1', a.id, EURO)).toMatchObject({ ok: true });
  // Another conversation of the same page draws on the same budget.
  expect(await reply('r2', b.id, EURO)).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET);

  const before = stored();
  const res = await reply('over', a.id, 'x');
  expect(res).toMatchObject(refused);
  if (!res.ok) expect(res.error.message).toContain(String(BUDGET));
  expect(stored()).toEqual(before);
  await marker();
  expect(heard.of('updated-text-chat').filter((e) => 'addComment' in e).map((e) => (e.addComment as { id: string }).id)).toEqual([replies.r1, replies.r2]);

  // A reply already stored, sent again (its acknowledgement lost), is still answered as that reply.
  expect(await update(b.id, { addComment: { id: replies.r2, text: EURO } })).toMatchObject({ ok: true, unchanged: true });
  // The budget is the page's: another page takes replies.
  expect(await reply('there', elsewhere.id, 'x')).toMatchObject({ ok: true });
  // Opening comments are not counted: a conversation can still be opened, and its opening text edited longer.
  const c = typicalChat(URL);
  expect(await request(alice, 'text-chat:create', { broadcastId: c.id, chat: c })).toMatchObject({ ok: true });
  expect(await edit(c.id, c.id, 'p'.repeat(10_000))).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET);
});

it('deleting a reply, or a conversation with its replies, gives their bytes back', async () => {
  expect(await update(a.id, { deleteComment: { id: replies.r1 } })).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET - 500);
  expect(await reply('r3', a.id, EURO)).toMatchObject({ ok: true });
  expect(await reply('over', a.id, 'x')).toMatchObject(refused);

  expect(await request(alice, 'text-chat:delete', { broadcastId: randomUUID(), id: b.id })).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET - 500);
  expect(await reply('r4', a.id, EURO)).toMatchObject({ ok: true });
  expect(await reply('over', a.id, 'x')).toMatchObject(refused);
  expect(kept()).toBe(BUDGET);
});

it('an edit counts its difference: one lengthening a reply past the budget is refused, one shortening it makes room', async () => {
  const before = stored();
  expect(await edit(a.id, replies.r3!, `${EURO}x`)).toMatchObject(refused);
  expect(stored()).toEqual(before);
  const join = await request(alice, 'page:join', { url: URL });
  const thread = join.ok && 'conversations' in join ? join.conversations.find((c) => c.id === a.id)!.comments : [];
  expect(thread.find((c) => c.id === replies.r3)?.text).toBe(EURO);

  expect(await edit(a.id, replies.r3!, '€'.repeat(50))).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET - 150);
  expect(await edit(a.id, replies.r4!, '€'.repeat(150))).toMatchObject({ ok: true });
  expect(kept()).toBe(BUDGET);
  expect(await edit(a.id, replies.r4!, `${'€'.repeat(150)}x`)).toMatchObject(refused);
});

it('the count survives a restart', async () => {
  alice.close();
  bob.close();
  await server.stop();
  server = await startServerProcess({ env, dbPath: server.dbPath });
  await connectBoth();

  expect(kept()).toBe(BUDGET);
  expect(await reply('over', a.id, 'x')).toMatchObject(refused);
  expect(await update(a.id, { deleteComment: { id: replies.r4 } })).toMatchObject({ ok: true });
  expect(await reply('r5', a.id, '€'.repeat(150))).toMatchObject({ ok: true });
  expect(await reply('over', a.id, 'x')).toMatchObject(refused);
  expect(kept()).toBe(BUDGET);
}, 30_000);
