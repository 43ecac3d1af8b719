import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackgroundToContent } from '../../protocol/runtime.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat, type TestSocket } from '../support/clients.js';
import { parseBackgroundMessage } from '../../extension/popup/tab-state.js';
import { startWorker, TestPopup, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * What is new to the user since their last visit to a page (background/visit.ts): the real worker
 * Hub with its cache (the harness's storage), against the real server, and other users on real
 * socket.io-client sockets. A visit is a tab attaching and the last one detaching.
 */

let server: ServerProcess;
const workers: TestWorker[] = [];
const sockets: TestSocket[] = [];
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  for (const w of workers) w.stop();
  for (const s of sockets) s.close();
  await server.stop();
});

function page() {
  const url = `https://example.com/new-since-${randomUUID()}`;
  return { url, pageKey: url.replace('https://', '') };
}

async function client(name: string, anonymousId = randomUUID()): Promise<TestSocket> {
  const { socket } = await connect(server.url, { name, anonymousId });
  sockets.push(socket);
  return socket;
}

/** A conversation started by `socket`'s user; its id and its first comment's. */
async function create(socket: TestSocket, url: string): Promise<string> {
  const chat = typicalChat(url);
  expect((await request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);
  return chat.id;
}

async function reply(socket: TestSocket, id: string, text = 'A reply.'): Promise<void> {
  expect((await request(socket, 'text-chat:update', { broadcastId: randomUUID(), id, changes: { addComment: { id: randomUUID(), text } } })).ok).toBe(true);
}

const unseenOf = (tab: TestTab) => tab.messages.filter((m): m is Extract<BackgroundToContent, { type: 'unseen' }> => m.type === 'unseen');

/** A tab of the page, open until the page is live and its marks told; returns them by id. */
async function visit(w: TestWorker, tabId: number, url: string, pageKey: string): Promise<{ tab: TestTab; unseen: Record<string, string> }> {
  const tab = new TestTab(tabId);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && unseenOf(tab).length > 0, 'the page to be live with its marks');
  expect(unseenOf(tab)).toHaveLength(1);
  return { tab, unseen: Object.fromEntries(unseenOf(tab)[0]!.conversations.map((c) => [c.id, c.kind])) };
}

/** The tab leaves once the cache holds what it saw: the last tab of the page, the visit ends. */
async function leave(w: TestWorker, tab: TestTab, storage: WorkerStorage, pageKey: string): Promise<void> {
  const seq = w.hub.pages.get(pageKey)!.seq;
  await tab.until(() => storage.cached(pageKey)?.seq === seq, 'the cache to hold the visit');
  w.hub.detach(tab);
  expect(w.hub.pages.has(pageKey)).toBe(false);
}

it('a first visit marks nothing, though the page has conversations: there is nothing to compare with', async () => {
  const { url, pageKey } = page();
  const ben = await client('Ben');
  await create(ben, url);
  const w = startWorker(server.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  workers.push(w);
  const { unseen } = await visit(w, 1, url, pageKey);
  expect(unseen).toEqual({});
});

it('back on a page, what others started and replied to since is marked, and nothing of the user\'s own, of edits or of what came live', async () => {
  const { url, pageKey } = page();
  const annId = randomUUID();
  const ben = await client('Ben');
  const benOld = await create(ben, url);
  const benQuiet = await create(ben, url);
  const benEdited = await create(ben, url);
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, { anonymousId: annId, name: 'Ann' });
  workers.push(w);
  const first = await visit(w, 1, url, pageKey);
  expect(first.unseen).toEqual({});
  // Ann's own conversation, made through the worker during the visit.
  const { url: _url, ...mine } = typicalChat(url);
  w.hub.operation(first.tab, { type: 'create', broadcastId: mine.id, chat: mine });
  await first.tab.until(() => storage.outbox.size === 0 && w.hub.pages.get(pageKey)!.state.conversations[mine.id] !== undefined, 'her conversation to be confirmed');
  // Arrives live while the page is open: seen as it comes, not marked later.
  const live = await create(ben, url);
  await first.tab.until(() => w.hub.pages.get(pageKey)!.view().has(live), 'the live one to arrive');
  await leave(w, first.tab, storage, pageKey);

  // While Ann is away: Ben starts one, replies to an old one, edits another; Ann, on another device
  // (the same user), starts one and replies to her own and to one of Ben's.
  const benNew = await create(ben, url);
  await reply(ben, benOld);
  const edited = typicalChat(url);
  expect((await request(ben, 'text-chat:update', { broadcastId: randomUUID(), id: benEdited, changes: { editComment: { id: benEdited, text: `${edited.text} (edited)` } } })).ok).toBe(true);
  const annElsewhere = await client('Ann', annId);
  const annNew = await create(annElsewhere, url);
  await reply(annElsewhere, mine.id);
  await reply(annElsewhere, benQuiet);

  const back = await visit(w, 2, url, pageKey);
  expect(back.unseen).toEqual({ [benNew]: 'new', [benOld]: 'replies' });
  expect(w.hub.pages.get(pageKey)!.view().has(annNew)).toBe(true);

  // Ann opens Ben's new one in that tab; another tab of the page, opened later in the same visit,
  // marks only the other. A reply arriving live meanwhile is not marked either.
  w.hub.seen(back.tab, benNew);
  await reply(ben, benQuiet, 'Live reply.');
  await back.tab.until(() => w.hub.pages.get(pageKey)!.view().get(benQuiet)!.comments.length === 3, 'the live reply to arrive');
  const second = await visit(w, 3, url, pageKey);
  expect(second.unseen).toEqual({ [benOld]: 'replies' });
  // The tab already open was told once: its marks are its own for the visit.
  expect(unseenOf(back.tab)).toHaveLength(1);

  // The next visit compares with what this one ended with: nothing new since.
  w.hub.detach(second.tab);
  await leave(w, back.tab, storage, pageKey);
  const again = await visit(w, 4, url, pageKey);
  expect(again.unseen).toEqual({});
});

