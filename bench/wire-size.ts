import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { connectLight } from './driver/clients.js';
import { startServer } from './lib/proc.js';
import { createRequest, REPLY } from './lib/payload.js';
import type { NewTextChatWire } from '../protocol/wire.js';

export interface FrameSize {
  event: string;
  /** The Socket.IO packet as the WebSocket message carries it (`42[...]`). */
  packetBytes: number;
  /** Plus the WebSocket frame header (server frames are unmasked: 2 bytes under 126, else 4). */
  wireBytes: number;
  /** What permessage-deflate (no context takeover) would make of it; Gloss has compression off. */
  deflatedBytes: number;
}

export interface WireResult {
  frames: FrameSize[];
  /** The same frames from a server with GLOSS_DEFLATE=on to a client that offers permessage-deflate: bytes the TCP socket read per frame. */
  deflateOn?: { event: string; wireBytes: number }[];
  newTextChatFields: { field: string; bytes: number }[];
  sample: string;
}

const wsHeader = (n: number) => (n < 126 ? 2 : n < 65536 ? 4 : 10);
const size = (event: string, packet: string): FrameSize => {
  const packetBytes = Buffer.byteLength(packet);
  return { event, packetBytes, wireBytes: packetBytes + wsHeader(packetBytes), deflatedBytes: zlib.deflateRawSync(packet).length };
};

/** Captures real broadcasts of the typical conversation as a second viewer receives them. */
export async function measureWireSize(): Promise<WireResult> {
  const plain = await capture(false);
  const deflated = await capture(true);
  const sizes = (event: string) => deflated.b.received!.map((t, i) => [t, deflated.b.wireBytes[i]!] as const).find(([t]) => t.startsWith(`42["${event}"`))?.[1] ?? NaN;
  return { ...plain.result, deflateOn: ['new-text-chat', 'updated-text-chat', 'deleted-text-chat'].map((event) => ({ event, wireBytes: sizes(event) })) };
}

async function capture(deflate: boolean) {
  const server = await startServer('gloss', deflate ? { GLOSS_DEFLATE: 'on' } : {});
  try {
    const a = await connectLight(server.url, 0, () => {}, true, deflate);
    const b = await connectLight(server.url, 0, () => {}, true, deflate);
    await new Promise((r) => setTimeout(r, 200));
    b.received = [];
    const create = createRequest(0);
    const id = create.chat.id;
    const ack = (text: string) => {
      if (!text.startsWith('[{"ok":true')) throw new Error(`refused: ${text.slice(0, 200)}`);
    };
    // Each operation waits for the previous broadcast to reach b: two frames read from the TCP socket
    // at once would count both in the first one's bytes (seen once as 791 B for a 389 B frame).
    const seen = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (b.received!.filter((t) => t.includes('-text-chat"')).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    ack(await a.request('text-chat:create', create));
    await seen(1);
    ack(await a.request('text-chat:update', { broadcastId: crypto.randomUUID(), id, changes: { addComment: { id: crypto.randomUUID(), text: REPLY } } }));
    await seen(2);
    ack(await a.request('text-chat:delete', { broadcastId: crypto.randomUUID(), id }));
    await seen(3);
    const pick = (event: string) => {
      const frame = b.received!.find((t) => t.startsWith(`42["${event}"`));
      if (!frame) throw new Error(`no ${event} frame received`);
      return frame;
    };
    const newFrame = pick('new-text-chat');
    const frames = ['new-text-chat', 'updated-text-chat', 'deleted-text-chat'].map((e) => size(e, pick(e)));
    // Where the bytes of new-text-chat go: each element of its tuple as `value,` in the JSON.
    const [, tuple] = JSON.parse(newFrame.slice(2)) as [string, NewTextChatWire];
    const [seq, pageKey, chatId, authorId, authorName, createdAt, text, target, broadcastId] = tuple;
    const part = (v: unknown) => Buffer.byteLength(JSON.stringify(v)) + 1;
    const quote = Array.isArray(target) ? target.slice(0, 3) : target.selector.flatMap((x) => (x.type === 'TextQuoteSelector' ? [x.exact, x.prefix, x.suffix] : [])).slice(0, 3);
    const quoteBytes = quote.filter((x) => x != null).reduce((sum: number, x) => sum + part(x), 0);
    const fields = [
      { field: 'seq', bytes: part(seq) },
      { field: 'pageKey', bytes: part(pageKey) },
      { field: 'id (also the broadcastId)', bytes: part(chatId) },
      { field: 'author id', bytes: part(authorId) },
      { field: 'author name', bytes: part(authorName) },
      { field: 'createdAt', bytes: part(createdAt) },
      { field: 'text (the first comment)', bytes: part(text) },
      { field: 'target: quote exact/prefix/suffix text', bytes: quoteBytes },
      { field: Array.isArray(target) ? 'target: position and structure (compact `[exact, prefix, suffix, start, end]`)' : 'target: selector types, position, structure', bytes: part(target) - quoteBytes },
      ...(broadcastId === undefined ? [] : [{ field: 'broadcastId (differs from the id)', bytes: part(broadcastId) }]),
      { field: 'envelope (`42["new-text-chat",[` … `]]`)', bytes: 0 },
    ];
    const counted = fields.reduce((s, f) => s + f.bytes, 0);
    fields[fields.length - 1]!.bytes = Buffer.byteLength(newFrame) - counted;
    a.close();
    b.close();
    return { b, result: { frames, newTextChatFields: fields, sample: newFrame } };
  } finally {
    await server.stop();
  }
}
