import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestPopup, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * A worker turned away because its address is at the server's connection cap (an office behind one
 * NAT address) is not "refused" like a bad token: it keeps trying and goes live once a slot is free.
 * The real worker Hub and ServerConnection on a real socket.io-client socket, against the real server.
 */
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '1' } });
});
afterAll(async () => server.stop());

it('a worker over the per-address cap waits and connects once a slot is free, without reading as refused, and its tabs and popup are told why meanwhile', async () => {
  const { socket: colleague } = await connect(server.url);
  const w = startWorker(server.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' });
  try {
    const tab = new TestTab(1);
    const url = `https://example.com/busy-${randomUUID()}`;
    await w.hub.attach(tab, url.replace('https://', ''), url);
    const popup = new TestPopup(1);
    w.popups.add(popup);
    // Refused, and it tries again by itself (2.5-7.5 s later): a second refusal in the server's log.
    const refusals = () => server.logs.filter((l) => l.includes('"too_many_connections"')).length;
    await expect.poll(refusals, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(w.connection.refused).toBe(false);
    expect(tab.connection).toBe('connecting');
    // Told why, so the bar and the popup can say it is the server's limit, not a fault of theirs.
    expect(tab.reason).toBe('busy');
    expect(popup.states.at(-1)).toMatchObject({ connection: 'connecting', reason: 'busy' });
    // The browser loses its network while the worker waits out the refusal: the tab reads offline,
    // and connecting again (still for the same reason) once the network is back.
    w.connection.offline();
    expect(tab.connection).toBe('offline');
    w.connection.online();
    expect(tab.connection).toBe('connecting');
    expect(tab.reason).toBe('busy');

    colleague.close();
    // Its next try comes 5-15 s after the last refusal.
    await tab.until(() => tab.connection === 'live', 'the page to be live', 30_000);
    expect(w.connection.refused).toBe(false);
    expect(tab.reason).toBeNull();
    await popup.until((s) => s.connection === 'live' && s.reason === null, 'the popup to read live, with no reason');
  } finally {
    w.stop();
  }
}, 60_000);
