import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { closedPort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestPopup, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * A refusal that arrives while the connection already reads `offline` is news all the same: the
 * server was down (offline, no reason), then it comes back and turns the token away (offline,
 * refused). The state is the same word; the tabs and the popup must still hear why.
 * The real worker Hub and ServerConnection on a real socket.io-client socket, against the real server.
 */
let server: ServerProcess | null = null;
afterAll(async () => server?.stop());

it('offline with the server down, then refused by the server that came back: tabs and popup are told the refusal', async () => {
  // Nothing listens there yet: the server is started on it later.
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const w = startWorker(url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann', token: 'not-a-token-this-server-issued' });
  try {
    const tab = new TestTab(1);
    const page = `https://example.com/refused-${randomUUID()}`;
    await w.hub.attach(tab, page.replace('https://', ''), page);
    const popup = new TestPopup(1);
    w.popups.add(popup);
    await tab.until(() => tab.connection === 'offline', 'the unreachable server to read offline');
    expect(tab.reason).toBeNull();

    server = await startServerProcess({ port });
    // Socket.IO keeps retrying (backoff from 0.5 s); the server turns the token away at its next try.
    await tab.until(() => w.connection.refused, 'the server to refuse the token', 20_000);
    await tab.until(() => tab.reason === 'refused', 'the tab to be told the refusal');
    expect(tab.connection).toBe('offline');
    await popup.until((s) => s.connection === 'offline' && s.reason === 'refused', 'the popup to be told the refusal');
  } finally {
    w.stop();
  }
}, 40_000);
