import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conversation } from '../../protocol/model.js';
import type { LocalConversation } from '../../protocol/runtime.js';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';
import { connect, conversationsOnServer, recorder, request, typicalChat } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';
import { seeded } from '../support/seeded.js';
import { scopeOf } from '../../extension/background/scope.js';

/**
 * The background service worker's Hub, driven as its tabs drive it, against the real server: what
 * the outbox and the page's joins promise across reconnections and worker restarts.
 */

let server: ServerProcess;
beforeAll(async () => {
  // Batching on with a low threshold, so batch frames (which carry a worker's own changes back) take part.
  server = await startServerProcess({ env: { GLOSS_BATCH_BUSY_PER_SECOND: '5', GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' } });
});
afterAll(async () => server.stop());

const workers: TestWorker[] = [];
function worker(url: string, storage: WorkerStorage, identity: { anonymousId: string; name: string; token?: string }): TestWorker {
  const w = startWorker(url, storage, identity);
  workers.push(w);
  return w;
}
afterAll(() => {
  for (const w of workers) w.stop();
});

function page() {
  const url = `https://example.com/worker-${randomUUID()}`;
  return { url, pageKey: url.replace('https://', '') };
}

it('an edit whose answer was lost with a stopped worker is recognised by the next worker as applied, and the edit made on top of it follows it', async () => {
  const proxy = await startAckDroppingProxy(server.port);
  const { url, pageKey } = page();
  const identity = { anonymousId: randomUUID(), name: 'Ann' };
  const storage = new WorkerStorage();
  try {
    const first = worker(proxy.url, storage, identity);
    const tab = new TestTab(1);
    await first.hub.attach(tab, pageKey, url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const { url: _url, ...chat } = typicalChat(url);
    first.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => storage.outbox.size === 0, 'the create to be confirmed');

    // The next answer is lost, and the worker is stopped before it can reconnect and ask again.
    proxy.dropNextAcks(1);
    tab.onMessage = (message) => {
      if (message.type === 'connection' && message.state !== 'live') first.stop();
    };
    // Two edits made offline-fast on the same view: the second is made on top of the first.
    first.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'one' } } });
    first.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'two' } } });
    await tab.until(() => proxy.dropped === 1 && !first.connection.open, 'the first edit to be applied, its answer lost and the worker stopped');
    expect(storage.outbox.size).toBe(2);
    expect((await conversationsOnServer(server.url, url))[0]!.comments[0]!.text).toBe('one');

    // The browser starts a new worker; the tab's port reconnects to it.
    // The same address as before (the proxy, no longer armed): another server would be another scope.
    const second = worker(proxy.url, storage, identity);
    const again = new TestTab(1);
    await second.hub.attach(again, pageKey, url);
    await again.until(() => storage.outbox.size === 0, 'the outbox to be sent');

    expect(again.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
    const [stored] = await conversationsOnServer(server.url, url);
    expect(stored!.comments[0]!.text).toBe('two');
    expect(stored!.revision).toBe(3);
    await again.until(() => second.hub.pages.get(pageKey)?.view().get(chat.id)?.comments[0]?.text === 'two', 'the tab to show the last edit');
  } finally {
    for (const w of workers) w.stop();
    await proxy.close();
  }
});