/** Ann visits a page and leaves, Ben starts a conversation, Ann is back (tab 2): it is marked new. */
async function backToOneNew(identity: { anonymousId: string; name: string }) {
  const { url, pageKey } = page();
  const ben = await client('Ben');
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, identity);
  workers.push(w);
  const first = await visit(w, 1, url, pageKey);
  await leave(w, first.tab, storage, pageKey);
  const benNew = await create(ben, url);
  const back = await visit(w, 2, url, pageKey);
  expect(back.unseen).toEqual({ [benNew]: 'new' });
  return { url, pageKey, ben, storage, w, back, benNew };
}

it('the popup of a tab back on the page says how many are new, pushed as the marks are made and again as each is opened', async () => {
  const { url, pageKey } = page();
  const ben = await client('Ben');
  const benOld = await create(ben, url);
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  workers.push(w);
  const first = await visit(w, 1, url, pageKey);
  await leave(w, first.tab, storage, pageKey);
  const benNew = await create(ben, url);
  await reply(ben, benOld);

  // The popup is open on tab 2 before Gloss starts there: what it says follows, unasked.
  const popup = new TestPopup(2);
  w.popups.add(popup);
  await popup.until((s) => s.page === 'unsupported', 'the state of a tab with no script');
  const back = await visit(w, 2, url, pageKey);
  expect(back.unseen).toEqual({ [benNew]: 'new', [benOld]: 'replies' });
  expect(await popup.until((s) => s.unseen === 2, 'the two marks')).toMatchObject({ page: 'annotatable', conversations: 2, unseen: 2 });

  // Opened in the tab: one fewer, and none once both are.
  w.hub.seen(back.tab, benNew);
  expect(await popup.until((s) => s.unseen === 1, 'one opened')).toMatchObject({ conversations: 2, unseen: 1 });
  w.hub.seen(back.tab, benOld);
  await popup.until((s) => s.unseen === 0, 'both opened');
  // Each state pushed is one the popup accepts (extension/popup/tab-state.ts checks them on receipt).
  for (const m of popup.messages) expect(parseBackgroundMessage(m)).toEqual(m);
  w.popups.remove(popup);
});

it('a `seen` for a conversation of another page changes nothing on this one', async () => {
  const { url, pageKey, w, benNew } = await backToOneNew({ anonymousId: randomUUID(), name: 'Ann' });
  const other = page();
  // Said over a port of another page: filed under that one, from the port, never from the message.
  const elsewhere = await visit(w, 3, other.url, other.pageKey);
  w.hub.seen(elsewhere.tab, benNew);
  const later = await visit(w, 4, url, pageKey);
  expect(later.unseen).toEqual({ [benNew]: 'new' });
});

it('a worker stopped mid-visit begins again from the cache as it finds it: its tabs are told only what changed while it was down', async () => {
  const identity = { anonymousId: randomUUID(), name: 'Ann' };
  const { url, pageKey, ben, storage, w, back } = await backToOneNew(identity);
  // The cache holds the visit; the browser stops the worker, Ben writes meanwhile, and the tab's port reconnects to a new one.
  const seq = w.hub.pages.get(pageKey)!.seq;
  await back.tab.until(() => storage.cached(pageKey)?.seq === seq, 'the cache to hold the visit');
  w.stop();
  const whileDown = await create(ben, url);
  const restarted = startWorker(server.url, storage, identity);
  workers.push(restarted);
  const reconnected = await visit(restarted, 2, url, pageKey);
  // The tab keeps the marks it had (content/state/unseen.ts takes the first list only).
  expect(reconnected.unseen).toEqual({ [whileDown]: 'new' });
});
