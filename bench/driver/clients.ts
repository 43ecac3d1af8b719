import crypto from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { broadcastFrameFast, createEventJson, createRequest, pageUrl } from '../lib/payload.js';

/** What a driver needs of a client, whatever it speaks. */
export interface Peer {
  readonly page: number;
  /** Emits one create (Gloss) or one relayed frame (baseline), `broadcastId` also naming the new conversation; `onAck(ok)` once the server answered (at once for the baseline). */
  send(broadcastId: string, onAck: (ok: boolean) => void): void;
  /** Frames received that carried broadcasts (a batch counts once). */
  frames: number;
  close(): void;
  readonly open: () => boolean;
}

/** Called for every new conversation a peer receives, with its broadcastId (its id: see createRequest). */
export type OnDelivery = (peer: Peer, broadcastId: string) => void;

export type ClientKind = 'socket.io-client' | 'light' | 'raw';

// A `new-text-chat` tuple opens like this, plain (`42["new-text-chat",[…]]`) or in a batch
// (`42["text-chat-batch",[["new-text-chat",[…]],…]]`). Never inside a JSON string: there a quote is `\"`.
const NEW_CHAT = Buffer.from('["new-text-chat",[');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const PLAIN_EVENT = Buffer.from('42["new-text-chat"');
const BATCH_EVENT = Buffer.from('42["text-chat-batch"');

/** Index of the closing quote of the JSON string whose opening quote is at `open`. Bytes of UTF-8 sequences are never `"` or `\`. */
function endOfString(frame: Buffer, open: number): number {
  let i = open + 1;
  while (frame[i] !== QUOTE) i += frame[i] === BACKSLASH ? 2 : 1;
  return i;
}

/**
 * The id of every `new-text-chat` in a text frame, read from its bytes without decoding or parsing
 * it (the driver must stay lighter than the servers): the tuple's third element, after the seq and
 * the pageKey. The bench's creates use their id as broadcastId, as the extension does, so it is
 * also their broadcastId.
 */
export function eachNewChatId(frame: Buffer, fn: (id: string) => void): number {
  let n = 0;
  for (let i = frame.indexOf(NEW_CHAT); i >= 0; i = frame.indexOf(NEW_CHAT, i)) {
    const pageKey = frame.indexOf(COMMA, i + NEW_CHAT.length) + 1;
    const id = endOfString(frame, pageKey) + 2;
    fn(frame.toString('latin1', id + 1, id + 37));
    i = id + 38;
    n++;
  }
  return n;
}

const startsWith = (frame: Buffer, prefix: Buffer) => frame.length >= prefix.length && frame.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/**
 * What the driver's own `ws` clients (light and raw alike, so both servers are driven the same way)
 * leave out, as the driver must stay lighter than the servers (docs/benchmarks.md, change 30): UTF-8
 * validation of 36,000 received frames a second (it reads only ASCII ids out of frames it trusts),
 * and the masking of what it sends. RFC 6455 wants a client's mask unpredictable, against caching
 * proxies that a loopback benchmark does not have; a zero mask lets `ws` send the payload as it is
 * instead of drawing a mask and XOR-ing a copy, and servers unmask it all the same.
 */
const LIGHT_WS = { skipUTF8Validation: true, generateMask: (mask: Buffer) => void mask.fill(0) };

const wsUrl = (url: string) => url.replace(/^http/, 'ws');

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e as Error)));
  });
}

/** The broadcastId of a `new-text-chat` tuple (protocol/wire.ts), or '' (an unknown delivery) for anything else. */
function idOfTuple(wire: unknown): string {
  if (!Array.isArray(wire)) return '';
  const id: unknown = wire.length > 8 ? wire[8] : wire[2];
  return typeof id === 'string' ? id : '';
}

/** The real client library, as the extension uses it (websocket transport only). */
async function connectSocketIoClient(url: string, page: number, onDelivery: OnDelivery): Promise<Peer> {
  const socket: Socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 20_000,
    auth: { anonymousId: crypto.randomUUID(), name: `Bench ${page}` },
  });
  await timeout(
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (e) => reject(e));
    }),
    30_000,
    'socket.io connect',
  );
  const peer: Peer = {
    page,
    frames: 0,
    open: () => socket.connected,
    send(broadcastId, onAck) {
      socket.emit('text-chat:create', createRequest(page, broadcastId), (ack: { ok: boolean }) => onAck(ack.ok));
    },
    close: () => void socket.close(),
  };
  // The driver times deliveries and reads only the id (3rd element; the 9th when a broadcastId differs),
  // as it read one property of the keyed object before: a full decode of every delivery in one process
  // serving 1,000 clients would add the driver's CPU to every latency. test/server checks the decoding.
  const delivered = (wire: unknown) => onDelivery(peer, idOfTuple(wire));
  socket.on('new-text-chat', (wire: unknown) => {
    peer.frames++;
    delivered(wire);
  });
  socket.on('text-chat-batch', (entries: [string, unknown][]) => {
    peer.frames++;
    for (const [event, wire] of entries) if (event === 'new-text-chat') delivered(wire);
  });
  const joined = (await timeout(socket.emitWithAck('page:join', { url: pageUrl(page) }), 30_000, 'page:join')) as { ok: boolean };
  if (!joined.ok) throw new Error(`page:join refused: ${JSON.stringify(joined)}`);
  return peer;
}