it('a tab that opens a page while another tab of it is still loading, and that tab goes away, still gets the page joined', async () => {
  const { url, pageKey } = page();
  const storage = new WorkerStorage();
  const w = worker(server.url, storage, { anonymousId: randomUUID(), name: 'Ben' });
  const deadline = Date.now() + 10_000;
  while (w.connection.live === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(w.connection.live).not.toBeNull();

  const release = storage.holdReads();
  const a = new TestTab(1);
  const b = new TestTab(2);
  const attachedA = w.hub.attach(a, pageKey, url);
  const attachedB = w.hub.attach(b, pageKey, url);
  // Tab 1 is closed while the page is still being read from the cache.
  w.hub.detach(a);
  release();
  await Promise.all([attachedA, attachedB]);
  await b.until(() => b.connection === 'live', 'the remaining tab to be live');
});

it('an update or delete from a tab naming a conversation its page does not show is refused in the worker; one sent while the page loads waits for it', async () => {
  const a = page();
  const b = page();
  const storage = new WorkerStorage();
  const identity = { anonymousId: randomUUID(), name: 'Dee' };
  const first = worker(server.url, storage, identity);
  const tabA = new TestTab(1);
  const tabB = new TestTab(2);
  await first.hub.attach(tabA, a.pageKey, a.url);
  await first.hub.attach(tabB, b.pageKey, b.url);
  await tabA.until(() => tabA.connection === 'live' && tabB.connection === 'live', 'both pages to be live');
  const { url: _url, ...chat } = typicalChat(a.url);
  first.hub.operation(tabA, { type: 'create', broadcastId: chat.id, chat });
  await tabA.until(() => storage.outbox.size === 0, 'the create to be confirmed');

  // Tab B's content script names page A's conversation.
  const edit = { type: 'update' as const, broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'from elsewhere' } } };
  const removal = { type: 'delete' as const, broadcastId: randomUUID(), id: chat.id };
  first.hub.operation(tabB, edit);
  first.hub.operation(tabB, removal);
  const refusals = () => tabB.messages.flatMap((m) => (m.type === 'op-failed' ? [[m.broadcastId, m.error.code]] : []));
  expect(refusals()).toEqual([
    [edit.broadcastId, 'not_found'],
    [removal.broadcastId, 'not_found'],
  ]);
  expect(storage.outbox.size).toBe(0);
  const [stored] = await conversationsOnServer(server.url, a.url);
  expect({ text: stored!.comments[0]!.text, revision: stored!.revision }).toEqual({ text: chat.text, revision: 1 });
  first.stop();

  // A new worker: tab A's port is back before the page's cache is read, and the tab resolves at once.
  const second = worker(server.url, storage, identity);
  const release = storage.holdReads();
  const again = new TestTab(1);
  const attached = second.hub.attach(again, a.pageKey, a.url);
  second.hub.operation(again, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } });
  release();
  await attached;
  await again.until(() => storage.outbox.size === 0 && second.hub.pages.get(a.pageKey)?.state.conversations[chat.id]?.resolved === true, 'the resolve to be confirmed');
  expect(again.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
  expect((await conversationsOnServer(server.url, a.url))[0]!.resolved).toBe(true);
});

it('a tab closed while its page is still being read back by a restarted worker does not strand the page\'s stored ops: they are still sent', async () => {
  const { url, pageKey } = page();
  const storage = new WorkerStorage();
  const identity = { anonymousId: randomUUID(), name: 'Jo' };
  const first = worker(server.url, storage, identity);
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  first.connection.stop();
  const { url: _url, ...pending } = typicalChat(url);
  first.hub.operation(tab, { type: 'create', broadcastId: pending.id, chat: pending });
  await tab.until(() => storage.outbox.size === 1, 'the offline create to be stored');
  first.stop();

  // The next worker: the tab's port comes back and goes again (the tab is closed) before the page is read back.
  const second = worker(server.url, storage, identity);
  const release = storage.holdReads();
  const again = new TestTab(1);
  const attached = second.hub.attach(again, pageKey, url);
  second.hub.detach(again);
  // The page has taken its stored op from the outbox read back at start (what is taken leaves
  // `waiting`), and the socket is up, so its rejoinAll has already looked for stored ops with no page
  // to send them: only this page, still reading its cache with no tab left, can send the op now.
  const waiting = await second.hub.stored.waiting();
  await again.until(() => !waiting.has(pageKey) && second.connection.live !== null, 'the page to take its stored op and the socket to be up');
  release();
  await attached;
  await again.until(() => storage.outbox.size === 0, 'the stored create to be sent', 10_000);
  expect((await conversationsOnServer(server.url, url)).map((c) => c.id)).toEqual([pending.id]);
  expect(await second.hub.hasOutbox()).toBe(false);
});

