import { createRequire } from 'node:module';
import type { Packet } from 'socket.io-parser';

// The CommonJS build, the one socket.io itself loads: an ESM import resolves to socket.io-parser's
// debug build (measured in the profile as its own decoder, with a debug() call per packet).
const { Decoder } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

/**
 * socket.io-parser's string encoding, byte for byte (any socket.io client decodes it), minus two
 * costs on the broadcast path: the recursive search for binary attachments (Gloss sends none: every
 * payload is JSON) and a second serialization that the usage meter made of every broadcast to learn
 * its size. Socket.IO encodes a broadcast once, with the server's one encoder, so right after an
 * `emit` the encoder knows the packet's size.
 */
export class MeteredEncoder {
  /** Wire bytes of the last packet encoded: `42[...]` including engine.io's message type. */
  lastBytes = 0;

  encode(packet: Packet): string[] {
    let out = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') out += `${packet.nsp},`;
    if (packet.id != null) out += packet.id;
    if (packet.data != null) out += JSON.stringify(packet.data);
    this.lastBytes = Buffer.byteLength(out) + 1;
    return [out];
  }
}

/** The `parser` option of the Socket.IO server: our encoder, socket.io-parser's own decoder. */
export const meteredParser = { Encoder: MeteredEncoder, Decoder };
