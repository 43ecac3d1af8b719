import { afterEach, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Broadcaster } from '../../server/realtime/broadcaster.js';
import { UsageMeter } from '../../server/realtime/usage-meter.js';
import { roomOf } from '../../server/realtime/rooms.js';
import { meteredParser } from '../../server/realtime/wire-encoder.js';
import { useTempStore } from '../support/temp-store.js';

const temp = useTempStore('gloss-broadcaster-');
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

it('keeps no rate for rooms nobody is in, and still delivers to a room with a member', async () => {
  const http = createServer();
  const io = new Server(http, { parser: meteredParser });
  closers.push(() => void io.close());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const meter = new UsageMeter(temp.store());
  const broadcaster = new Broadcaster(io, meter, { busyPerSecond: 84, windowMs: 24 });

  io.on('connection', (socket) => void socket.join(roomOf('public', 'page-watched')));
  const client: Socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ['websocket'] });
  closers.push(() => void client.close());
  const received = new Promise<unknown>((resolve) => client.on('deleted-text-chat' as never, resolve));
  await new Promise<void>((resolve) => client.on('connect', resolve));
  // The room has its member (what the publish below needs), not a fixed 50 ms after the connect.
  await vi.waitFor(() => expect(io.of('/').adapter.rooms.get(roomOf('public', 'page-watched'))?.size).toBe(1), { timeout: 10_000, interval: 10 });

  const deleted = { seq: 1, pageKey: 'k', id: 'x' };
  for (let i = 0; i < 1000; i++) broadcaster.publish(roomOf('public', `page-${i}`), ['deleted-text-chat', deleted as never]);
  expect(broadcaster.roomsTracked).toBe(0);

  broadcaster.publish(roomOf('public', 'page-watched'), ['deleted-text-chat', deleted as never]);
  expect(await received).toEqual(deleted);
  expect(broadcaster.roomsTracked).toBe(1);
  expect(meter.totals('public')[0]?.pubSubMessageCount).toBe(1);
});