it('after a switch to another tenant the cached pages and the ops not sent yet are dropped: nothing of one tenant shows in or goes to the other', async () => {
  const { url, pageKey } = page();
  // The page has one conversation for anonymous users (tenant public) and three in tenant acme.
  const outsider = await connect(server.url, { name: 'Outsider' });
  const publicChat = typicalChat(url);
  await request(outsider.socket, 'text-chat:create', { broadcastId: publicChat.id, chat: publicChat });
  const token = await issueToken(server, { tenant: 'acme', user: `eve-${randomUUID()}`, name: 'Eve' });
  const colleague = await connect(server.url, { token: await issueToken(server, { tenant: 'acme', user: 'col', name: 'Col' }) });
  const acmeIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const chat = typicalChat(url);
    acmeIds.push(chat.id);
    await request(colleague.socket, 'text-chat:create', { broadcastId: chat.id, chat });
  }
  outsider.socket.close();
  colleague.socket.close();

  // Anonymous first: the page is cached at public's seq 1, and one create waits in the outbox.
  const storage = new WorkerStorage();
  const anonymousId = randomUUID();
  const first = worker(server.url, storage, { anonymousId, name: 'Eve' });
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && storage.pages.size === 1, 'the public page to be cached');
  first.connection.stop();
  const { url: _url, ...pending } = typicalChat(url);
  first.hub.operation(tab, { type: 'create', broadcastId: pending.id, chat: pending });
  await tab.until(() => storage.outbox.size === 1, 'the offline create to be stored');
  first.stop();

  // The user saves a token of tenant acme; the tab's port reconnects to the new worker.
  const second = worker(server.url, storage, { anonymousId, name: 'Eve', token });
  const again = new TestTab(1);
  await second.hub.attach(again, pageKey, url);
  await again.until(() => again.connection === 'live', 'the acme page to be live');
  const shown = again.messages.flatMap((m) => (m.type === 'snapshot' ? m.conversations.map((c) => c.id) : m.type === 'upsert' ? [m.conversation.id] : []));
  expect(shown).not.toContain(publicChat.id);
  expect(shown).not.toContain(pending.id);
  expect(Object.keys(second.hub.pages.get(pageKey)!.state.conversations).sort()).toEqual([...acmeIds].sort());
  expect(storage.outbox.size).toBe(0);
  expect((await serverViewAs(url, token)).map((c) => c.id).sort()).toEqual([...acmeIds].sort());
  expect((await conversationsOnServer(server.url, url)).map((c) => c.id)).toEqual([publicChat.id]);
});

it('ops dropped at a worker\'s start because the settings now name another account are reported to the tabs of their page as they reconnect, as a live switch reports them', async () => {
  const { url, pageKey } = page();
  const other = page();
  const token = await issueToken(server, { tenant: 'acme', user: `hal-${randomUUID()}`, name: 'Hal' });
  const storage = new WorkerStorage();
  const anonymousId = randomUUID();
  const first = worker(server.url, storage, { anonymousId, name: 'Hal' });
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  first.connection.stop();
  const { url: _url, ...created } = typicalChat(url);
  const resolve = { type: 'update' as const, broadcastId: randomUUID(), id: created.id, changes: { resolved: true } };
  first.hub.operation(tab, { type: 'create', broadcastId: created.id, chat: created });
  first.hub.operation(tab, resolve);
  await tab.until(() => storage.outbox.size === 2, 'the offline ops to be stored');
  first.stop();

  // The user saves a token while the worker is stopped; the next one finds the outbox is the anonymous user's.
  const second = worker(server.url, storage, { anonymousId, name: 'Hal', token });
  const refused = (t: TestTab) => t.messages.flatMap((m) => (m.type === 'op-failed' ? [[m.broadcastId, m.id, m.error.code]] : []));
  const expected = [
    [created.id, created.id, 'unauthorized'],
    [resolve.broadcastId, created.id, 'unauthorized'],
  ];
  // Both tabs of the page were open: each port comes back, one after the other.
  const again = new TestTab(1);
  const twin = new TestTab(2);
  await second.hub.attach(again, pageKey, url);
  await second.hub.attach(twin, pageKey, url);
  for (const t of [again, twin]) {
    expect(refused(t)).toEqual(expected);
    expect(t.messages.find((m) => m.type === 'op-failed' && m.error.code === 'unauthorized')).toMatchObject({ error: { message: expect.stringMatching(/switched/) } });
    // Told before the snapshot that no longer has them, as a live switch tells before it removes them.
    expect(t.messages.findIndex((m) => m.type === 'op-failed')).toBeLessThan(t.messages.findIndex((m) => m.type === 'snapshot'));
  }
  expect(storage.outbox.size).toBe(0);
  // Another page had no dropped op: nothing to tell.
  const elsewhere = new TestTab(3);
  await second.hub.attach(elsewhere, other.pageKey, other.url);
  expect(refused(elsewhere)).toEqual([]);

  // Once every tab of the page that heard of it is closed, a tab opened later is not told again.
  second.hub.detach(again);
  second.hub.detach(twin);
  const later = new TestTab(4);
  await second.hub.attach(later, pageKey, url);
  expect(refused(later)).toEqual([]);
});