/**
 * A minimal Socket.IO client speaking the wire protocol over `ws` (engine.io v4): `0{…}` open,
 * `40{auth}` connect, `42[…]` events, `42<id>[…]` requests and `43<id>[…]` acknowledgements, `2`/`3`
 * ping/pong. Light enough that one driver process can receive tens of thousands of frames per second.
 */
async function connectLight(
  url: string,
  page: number,
  onDelivery: OnDelivery,
  join = true,
  deflate = false,
): Promise<Peer & { raw: WebSocket; received: string[] | null; wireBytes: number[]; request(event: string, payload: unknown): Promise<string> }> {
  // With `deflate`, offers permessage-deflate as browsers do (the server decides).
  const ws = new WebSocket(`${wsUrl(url)}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: deflate, ...LIGHT_WS });
  // Bytes the TCP socket read between two messages: a frame's size on the wire, header and compression included.
  let tcp: { bytesRead: number } | null = null;
  let lastRead = 0;
  ws.once('upgrade', (res) => {
    tcp = res.socket;
    lastRead = res.socket.bytesRead;
  });
  let nextAck = 1;
  const acks = new Map<number, (text: string) => void>();
  let connected: () => void;
  let failed: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((connected = resolve), (failed = reject)));
  const peer = {
    page,
    frames: 0,
    raw: ws,
    received: null as string[] | null,
    wireBytes: [] as number[],
    open: () => ws.readyState === WebSocket.OPEN,
    send(broadcastId: string, onAck: (ok: boolean) => void) {
      const id = nextAck++;
      acks.set(id, (text) => onAck(text.startsWith('[{"ok":true')));
      ws.send(`42${id}${createEventJson(page, broadcastId)}`);
    },
    request(event: string, payload: unknown): Promise<string> {
      const id = nextAck++;
      return new Promise<string>((resolve) => {
        acks.set(id, resolve);
        ws.send(`42${id}${JSON.stringify([event, payload])}`);
      });
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data: Buffer) => {
    if (!peer.received && (startsWith(data, PLAIN_EVENT) || startsWith(data, BATCH_EVENT))) {
      peer.frames++;
      eachNewChatId(data, (id) => onDelivery(peer, id));
      return;
    }
    const text = data.toString();
    if (peer.received) {
      peer.received.push(text);
      const read = tcp?.bytesRead ?? 0;
      peer.wireBytes.push(read - lastRead);
      lastRead = read;
    } else if (tcp) lastRead = tcp.bytesRead;
    const type = text.charCodeAt(0);
    if (text === '2') return ws.send('3');
    if (type === 0x30 /* 0: open */) return ws.send(`40${JSON.stringify({ anonymousId: crypto.randomUUID(), name: `Bench ${page}` })}`);
    if (text.startsWith('40')) return connected();
    if (text.startsWith('44')) return failed(new Error(`connect refused: ${text}`));
    if (text.startsWith('43')) {
      let i = 2;
      while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      const id = Number(text.slice(2, i));
      const fn = acks.get(id);
      acks.delete(id);
      return fn?.(text.slice(i));
    }
    if (startsWith(data, PLAIN_EVENT) || startsWith(data, BATCH_EVENT)) {
      peer.frames++;
      eachNewChatId(data, (id) => onDelivery(peer, id));
    }
  });
  ws.once('error', (e) => failed(e));
  await timeout(ready, 30_000, 'light connect');
  if (join) {
    const answer = await timeout(peer.request('page:join', { url: pageUrl(page) }), 30_000, 'page:join');
    if (!answer.startsWith('[{"ok":true')) throw new Error(`page:join refused: ${answer.slice(0, 200)}`);
  }
  return peer;
}

/** A plain WebSocket client of the baseline relay: the room is the page; sends the frame Gloss would broadcast. */
async function connectRaw(url: string, page: number, onDelivery: OnDelivery): Promise<Peer> {
  const ws = new WebSocket(`${wsUrl(url)}/?room=page-${page}`, { perMessageDeflate: false, ...LIGHT_WS });
  await timeout(new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject))), 30_000, 'raw connect');
  let seq = 0;
  const peer: Peer = {
    page,
    frames: 0,
    open: () => ws.readyState === WebSocket.OPEN,
    send(broadcastId, onAck) {
      ws.send(broadcastFrameFast(page, broadcastId, ++seq));
      onAck(true);
    },
    close: () => ws.terminate(),
  };
  ws.on('message', (data: Buffer) => {
    peer.frames++;
    eachNewChatId(data, (id) => onDelivery(peer, id));
  });
  return peer;
}

export function connect(kind: ClientKind, url: string, page: number, onDelivery: OnDelivery): Promise<Peer> {
  if (kind === 'socket.io-client') return connectSocketIoClient(url, page, onDelivery);
  if (kind === 'light') return connectLight(url, page, onDelivery);
  return connectRaw(url, page, onDelivery);
}

export { connectLight };

/** Opens `count` peers, `concurrency` handshakes at a time; page of peer i is i % pages. */
export async function connectMany(kind: ClientKind, url: string, count: number, pages: number, onDelivery: OnDelivery, concurrency = 64): Promise<Peer[]> {
  const peers: Peer[] = new Array<Peer>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      peers[i] = await connect(kind, url, i % pages, onDelivery);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return peers;
}
