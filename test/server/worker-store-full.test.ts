import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, conversationsOnServer, request, typicalChat, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestTab, WorkerStorage } from '../support/worker.js';

/**
 * The extension's worker (the real Hub and outbox) against a server whose database is full
 * (GLOSS_DB_MAX_MB=1, filled for real by another client): its create is refused `store_full`, which
 * is final at once (outbox-rules.ts): the tab is told, the op leaves the outbox, and it is not sent
 * again. Retried as `internal` is, it would stay in the outbox for six sends over half a minute.
 */
const LONG = 'x'.repeat(10_000);
let server: ServerProcess;
let filler: TestSocket;

beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_DB_MAX_MB: '1', GLOSS_RATE_PER_SECOND: '10000', GLOSS_RATE_BURST: '10000' } });
  filler = (await connect(server.url, { name: 'Filler' })).socket;
  const url = `https://example.com/filler-${randomUUID()}`;
  for (let i = 0; i < 1_000; i++) {
    const chat = { ...typicalChat(url), text: LONG };
    if (!((await request(filler, 'text-chat:create', { broadcastId: chat.id, chat })) as { ok: boolean }).ok) return;
  }
  throw new Error('1,000 conversations of 10,000 characters fitted in 1 MiB');
}, 60_000);
afterAll(async () => {
  filler.close();
  await server.stop();
});

it('a create refused store_full is reported to its tab at once and leaves the outbox, with nothing stored', async () => {
  const url = `https://example.com/full-${randomUUID()}`;
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  try {
    const tab = new TestTab(1);
    await w.hub.attach(tab, url.replace('https://', ''), url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const { url: _url, ...chat } = { ...typicalChat(url), text: LONG };
    w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => tab.messages.some((m) => m.type === 'op-failed'), 'the create to be refused');
    expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([
      { type: 'op-failed', broadcastId: chat.id, id: chat.id, error: { code: 'store_full', message: expect.stringMatching(/nothing was changed/) } },
    ]);
    await tab.until(() => storage.outbox.size === 0, 'the outbox to be empty');
    expect(await conversationsOnServer(server.url, url)).toEqual([]);
  } finally {
    w.stop();
  }
}, 30_000);