it('a token saved while an op waits for a page no tab shows any more: the op is dropped, the page let go, and a tab that opens the page later is told', async () => {
  const { url, pageKey } = page();
  const token = await issueToken(server, { tenant: 'acme', user: `ida-${randomUUID()}`, name: 'Ida' });
  const storage = new WorkerStorage();
  const w = worker(server.url, storage, { anonymousId: randomUUID(), name: 'Ida' });
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  w.connection.stop();
  const { url: _url, ...pending } = typicalChat(url);
  w.hub.operation(tab, { type: 'create', broadcastId: pending.id, chat: pending });
  await tab.until(() => storage.outbox.size === 1, 'the offline create to be stored');
  w.hub.detach(tab);
  expect(w.hub.pages.has(pageKey)).toBe(true);

  await w.useSettings({ serverUrl: server.url, name: 'Ida', token });
  expect(storage.outbox.size).toBe(0);
  expect(w.hub.pages.has(pageKey)).toBe(false);
  const back = new TestTab(2);
  await w.hub.attach(back, pageKey, url);
  expect(back.messages.filter((m) => m.type === 'op-failed')).toEqual([{ type: 'op-failed', broadcastId: pending.id, id: pending.id, error: { code: 'unauthorized', message: expect.stringMatching(/switched/) } }]);
});

it('a token saved while a page is open: its other-tenant conversations leave the tab, its pending op is refused, not sent as the new user', async () => {
  const { url, pageKey } = page();
  const outsider = await connect(server.url, { name: 'Outsider' });
  const publicChat = typicalChat(url);
  await request(outsider.socket, 'text-chat:create', { broadcastId: publicChat.id, chat: publicChat });
  outsider.socket.close();
  const token = await issueToken(server, { tenant: 'acme', user: `fay-${randomUUID()}`, name: 'Fay' });

  const storage = new WorkerStorage();
  const w = worker(server.url, storage, { anonymousId: randomUUID(), name: 'Fay' });
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && w.hub.pages.get(pageKey)?.view().has(publicChat.id) === true, 'the public conversation to show');
  w.connection.stop();
  const { url: _url, ...pending } = typicalChat(url);
  w.hub.operation(tab, { type: 'create', broadcastId: pending.id, chat: pending });
  await tab.until(() => storage.outbox.size === 1, 'the offline create to be stored');

  await w.useSettings({ serverUrl: server.url, name: 'Fay', token });
  await tab.until(() => tab.connection === 'live', 'the acme page to be live');
  const since = (type: string) => tab.messages.filter((m) => m.type === type);
  expect(since('op-failed')).toEqual([{ type: 'op-failed', broadcastId: pending.id, id: pending.id, error: { code: 'unauthorized', message: expect.stringMatching(/switched/) } }]);
  expect(since('remove').map((m) => (m.type === 'remove' ? m.id : null))).toEqual(expect.arrayContaining([publicChat.id, pending.id]));
  expect(w.hub.pages.get(pageKey)!.view().size).toBe(0);
  expect(storage.outbox.size).toBe(0);
  expect(await serverViewAs(url, token)).toEqual([]);
});

it('ops dropped by a switch of account leave nothing behind in the worker: no send count, no outbox position', async () => {
  const { url, pageKey } = page();
  const token = await issueToken(server, { tenant: 'acme', user: `gus-${randomUUID()}`, name: 'Gus' });
  const storage = new WorkerStorage();
  const w = worker(server.url, storage, { anonymousId: randomUUID(), name: 'Gus' });
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  w.connection.stop();
  const { url: _url, ...pending } = typicalChat(url);
  w.hub.operation(tab, { type: 'create', broadcastId: pending.id, chat: pending });
  w.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: pending.id, changes: { resolved: true } });
  const p = w.hub.pages.get(pageKey)!;
  await tab.until(() => storage.outbox.size === 2 && p.records === 2, 'the offline ops to be stored');

  await w.useSettings({ serverUrl: server.url, name: 'Gus', token });
  expect(tab.messages.filter((m) => m.type === 'op-failed')).toHaveLength(2);
  // A worker can live for hours; what it keeps per op must go with the op.
  expect({ ops: p.ops.length, records: p.records, stored: storage.outbox.size }).toEqual({ ops: 0, records: 0, stored: 0 });
});

