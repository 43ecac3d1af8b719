import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { conversationOf, conversationOfCreate, type NewTextChat } from '../../protocol/events.js';
import { normalizePageUrl } from '../../protocol/url.js';

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

/** A writer (Alice) and a viewer on `url`, the viewer's frames and decoded broadcasts recorded from then on. */
async function twoOnPage(url: string) {
  const writer = await connect(server.url, { name: 'Alice' });
  const viewer = await connect(server.url);
  await request(writer.socket, 'page:join', { url });
  await request(viewer.socket, 'page:join', { url });
  const close = () => {
    writer.socket.close();
    viewer.socket.close();
  };
  return { writer, raw: frames(viewer.socket), seen: recorder(viewer.socket), close };
}

/** Bytes on the wire of a received Socket.IO frame: the engine.io type the client strips ("4") + the WebSocket header (server frames are unmasked). */
function wireBytes(frame: string): number {
  const packet = Buffer.byteLength(frame) + 1;
  return packet + (packet < 126 ? 2 : packet < 65536 ? 4 : 10);
}

it('sends a quiet page each event at once, a typical new-text-chat in under 600 bytes on the wire', async () => {
  // The typical conversation of docs/protocol.md on its page, created as the extension does (broadcastId = id).
  const url = 'https://en.wikipedia.org/wiki/Regression_testing';
  const { writer, raw, seen, close } = await twoOnPage(url);
  const chat = typicalChat(url);
  await request(writer.socket, 'text-chat:create', { broadcastId: chat.id, chat });
  await seen.until((e) => e.some((x) => x.event === 'new-text-chat'));
  const frame = raw.find((f) => f.startsWith('2["new-text-chat"'))!;
  expect(JSON.parse(frame.slice(1))[1]).toHaveLength(8); // no trailing broadcastId: it is the id
  expect(wireBytes(frame)).toBeLessThan(600);
  expect(seen.of('new-text-chat')[0]).toMatchObject({ broadcastId: chat.id, id: chat.id, pageKey: 'en.wikipedia.org/wiki/Regression_testing', chat: { target: chat.target, text: chat.text } });
  expect(raw.some((f) => f.includes('text-chat-batch'))).toBe(false);
  close();
});

it('broadcasts a create whose broadcastId is not its id with that broadcastId, as the tuple’s last element', async () => {
  const url = `https://example.com/other-client-${randomUUID()}`;
  const { writer, raw, seen, close } = await twoOnPage(url);
  const chat = typicalChat(url);
  const broadcastId = randomUUID();
  const created = await request(writer.socket, 'text-chat:create', { broadcastId, chat });
  await seen.until((e) => e.some((x) => x.event === 'new-text-chat'));
  const tuple = JSON.parse(raw.find((f) => f.startsWith('2["new-text-chat"'))!.slice(1))[1] as unknown[];
  expect(tuple).toHaveLength(9);
  expect(tuple[8]).toBe(broadcastId);
  const [event] = seen.of('new-text-chat');
  expect(event).toEqual({ broadcastId, seq: 1, pageKey: normalizePageUrl(url), id: chat.id, chat: { target: chat.target, text: chat.text, author: { id: writer.session.user.id, name: 'Alice' }, createdAt: expect.any(Number) } });
  expect(created.ok && conversationOf(event as unknown as NewTextChat)).toEqual(created.ok && conversationOfCreate({ broadcastId, chat }, created));
  close();
});

it('coalesces a busy page into text-chat-batch frames, in seq order, losing nothing', async () => {
  const url = `https://example.com/busy-${randomUUID()}`;
  const { writer, raw, seen, close } = await twoOnPage(url);
  const total = 60;
  const chats = Array.from({ length: total }, () => typicalChat(url));
  await Promise.all(chats.map((chat) => request(writer.socket, 'text-chat:create', { broadcastId: chat.id, chat })));
  await seen.until((e) => e.filter((x) => x.event === 'new-text-chat').length === total, 5_000, `${total} creates`);
  expect(seen.of('new-text-chat').map((p) => p.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  // Batched tuples decode like plain ones: every conversation arrived, each with its own id as broadcastId.
  expect(new Set(seen.of('new-text-chat').map((p) => p.id))).toEqual(new Set(chats.map((c) => c.id)));
  expect(seen.of('new-text-chat').every((p) => p.broadcastId === p.id)).toBe(true);
  const batchFrames = raw.filter((f) => f.startsWith('2["text-chat-batch"'));
  const singleFrames = raw.filter((f) => f.startsWith('2["new-text-chat"'));
  expect(batchFrames.length).toBeGreaterThan(0);
  expect(batchFrames.length + singleFrames.length).toBeLessThan(total / 2);
  close();
});
