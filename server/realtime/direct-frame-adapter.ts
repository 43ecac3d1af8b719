import { Adapter, type BroadcastOptions } from 'socket.io-adapter';
import type { Packet } from 'socket.io-parser';

/** What a broadcast needs of an Engine.IO connection; the fields are Engine.IO's and `ws`'s own. */
interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: {
    writable: boolean;
    perMessageDeflate?: unknown;
    socket?: { readyState: number; _socket?: TcpSocket; _sender?: { _queue: unknown[]; sendFrame(list: Buffer[], cb?: () => void): void } };
  };
}

/** The `net.Socket` under a `ws` connection, as far as corking goes. */
interface TcpSocket {
  writableCorked: number;
  cork(): void;
  uncork(): void;
}

type WriteToEngine = (packets: string[] | string, opts: { volatile?: boolean; preEncoded?: boolean; compress?: boolean }) => void;

interface RecipientSocket {
  conn: EngineConnection;
  client: { writeToEngine: WriteToEngine };
  notifyOutgoingListeners?(packet: Packet): void;
}

/**
 * RFC 6455 server frame (FIN, text, unmasked) around `payload`, in one buffer: one `write` per
 * recipient instead of the corked header-and-body pair (a `writev`) that `ws` makes of a frame.
 */
export function textFrame(payload: string): Buffer {
  const length = Buffer.byteLength(payload);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(payload, header);
  return frame;
}

/**
 * Socket.IO's in-memory adapter with a shorter path for each delivery of a broadcast to one room.
 *
 * Why: a broadcast is encoded once, but each of its deliveries then went through Engine.IO's packet
 * queue, its flush and drain events, `ws`'s sender and a write callback: about 3 µs of the event
 * loop per recipient (docs/benchmarks.md), nine times per annotation on a page with ten viewers.
 * Here the finished WebSocket frame goes straight to the socket's `ws` sender, the call Engine.IO
 * itself makes for its pre-encoded broadcast frames.
 *
 * Only when nothing can be overtaken: the connection is open, Engine.IO holds no packet for it and
 * its transport is not waiting for a previous write (else the frame would jump that queue), `ws`
 * holds nothing queued, and frames are not compressed per connection (GLOSS_DEFLATE=on). Otherwise
 * the delivery takes Socket.IO's own path, behind what is queued. Volatile emits and broadcasts to
 * several rooms or to everyone are left to Socket.IO entirely (Gloss sends neither).
 */
export class DirectFrameAdapter extends Adapter {
  /** Deliveries written directly. The tests read it: 0 would mean the shorter path never applies. */
  directDeliveries = 0;
  /** A socket's own packets (acknowledgements, presence, answers) written directly; see ownPacketsDirect. */
  directOwnPackets = 0;

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const room = opts.rooms.size === 1 ? this.rooms.get(opts.rooms.values().next().value!) : undefined;
    if (!room || opts.flags?.volatile) return void super.broadcast(packet, opts);
    packet.nsp = this.nsp.name;
    const encoded = (this.nsp.server.encoder as { encode(p: Packet): unknown[] }).encode(packet) as string[];
    const direct = encoded.length === 1 && typeof encoded[0] === 'string';
    const frame = direct ? messageFrame(encoded[0]!) : [];
    const packetOpts = { preEncoded: true, compress: opts.flags?.compress };
    const except = this.exceptIds(opts.except);
    for (const id of room) {
      if (except?.has(id)) continue;
      const socket = this.nsp.sockets.get(id) as unknown as RecipientSocket | undefined;
      if (!socket) continue;
      socket.notifyOutgoingListeners?.(packet);
      if (direct && writeDirect(socket.conn, frame)) this.directDeliveries++;
      else socket.client.writeToEngine(encoded, packetOpts);
    }
  }

  /**
   * A socket's own packets, which Socket.IO encodes for it alone (an acknowledgement, the presence
   * and join answers), take the same shorter path when nothing is held for it: the acknowledgement of
   * each annotation went through Engine.IO's whole path and cost about 40 % as much as the nine
   * deliveries of its broadcast together (docs/benchmarks.md, change 16). Socket.IO writes them
   * through its per-connection client's `writeToEngine`; this wraps that method once per connection.
   */
  override addAll(id: string, rooms: Set<string>): void {
    super.addAll(id, rooms);
    const socket = this.nsp.sockets.get(id) as unknown as RecipientSocket | undefined;
    if (socket && !wrapped.has(socket.client)) this.ownPacketsDirect(socket);
  }

  private ownPacketsDirect(socket: RecipientSocket): void {
    const { client } = socket;
    wrapped.add(client);
    const viaEngine = client.writeToEngine.bind(client);
    client.writeToEngine = (packets, opts) => {
      const only = Array.isArray(packets) ? (packets.length === 1 ? packets[0] : undefined) : packets;
      if (!opts.volatile && typeof only === 'string' && writeDirect(socket.conn, messageFrame(only))) this.directOwnPackets++;
      else viaEngine(packets, opts);
    };
  }

  /**
   * The sockets of the `except` rooms (every socket is in the room of its own id), gathered once per
   * broadcast, as Socket.IO's own adapter does, rather than looked up for each recipient. One room,
   * the usual case (a change's origin), is its own set of members: nothing is copied.
   */
  private exceptIds(except: Set<string> | undefined): Set<string> | undefined {
    if (!except || except.size === 0) return undefined;
    if (except.size === 1) return this.rooms.get(except.values().next().value!);
    const ids = new Set<string>();
    for (const room of except) for (const id of this.rooms.get(room) ?? []) ids.add(id);
    return ids;
  }
}

/** An encoded Socket.IO packet as `ws` would send it: Engine.IO's message type (`4`) before it, in one text frame. */
function messageFrame(packet: string): Buffer[] {
  return [textFrame(`4${packet}`)];
}

/** Socket.IO clients already given the shorter path: one per connection, shared by its namespaces. */
const wrapped = new WeakSet<object>();

function writeDirect(conn: EngineConnection, frame: Buffer[]): boolean {
  const { transport } = conn;
  const sender = transport.socket?._sender;
  if (conn.readyState !== 'open' || !transport.writable || conn.writeBuffer.length > 0 || transport.perMessageDeflate) return false;
  if (!sender || transport.socket!.readyState !== 1 || sender._queue.length > 0) return false;
  corkUntilNextTick(transport.socket!._socket);
  sender.sendFrame(frame);
  return true;
}

/**
 * Why: one commit answers a whole group of operations at once (group-commit.ts), so under load one
 * burst of the event loop writes several frames to the same connection: deliveries of two changes of
 * its page, or a sender's acknowledgements. Corked until the burst ends, the socket writes them with
 * one `writev` instead of one `write` each. Node's own cork keeps every write to the socket in order,
 * whatever path it took (Engine.IO's queue, a ping, the close frame); `end()` uncorks by itself.
 */
const corked: TcpSocket[] = [];

function corkUntilNextTick(socket: TcpSocket | undefined): void {
  if (!socket || socket.writableCorked > 0) return;
  socket.cork();
  if (corked.push(socket) === 1) process.nextTick(uncorkAll);
}

function uncorkAll(): void {
  const sockets = corked.splice(0);
  for (const socket of sockets) socket.uncork();
}
