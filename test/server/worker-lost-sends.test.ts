import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_LOST_SENDS, MAX_TRIES } from '../../extension/background/outbox-rules.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { conversationsOnServer, typicalChat } from '../support/clients.js';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * An op's sends that were lost with their connection (the network dropped, the server restarted)
 * are not the op's failures: only what the server itself did with it (an error answer, no answer
 * on a connection that stayed up) counts towards MAX_TRIES. The real worker Hub, the real server,
 * and a proxy that cuts the connection as the op goes out.
 */

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

async function openPage(serverUrl: string) {
  const url = `https://example.com/lost-sends-${randomUUID()}`;
  const storage = new WorkerStorage();
  const w = startWorker(serverUrl, storage, { anonymousId: randomUUID(), name: 'Ann' });
  const tab = new TestTab(1);
  await w.hub.attach(tab, url.replace('https://', ''), url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  return { url, storage, w, tab };
}

it('a create whose sends were lost with the connection MAX_TRIES times is not refused after one more unanswered send: it goes in, once', async () => {
  const proxy = await startAckDroppingProxy(server.port);
  const { url, storage, w, tab } = await openPage(proxy.url);
  try {
    // Six flaky reconnections, each as the create goes out; then its answer alone is lost on a connection that stays up.
    proxy.cutNextSends('text-chat:create', MAX_TRIES);
    proxy.loseAnswerToNext('text-chat:create');
    const { url: _url, ...chat } = typicalChat(url);
    w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => storage.outbox.size === 0, 'the create to leave the outbox', 45_000);
    expect({ cut: proxy.cut, lost: proxy.lost }).toEqual({ cut: MAX_TRIES, lost: 1 });
    expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
    expect((await conversationsOnServer(server.url, url)).map((c) => c.id)).toEqual([chat.id]);
  } finally {
    w.stop();
    await proxy.close();
  }
}, 60_000);

it('a create whose every send is lost with the connection (as if it crashed the server) is refused after MAX_LOST_SENDS sends, not sent at every reconnection forever', async () => {
  const proxy = await startAckDroppingProxy(server.port);
  const { url, storage, w, tab } = await openPage(proxy.url);
  try {
    proxy.cutNextSends('text-chat:create', Number.MAX_SAFE_INTEGER);
    const { url: _url, ...chat } = typicalChat(url);
    w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => tab.messages.some((m) => m.type === 'op-failed'), 'the create to be refused', 90_000);
    expect(proxy.cut).toBe(MAX_LOST_SENDS);
    expect(tab.messages.filter((m) => m.type === 'op-failed').map((m) => m.type === 'op-failed' && m.error.message)).toEqual(['The connection to the server dropped every time this was sent']);
    await tab.until(() => storage.outbox.size === 0 && tab.connection === 'live', 'the outbox empty and the page live');
    expect(await conversationsOnServer(server.url, url)).toEqual([]);
  } finally {
    w.stop();
    await proxy.close();
  }
}, 120_000);