it('a tab that opens a page while a switch of account is dropping the old data gets the new account\'s page, not the old cache', async () => {
  const { url, pageKey } = page();
  const outsider = await connect(server.url, { name: 'Outsider' });
  const publicChat = typicalChat(url);
  await request(outsider.socket, 'text-chat:create', { broadcastId: publicChat.id, chat: publicChat });
  outsider.socket.close();
  const token = await issueToken(server, { tenant: 'acme', user: `kim-${randomUUID()}`, name: 'Kim' });

  const storage = new WorkerStorage();
  const anonymousId = randomUUID();
  const w = worker(server.url, storage, { anonymousId, name: 'Kim' });
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && storage.pages.size === 1, 'the public page to be cached');
  w.hub.detach(tab);

  // The token is saved; the page is opened again just as the old cache is being emptied.
  let attached: Promise<void> = Promise.resolve();
  const again = new TestTab(2);
  const release = storage.holdReads();
  storage.onClear = async () => {
    attached = w.hub.attach(again, pageKey, url);
    // A negative check, so a wait is its only proof: the old cache is still there for one macrotask
    // turn, which is all a worker that did not wait for the switch would need to read it. This test's
    // storage is plain maps behind promises, so any read the attach starts on its own is made by the
    // time the turn ends; one made then takes the old page, which the expectations below then see.
    await new Promise((r) => setImmediate(r));
  };
  const next = { serverUrl: server.url, name: 'Kim', token };
  const switched = w.useSettings(next);
  await again.until(() => again.messages.length > 0, 'the tab to be attached');
  // The held read is let go once the switch has emptied the cache and taken the new scope (written
  // after the drop); a worker that waits for the switch reads the page only now.
  await again.until(() => storage.scope === scopeOf(next, anonymousId), 'the switch to drop the old data');
  release();
  await switched;
  await attached;
  await again.until(() => again.connection === 'live', 'the acme page to be live');
  const shown = again.messages.flatMap((m) => (m.type === 'snapshot' ? m.conversations.map((c) => c.id) : m.type === 'upsert' ? [m.conversation.id] : []));
  expect(shown).not.toContain(publicChat.id);
  expect(w.hub.pages.get(pageKey)!.view().size).toBe(0);
});

it('two switches of account in quick succession are made one after the other: the data ends up marked as the last account\'s', async () => {
  const storage = new WorkerStorage();
  const anonymousId = randomUUID();
  const w = worker(server.url, storage, { anonymousId, name: 'Lou' });
  await new TestTab(0).until(() => w.connection.live !== null, 'the worker to connect');
  const first = { serverUrl: server.url, name: 'Lou', token: await issueToken(server, { tenant: 'acme', user: `lou-${randomUUID()}`, name: 'Lou' }) };
  const second = { serverUrl: server.url, name: 'Lou', token: await issueToken(server, { tenant: 'acme', user: `lou-${randomUUID()}`, name: 'Lou' }) };
  // The first switch is slow to empty the cache.
  let clears = 0;
  storage.onClear = () => new Promise((r) => setTimeout(r, clears++ === 0 ? 50 : 0));
  const one = w.useSettings(first);
  const two = w.useSettings(second);
  await Promise.all([one, two]);
  expect(storage.scope).toBe(scopeOf(second, anonymousId));
});

async function serverViewAs(url: string, token: string): Promise<Conversation[]> {
  const client = await connect(server.url, { token });
  try {
    return ((await request(client.socket, 'page:join', { url })) as { conversations: Conversation[] }).conversations;
  } finally {
    client.socket.close();
  }
}

