import type { Server } from 'socket.io';
import type { BatchEntry, ClientToServerEvents, Presence, ServerToClientEvents } from '../../protocol/events.js';
import type { UsageMeter } from './usage-meter.js';
import { tenantOfRoom } from './rooms.js';
import type { MeteredEncoder } from './wire-encoder.js';

interface RoomRate {
  second: number;
  count: number;
  previous: number;
  queue: { entry: BatchEntry; origin?: string }[];
  timer?: NodeJS.Timeout;
}


/**
 * Sends a page's changes to its room. A quiet page gets each event at once, without its origin
 * socket. A busy page (more than `busyPerSecond` broadcasts over the last second) has its events
 * held for `windowMs` and sent as ONE `text-chat-batch` frame to everyone in the room, origin
 * included (clients drop their own broadcastIds): one frame instead of many is the point.
 */
export class Broadcaster {
  private readonly rates = new Map<string, RoomRate>();

  constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly meter: UsageMeter,
    private readonly opts: { busyPerSecond: number; windowMs: number },
  ) {
    io.of('/').adapter.on('delete-room', (room: string) => {
      const rate = this.rates.get(room);
      if (rate?.timer) clearTimeout(rate.timer);
      this.rates.delete(room);
    });
  }

  publish(room: string, entry: BatchEntry, origin?: string): void {
    // A room nobody is in (a write to a page its author has not joined) has no one to tell, and
    // tracking its rate would keep an entry that no `delete-room` ever removes: one per such page, forever.
    if (!this.io.of('/').adapter.rooms.has(room)) return;
    const now = Date.now();
    const rate = this.rateOf(room, now);
    const elapsed = (now % 1000) / 1000;
    const perSecond = rate.previous * (1 - elapsed) + rate.count;
    rate.count += 1;
    if (this.opts.windowMs > 0 && (rate.queue.length > 0 || perSecond >= this.opts.busyPerSecond)) {
      rate.queue.push({ entry, origin });
      rate.timer ??= setTimeout(() => this.flush(room), this.opts.windowMs);
      return;
    }
    this.sendOne(room, entry, origin);
  }

  presence(room: string, presence: Presence): void {
    this.io.to(room).emit('presence', presence);
    this.meter.count(tenantOfRoom(room), this.roomSize(room), this.lastPacketBytes());
  }

  /** How many rooms' rates are held in memory; they must go when their rooms do. */
  get roomsTracked(): number {
    return this.rates.size;
  }

  close(): void {
    for (const room of this.rates.keys()) this.flush(room);
  }

  private rateOf(room: string, now: number): RoomRate {
    const second = Math.floor(now / 1000);
    let rate = this.rates.get(room);
    if (!rate) {
      rate = { second, count: 0, previous: 0, queue: [] };
      this.rates.set(room, rate);
    } else if (rate.second !== second) {
      rate.previous = rate.second === second - 1 ? rate.count : 0;
      rate.count = 0;
      rate.second = second;
    }
    return rate;
  }

  private flush(room: string): void {
    const rate = this.rates.get(room);
    if (!rate) return;
    if (rate.timer) clearTimeout(rate.timer);
    rate.timer = undefined;
    const queued = rate.queue;
    rate.queue = [];
    if (queued.length === 1) this.sendOne(room, queued[0]!.entry, queued[0]!.origin);
    else if (queued.length > 1) {
      const entries = queued.map((q) => q.entry);
      this.io.to(room).emit('text-chat-batch', entries);
      this.meter.count(tenantOfRoom(room), this.roomSize(room), this.lastPacketBytes());
    }
  }

  private sendOne(room: string, [event, payload]: BatchEntry, origin?: string): void {
    const target = origin ? this.io.to(room).except(origin) : this.io.to(room);
    (target.emit as (ev: string, p: unknown) => boolean)(event, payload);
    const size = this.roomSize(room);
    const recipients = origin && this.io.of('/').adapter.rooms.get(room)?.has(origin) ? size - 1 : size;
    this.meter.count(tenantOfRoom(room), recipients, this.lastPacketBytes());
  }

  /** The size of the broadcast just emitted, as Socket.IO encoded it (server/realtime/wire-encoder.ts). */
  private lastPacketBytes(): number {
    return (this.io.encoder as unknown as MeteredEncoder).lastBytes;
  }

  private roomSize(room: string): number {
    return this.io.of('/').adapter.rooms.get(room)?.size ?? 0;
  }
}
