import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DirectFrameAdapter } from '../../server/realtime/direct-frame-adapter.js';
import { meteredParser } from '../../server/realtime/wire-encoder.js';

/**
 * The broadcast path that writes finished WebSocket frames past Engine.IO's queue
 * (server/realtime/direct-frame-adapter.ts), with the server's own parser, against real
 * socket.io-client sockets: every frame size decodes, the excluded socket gets nothing, a socket's own
 * packets (acknowledgements) take the path too, and nothing overtakes what Engine.IO still holds for a
 * socket.
 */
let io: Server;
let url: string;
const clients: ClientSocket[] = [];
beforeAll(async () => {
  const httpServer = http.createServer();
  io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false, parser: meteredParser, adapter: DirectFrameAdapter });
  io.on('connection', (socket) => void socket.join(String(socket.handshake.auth.room)));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await io.close();
});

async function join(room: string): Promise<ClientSocket> {
  const socket = connectClient(url, { transports: ['websocket'], auth: { room }, forceNew: true, reconnection: false });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  return socket;
}
const adapter = () => io.of('/').adapter as unknown as DirectFrameAdapter;
const received = (socket: ClientSocket, n: number) =>
  new Promise<unknown[]>((resolve) => {
    const got: unknown[] = [];
    socket.on('m', (v: unknown) => got.push(v) === n && resolve(got));
  });

it('frames of every header size reach the room, the excluded socket gets none', async () => {
  const [a, b, c] = [await join('sizes'), await join('sizes'), await join('sizes')];
  // Payload lengths around the 7-bit, 16-bit and 64-bit length encodings, with multi-byte characters.
  const payloads = [1, 118, 119, 120, 65_520, 65_530, 70_000].map((n) => 'é'.repeat(Math.floor(n / 4)) + 'x'.repeat(n - 2 * Math.floor(n / 4)));
  const atB = received(b!, payloads.length);
  const atC = received(c!, payloads.length);
  let atA = 0;
  a!.on('m', () => atA++);
  const before = adapter().directDeliveries;
  for (const p of payloads) {
    io.to('sizes').except(a!.id!).emit('m', p);
    await new Promise((r) => setImmediate(r));
  }
  expect(await atB).toEqual(payloads);
  expect(await atC).toEqual(payloads);
  expect(atA).toBe(0);
  expect(adapter().directDeliveries - before).toBe(2 * payloads.length);
});

it('sockets of several excluded rooms all get nothing, the others get the frame', async () => {
  const [a, b, c, d] = [await join('multi'), await join('multi'), await join('multi'), await join('multi')];
  const [atC, atD] = [received(c!, 1), received(d!, 1)];
  let excluded = 0;
  for (const s of [a!, b!]) s.on('m', () => excluded++);
  io.to('multi').except([a!.id!, b!.id!]).emit('m', 'not for a or b');
  expect(await atC).toEqual(['not for a or b']);
  expect(await atD).toEqual(['not for a or b']);
  // Frames arrive in order: once a and b hold the next frame, an excluded one would have come before it.
  const [nextA, nextB] = [received(a!, 1), received(b!, 1)];
  io.to('multi').emit('m', 'for all');
  await Promise.all([nextA, nextB]);
  expect(excluded).toBe(2);
});

/** The parts of an Engine.IO connection that say whether it holds anything for its socket. */
interface HeldConnection {
  writeBuffer: unknown[];
  transport: { writable: boolean; once(event: 'ready', listener: () => void): void };
}

/**
 * Resolves once Engine.IO holds nothing for the connection: its transport's last write completed
 * (the transport says `ready` each time one does, and sends what was queued meanwhile) and nothing
 * is queued behind it. It is what the adapter checks before writing a frame itself.
 */
async function nothingHeld(conn: HeldConnection): Promise<void> {
  while (!conn.transport.writable || conn.writeBuffer.length > 0) await new Promise<void>((resolve) => conn.transport.once('ready', resolve));
}