it('a sync the server refuses is tried again: the tab reads reconnecting until the change it missed is in', async () => {
  // One operation a second with a burst of two: the worker's join and create use both, so the sync
  // that the lost event calls for is refused (rate_limited) and its retry a second later goes through.
  // Batching off, so that each create reaches the worker as an event of its own.
  const limited = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1', GLOSS_RATE_BURST: '2', GLOSS_BATCH_BUSY_PER_SECOND: '100000' } });
  const proxy = await startAckDroppingProxy(limited.port);
  const writer = await connect(limited.url, { name: 'Writer' });
  const { url, pageKey } = page();
  const storage = new WorkerStorage();
  const w = worker(proxy.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  try {
    const tab = new TestTab(1);
    await w.hub.attach(tab, pageKey, url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const { url: _url, ...own } = typicalChat(url);
    w.hub.operation(tab, { type: 'create', broadcastId: own.id, chat: own });
    await tab.until(() => storage.outbox.size === 0, 'the create to be confirmed');

    const states: string[] = [];
    tab.onMessage = (message) => {
      if (message.type === 'connection') states.push(message.state);
    };
    proxy.loseNextEvents(1);
    const missed = typicalChat(url);
    expect(await request(writer.socket, 'text-chat:create', { broadcastId: missed.id, chat: missed })).toMatchObject({ ok: true });
    await tab.until(() => proxy.lost === 1, 'the event to be lost');
    const next = typicalChat(url);
    expect(await request(writer.socket, 'text-chat:create', { broadcastId: next.id, chat: next })).toMatchObject({ ok: true });

    const shown = () => new Set(tab.messages.flatMap((m) => (m.type === 'upsert' ? [m.conversation.id] : [])));
    await tab.until(() => shown().has(missed.id) && shown().has(next.id), 'the tab to show the missed conversation', 15_000);
    expect(states).toEqual(['reconnecting', 'live']);
    expect(tab.connection).toBe('live');
    expect(w.hub.pages.get(pageKey)?.state.seq).toBe(3);
  } finally {
    w.stop();
    writer.socket.close();
    await proxy.close();
    await limited.stop();
  }
}, 30_000);

it('random operations from several workers, with answers lost, sockets replaced and workers restarted at random, converge: every worker equals the database', async () => {
  const seed = Number(process.env.GLOSS_SEED ?? 20261205);
  const rng = seeded(seed);
  const { url, pageKey } = page();
  const names = ['Ann', 'Ben', 'Cem'];
  const slots = await Promise.all(
    names.map(async (name, i) => {
      const proxy = await startAckDroppingProxy(server.port);
      const storage = new WorkerStorage();
      const identity = { anonymousId: randomUUID(), name };
      const w = worker(proxy.url, storage, identity);
      const tab = new TestTab(i + 1);
      await w.hub.attach(tab, pageKey, url);
      return { name, proxy, storage, identity, w, tab };
    }),
  );
  const log: string[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    for (const s of slots) await s.tab.until(() => s.tab.connection === 'live', `${s.name} live`);
    for (let step = 0; step < 150; step++) {
      const s = slots[rng.int(slots.length)]!;
      const roll = rng.next();
      const view = s.w.hub.pages.get(pageKey)?.view() ?? new Map<string, LocalConversation>();
      const me = s.w.hub.self?.id;
      const chats = [...view.values()];
      const chat = rng.pick(chats);
      if (roll < 0.05) {
        log.push(`${step} ${s.name} drop-next-ack`);
        s.proxy.dropNextAcks(1);
      } else if (roll < 0.08) {
        log.push(`${step} ${s.name} new-socket`);
        s.w.connection.start({ serverUrl: s.proxy.url, name: s.name }, s.identity.anonymousId);
      } else if (roll < 0.1) {
        log.push(`${step} ${s.name} restart-worker`);
        s.w.stop();
        s.w = worker(s.proxy.url, s.storage, s.identity);
        s.tab = new TestTab(s.tab.tabId);
        void s.w.hub.attach(s.tab, pageKey, url);
      } else if (roll < 0.35 || chat === undefined) {
        const { url: _u, ...created } = typicalChat(url);
        log.push(`${step} ${s.name} create ${created.id.slice(0, 8)}`);
        s.w.hub.operation(s.tab, { type: 'create', broadcastId: created.id, chat: created });
      } else if (roll < 0.55) {
        log.push(`${step} ${s.name} reply ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(s.tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: `r${step}` } } });
      } else if (roll < 0.7) {
        const mine = chat.comments.filter((c) => c.author.id === me);
        const comment = rng.pick(mine);
        if (comment === undefined) continue;
        log.push(`${step} ${s.name} edit ${chat.id.slice(0, 8)}@${chat.revision}`);
        s.w.hub.operation(s.tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, baseRevision: chat.revision, changes: { editComment: { id: comment.id, text: `e${step}` } } });
      } else if (roll < 0.82) {
        log.push(`${step} ${s.name} resolve ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(s.tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { resolved: !chat.resolved } });
      } else if (roll < 0.9) {
        const comment = rng.pick(chat.comments.filter((c) => c.author.id === me && c.id !== chat.id));
        if (comment === undefined) continue;
        log.push(`${step} ${s.name} delete-comment ${chat.id.slice(0, 8)}`);
        s.w.hub.operation(s.tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: comment.id } } });
      } else {
        const own = rng.pick(chats.filter((c) => c.author.id === me));
        if (own === undefined) continue;
        log.push(`${step} ${s.name} delete ${own.id.slice(0, 8)}`);
        s.w.hub.operation(s.tab, { type: 'delete', broadcastId: randomUUID(), id: own.id });
      }
      await sleep(rng.int(12));
    }
    for (const s of slots) s.proxy.dropNextAcks(0);
    for (const s of slots) {
      await s.tab.until(() => s.storage.outbox.size === 0 && s.tab.connection === 'live', `${s.name}'s outbox to be sent`, 20_000);
    }
    const truth = await serverState(url);
    if (process.env.GLOSS_VERBOSE) console.log(`seed ${seed}: seq ${truth.seq}, ${truth.conversations.length} live, refused ${slots.map((s) => s.tab.messages.flatMap((m) => (m.type === 'op-failed' ? [m.error.code] : [])).join(',')).join(' / ')}, acks dropped ${slots.map((s) => s.proxy.dropped).join('/')}`);
    for (const s of slots) {
      const p = () => s.w.hub.pages.get(pageKey);
      await s.tab.until(() => p()?.state.seq === truth.seq, `${s.name} to reach seq ${truth.seq} (at ${p()?.state.seq})`, 10_000).catch(() => {});
      expect({ worker: s.name, seq: p()?.state.seq }).toEqual({ worker: s.name, seq: truth.seq });
      expect(comparable(Object.values(p()!.state.conversations))).toEqual(comparable(truth.conversations));
      expect(comparable([...p()!.view().values()])).toEqual(comparable(truth.conversations));
    }
  } catch (err) {
    console.error(`worker convergence failed with GLOSS_SEED=${seed}; last steps:\n${log.slice(-40).join('\n')}`);
    throw err;
  } finally {
    for (const s of slots) {
      s.w.stop();
      await s.proxy.close();
    }
  }
}, 120_000);

