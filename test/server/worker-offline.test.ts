import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, conversationsOnServer, recorder, request, typicalChat } from '../support/clients.js';
import { startNetworkGate } from '../support/network-gate.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * When the browser says it has no network (`ServerConnection.offline()`, called by online.ts), the
 * worker drops its socket at once instead of waiting for the unanswered ping, its tabs read
 * `offline`, what the user does waits in the outbox, and it does not hammer the dead network. The
 * real worker Hub and ServerConnection on a real socket.io-client socket, the real server behind a
 * gate that stands for the network: `stall()` is a network lost as Chromium shows it (the open
 * connection is not closed, its bytes go nowhere until the link is back).
 */

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('offline, the socket is dropped at once and the tab reads offline; a create sent into the dead link and a reply made offline go in once each when it is back', async () => {
  const network = await startNetworkGate(server.port);
  const storage = new WorkerStorage();
  const w = startWorker(network.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  const bob = (await connect(server.url, { name: 'Bob' })).socket;
  try {
    const url = `https://example.com/offline-${randomUUID()}`;
    const heard = recorder(bob);
    expect((await request(bob, 'page:join', { url })).ok).toBe(true);
    const tab = new TestTab(1);
    await w.hub.attach(tab, url.replace('https://', ''), url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');

    network.stall();
    // Sent on a socket that still looks connected: its bytes are held in the dead link.
    const { url: _url, ...chat } = typicalChat(url);
    w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => storage.outbox.size === 1, 'the create in the outbox');

    w.connection.offline();
    // At once, not when the ping goes unanswered 10-20 s later.
    expect(tab.connection).toBe('offline');
    expect(w.connection.live).toBeNull();
    const attemptsBefore = network.connections;

    const reply = { id: randomUUID(), text: 'Written offline.' };
    w.hub.operation(tab, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: reply } });
    await tab.until(() => storage.outbox.size === 2, 'the reply in the outbox');
    // The backoff would have tried at 0.5, 1.5 and 3.5 s (±50 %); offline it is the probe's first attempt alone.
    await sleep(4_000);
    expect(network.connections - attemptsBefore).toBe(1);
    expect(tab.connection).toBe('offline');

    // The link is back: the held create reaches the server on the old connection, and the worker
    // sends it again on the new one (it cannot know): the server takes the repeat as a duplicate.
    network.up();
    w.connection.online();
    expect(tab.connection).toBe('reconnecting');
    await tab.until(() => tab.connection === 'live' && storage.outbox.size === 0, 'the page live and the outbox sent', 20_000);
    await heard.until((all) => all.some((e) => e.event === 'updated-text-chat'), 5_000, 'the reply');
    expect(heard.of('new-text-chat').map((p) => p.id)).toEqual([chat.id]);
    expect(heard.of('updated-text-chat').map((p) => (p.addComment as { id: string } | undefined)?.id)).toEqual([reply.id]);
    const [onServer, ...others] = await conversationsOnServer(server.url, url);
    expect(others).toEqual([]);
    expect(onServer?.comments.map((c) => c.text)).toEqual([chat.text, reply.text]);
    expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
  } finally {
    bob.close();
    w.stop();
    await network.close();
  }
}, 60_000);

it('a worker that starts while the browser is offline reads offline, not connecting, tries only the probe, and connects when the network is back', async () => {
  const network = await startNetworkGate(server.port);
  network.down();
  const w = startWorker(network.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  // As index.ts: watchOnline says so before the socket starts.
  w.connection.offline();
  try {
    const tab = new TestTab(1);
    const url = `https://example.com/offline-start-${randomUUID()}`;
    await w.hub.attach(tab, url.replace('https://', ''), url);
    await sleep(4_000);
    expect(network.connections).toBe(1);
    expect(tab.messages.filter((m) => m.type === 'connection').map((m) => m.type === 'connection' && m.state)).not.toContain('connecting');
    expect(tab.connection).toBe('offline');

    network.up();
    w.connection.online();
    await tab.until(() => tab.connection === 'live', 'the page to be live', 20_000);
  } finally {
    w.stop();
    await network.close();
  }
}, 60_000);

it('offline with the server still reachable (one on loopback, which needs no network): the probe’s first attempt connects, the tab reads live, and a later drop is reconnected to with the usual backoff, not the probe', async () => {
  const network = await startNetworkGate(server.port);
  const w = startWorker(network.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  try {
    const tab = new TestTab(1);
    const url = `https://example.com/offline-loopback-${randomUUID()}`;
    await w.hub.attach(tab, url.replace('https://', ''), url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    w.connection.offline();
    expect(tab.connection).toBe('offline');
    await tab.until(() => tab.connection === 'live', 'the page to be live again, while offline');

    // The server restarts, say: this one is known to need no network, so the tabs read reconnecting
    // and the backoff's first attempts (0.5 s, 1 s, ±50 %) find it, not the probe's 15-45 s.
    network.down();
    await tab.until(() => tab.connection !== 'live', 'the drop to be noticed');
    expect(tab.connection).toBe('reconnecting');
    network.up();
    await tab.until(() => tab.connection === 'live', 'the page to be live again, before the probe could', 10_000);
  } finally {
    w.stop();
    await network.close();
  }
}, 30_000);