it('a broadcast or a socket\'s own packet waits behind what Engine.IO still holds for the socket', async () => {
  const a = await join('order');
  const got = received(a, 7);
  const socket = io.of('/').sockets.get(a.id!)!;
  const [broadcasts, own] = [adapter().directDeliveries, adapter().directOwnPackets];
  // A volatile emit takes Engine.IO's own path, which makes the transport busy until its write
  // completes (the next tick): everything after it in this same tick must queue behind it.
  socket.volatile.emit('m', 1);
  io.to('order').emit('m', 2);
  socket.emit('m', 3);
  io.to('order').emit('m', 4);
  const queued = adapter().directDeliveries - broadcasts + adapter().directOwnPackets - own;
  await nothingHeld(socket.conn as unknown as HeldConnection);
  // Later, with nothing held, both go direct, in the order they were written.
  io.to('order').emit('m', 5);
  socket.emit('m', 6);
  io.to('order').emit('m', 7);
  expect(await got).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(queued).toBe(0);
  expect(adapter().directDeliveries - broadcasts).toBe(2);
  expect(adapter().directOwnPackets - own).toBe(1);
});

it('acknowledgements go direct and reach the caller', async () => {
  const a = await join('acks');
  io.of('/').sockets.get(a.id!)!.on('echo', (v: unknown, ack: (v: unknown) => void) => ack({ echoed: v }));
  const own = adapter().directOwnPackets;
  const answers = await Promise.all([1, 2, 3].map((n) => a.timeout(2000).emitWithAck('echo', 'é'.repeat(n * 100))));
  expect(answers).toEqual([1, 2, 3].map((n) => ({ echoed: 'é'.repeat(n * 100) })));
  expect(adapter().directOwnPackets - own).toBe(3);
});

/** The `net.Socket` under a server-side connection, and a count of its writes by number of frames. */
function tcpOf(id: string) {
  const conn = (io.of('/').sockets.get(id) as unknown as { conn: { transport: { socket: { _socket: import('node:net').Socket } } } }).conn;
  const tcp = conn.transport.socket._socket as import('node:net').Socket & { _writev(chunks: unknown[], cb: unknown): void; _write(chunk: unknown, enc: unknown, cb: unknown): void };
  const writes: number[] = [];
  const [writev, write] = [tcp._writev.bind(tcp), tcp._write.bind(tcp)];
  tcp._writev = (chunks, cb) => void (writes.push(chunks.length), writev(chunks, cb));
  tcp._write = (chunk, enc, cb) => void (writes.push(1), write(chunk, enc, cb));
  return { tcp, writes };
}

it('frames written to one connection in the same tick leave in one write, in order, whatever path each took', async () => {
  const a = await join('burst');
  const got = received(a, 5);
  const socket = io.of('/').sockets.get(a.id!)!;
  const { tcp, writes } = tcpOf(a.id!);
  io.to('burst').emit('m', 1);
  socket.emit('m', 2);
  io.to('burst').emit('m', 3);
  // Held until the tick ends: nothing has reached the kernel yet.
  expect(tcp.writableCorked).toBe(1);
  expect(writes).toEqual([]);
  await new Promise((r) => process.nextTick(r));
  expect(tcp.writableCorked).toBe(0);
  expect(writes).toEqual([3]);
  // A volatile emit takes Engine.IO's queue; the direct frames of the same tick stay behind it.
  socket.volatile.emit('m', 4);
  io.to('burst').emit('m', 5);
  expect(await got).toEqual([1, 2, 3, 4, 5]);
});

it('a frame written just before the server disconnects the socket still arrives', async () => {
  const a = await join('closing');
  const got = received(a, 1);
  const gone = new Promise<string>((resolve) => a.once('disconnect', resolve));
  io.to('closing').emit('m', 'last words');
  io.of('/').sockets.get(a.id!)!.disconnect(true);
  expect(await got).toEqual(['last words']);
  expect(await gone).toBe('io server disconnect');
});
