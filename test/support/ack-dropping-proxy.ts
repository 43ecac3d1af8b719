import net from 'node:net';

/**
 * A TCP proxy between socket.io clients and the server that, while armed, cuts the connection the
 * moment the server sends an acknowledgement (a Socket.IO `43…` packet): the server has committed the
 * change, the client never learns it. It can also lose server events (`42…` packets) and
 * acknowledgements silently, the connection left up, as a message lost on the way would be, and cut
 * the connection as the client sends a given event, before the server gets it (a send lost with its
 * connection). It reads just enough of the WebSocket framing to find packet boundaries.
 */

/** One WebSocket frame off the front of `buffer`, or null while it is incomplete. Client frames are masked. */
function nextFrame(buffer: Buffer): { frame: Buffer; payload: string; rest: Buffer } | null {
  if (buffer.length < 2) return null;
  const masked = (buffer[1]! & 0x80) !== 0;
  let len = buffer[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buffer.length < 4) return null;
    len = buffer.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buffer.length < 10) return null;
    len = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const key = masked ? buffer.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buffer.length < offset + len) return null;
  const body = Buffer.from(buffer.subarray(offset, offset + len));
  if (key) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return { frame: buffer.subarray(0, offset + len), payload: body.toString('utf8'), rest: buffer.subarray(offset + len) };
}

/** A client's event packet (`42<ack id>["name",…]`): its name and ack id, or null for anything else. */
function sentEvent(payload: string): { name: string; ackId: string } | null {
  const m = /^42(\d*)\["((?:[^"\\]|\\.)*)"/.exec(payload);
  return m ? { ackId: m[1]!, name: m[2]! } : null;
}

export async function startAckDroppingProxy(targetPort: number) {
  let armed = 0;
  let dropped = 0;
  let eventsToLose = 0;
  let lost = 0;
  let acksToLose = 0;
  let sendsToCut = 0;
  let eventToCut = '';
  let cut = 0;
  let answerToLose = '';
  let ackIdToLose = '';
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    let fromClient: Buffer = Buffer.alloc(0);
    let upgraded = false;
    client.on('data', (chunk: Buffer) => {
      if (!upgraded) {
        // The HTTP upgrade request: forwarded as is; frames start after the blank line.
        const text = chunk.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return void upstream.write(chunk);
        upgraded = true;
        upstream.write(chunk.subarray(0, end + 4));
        chunk = chunk.subarray(end + 4);
      }
      fromClient = Buffer.concat([fromClient, chunk]);
      for (;;) {
        const next = nextFrame(fromClient);
        if (next === null) return;
        fromClient = next.rest;
        const sent = sentEvent(next.payload);
        if (sent !== null && sent.name === eventToCut && sendsToCut > 0) {
          sendsToCut -= 1;
          cut += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (sent !== null && sent.name === answerToLose && sent.ackId !== '') {
          answerToLose = '';
          ackIdToLose = sent.ackId;
        }
        upstream.write(next.frame);
      }
    });
    let handshakeDone = false;
    let buffer: Buffer = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (!handshakeDone) {
        // The HTTP 101 response: forward as is; frames start after the blank line.
        const text = chunk.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return void client.write(chunk);
        handshakeDone = true;
        client.write(chunk.subarray(0, end + 4));
        chunk = chunk.subarray(end + 4);
      }
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const next = nextFrame(buffer);
        if (next === null) return;
        const { frame, payload } = next;
        buffer = next.rest;
        if (ackIdToLose !== '' && payload.startsWith(`43${ackIdToLose}[`)) {
          ackIdToLose = '';
          lost += 1;
          continue;
        }
        if (armed > 0 && payload.startsWith('43')) {
          armed -= 1;
          dropped += 1;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (acksToLose > 0 && payload.startsWith('43')) {
          acksToLose -= 1;
          lost += 1;
          continue;
        }
        if (eventsToLose > 0 && payload.startsWith('42')) {
          eventsToLose -= 1;
          lost += 1;
          continue;
        }
        client.write(frame);
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Drop the next `n` acknowledgements (cutting the connection each time). */
    dropNextAcks(n: number) {
      armed = n;
    },
    get dropped() {
      return dropped;
    },
    /** Lose the next `n` events the server sends, keeping the connection. */
    loseNextEvents(n: number) {
      eventsToLose = n;
    },
    /** Lose the next `n` acknowledgements silently, keeping the connection (the client's wait times out). */
    loseNextAcks(n: number) {
      acksToLose = n;
    },
    /** Cut the connection as the client sends `event`, the next `n` times, before the server gets it. */
    cutNextSends(event: string, n: number) {
      eventToCut = event;
      sendsToCut = n;
    },
    /** Lose the server's answer to the client's next `event`, keeping the connection (the server did get it). */
    loseAnswerToNext(event: string) {
      answerToLose = event;
    },
    /** Sends cut so far. */
    get cut() {
      return cut;
    },
    /** Events and acknowledgements lost so far. */
    get lost() {
      return lost;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
