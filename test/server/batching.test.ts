import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_BATCH_BUSY_PER_SECOND: '10', GLOSS_BATCH_WINDOW_MS: '30' } });
});
afterAll(async () => server.stop());

function frames(socket: TestSocket) {
  const seen: string[] = [];
  socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
    if (p.type === 'message' && typeof p.data === 'string') seen.push(p.data);
  });
  return seen;
}

it('sends a quiet page each event at once, in a frame under 1 KB for a typical conversation', async () => {
  const url = `https://example.com/quiet-${randomUUID()}`;
  const a = await connect(server.url);
  const b = await connect(server.url);
  await request(a.socket, 'page:join', { url });
  await request(b.socket, 'page:join', { url });
  const raw = frames(b.socket);
  const seen = recorder(b.socket);
  await request(a.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) });
  await seen.until((e) => e.some((x) => x.event === 'new-text-chat'));
  const frame = raw.find((f) => f.startsWith('2["new-text-chat"'))!;
  // +1 for the engine.io packet type the client strips ("4").
  expect(Buffer.byteLength(frame) + 1).toBeLessThan(1024);
  expect(raw.some((f) => f.includes('text-chat-batch'))).toBe(false);
  a.socket.close();
  b.socket.close();
});

it('coalesces a busy page into text-chat-batch frames, in seq order, losing nothing', async () => {
  const url = `https://example.com/busy-${randomUUID()}`;
  const writer = await connect(server.url);
  const viewer = await connect(server.url);
  await request(writer.socket, 'page:join', { url });
  await request(viewer.socket, 'page:join', { url });
  const raw = frames(viewer.socket);
  const seen = recorder(viewer.socket);
  const total = 60;
  await Promise.all(Array.from({ length: total }, () => request(writer.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) })));
  await seen.until((e) => e.filter((x) => x.event === 'new-text-chat').length === total, 5_000, `${total} creates`);
  expect(seen.of('new-text-chat').map((p) => p.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  const batchFrames = raw.filter((f) => f.startsWith('2["text-chat-batch"'));
  const singleFrames = raw.filter((f) => f.startsWith('2["new-text-chat"'));
  expect(batchFrames.length).toBeGreaterThan(0);
  expect(batchFrames.length + singleFrames.length).toBeLessThan(total / 2);
  writer.socket.close();
  viewer.socket.close();
});
