import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startNetworkGate } from '../support/network-gate.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * When the browser says the network is back (`online`), the worker reconnects then, not when its
 * reconnection delay runs out (up to 45 s at the cap). The real worker Hub and ServerConnection on
 * a real socket.io-client socket, the real server behind a gate that stands for the network.
 */

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

it('a worker waiting out a long reconnection delay reconnects when the browser says it is online, without waiting for the delay', async () => {
  const network = await startNetworkGate(server.port);
  const w = startWorker(network.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  try {
    const tab = new TestTab(1);
    const url = `https://example.com/online-${randomUUID()}`;
    await w.hub.attach(tab, url.replace('https://', ''), url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const manager = w.connection.live!.io;
    let failed = 0;
    let attempts = 0;
    manager.on('reconnect_error', () => failed++);
    manager.on('reconnect_attempt', () => attempts++);

    network.down();
    await tab.until(() => tab.connection === 'reconnecting', 'the tab to read reconnecting');
    // After five failed attempts the next one is 16 s ±50 % away: at least 8 s.
    await tab.until(() => failed >= 5, 'five failed reconnection attempts', 40_000);
    const attemptsBefore = attempts;

    network.up();
    w.connection.online();
    await tab.until(() => tab.connection === 'live', 'the page to be live again', 50_000);
    // Live again by the online signal's attempt, not by one of the backoff's.
    expect(attempts - attemptsBefore).toBe(0);
  } finally {
    w.stop();
    await network.close();
  }
}, 90_000);