async function serverState(url: string): Promise<{ seq: number; conversations: Conversation[] }> {
  const client = await connect(server.url, { name: 'Reader' });
  try {
    return (await request(client.socket, 'page:join', { url })) as { seq: number; conversations: Conversation[] };
  } finally {
    client.socket.close();
  }
}

function comparable(list: readonly Conversation[]) {
  const out: Record<string, { revision: number; resolved: boolean; comments: [string, string][] }> = {};
  for (const c of list) out[c.id] = { revision: c.revision, resolved: c.resolved, comments: c.comments.map((m) => [m.id, m.text]) };
  return out;
}

it('a tab closed while its page waits to retry a join that got no answer leaves the page: the server, which did join it, stops counting the user', async () => {
  const proxy = await startAckDroppingProxy(server.port);
  const { url, pageKey } = page();
  const watcher = await connect(server.url, { name: 'Watcher' });
  const watched = recorder(watcher.socket);
  const w = worker(proxy.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Gone' });
  try {
    await request(watcher.socket, 'page:join', { url });
    const deadline = Date.now() + 10_000;
    while (w.connection.live === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The server joins the page, but its answer is lost: after ACK_TIMEOUT_MS the worker waits to try again.
    proxy.loseNextAcks(1);
    const tab = new TestTab(1);
    await w.hub.attach(tab, pageKey, url);
    await watched.until((e) => e.some((x) => x.event === 'presence' && x.payload.viewers === 2), 5_000, 'the worker to be counted');
    const waits = () => w.hub.pages.get(pageKey)?.status === 'idle' && w.hub.pages.get(pageKey)?.waiting !== null;
    await tab.until(waits, 'the join to time out', 20_000);
    w.hub.detach(tab);
    // The worker's socket stays up (another tab could be open): only a page:leave takes the user off.
    await watched.until((e) => e.at(-1)?.event === 'presence' && e.at(-1)!.payload.viewers === 1, 5_000, 'presence back to 1');
    expect(w.connection.live).not.toBeNull();
  } finally {
    w.stop();
    watcher.socket.close();
    await proxy.close();
  }
}, 30_000);
