import net from 'node:net';

/**
 * A TCP proxy between socket.io clients and the server that, while armed, cuts the connection the
 * moment the server sends an acknowledgement (a Socket.IO `43…` packet): the server has committed the
 * change, the client never learns it. It can also lose server events (`42…` packets) and
 * acknowledgements silently, the connection left up, as a message lost on the way would be. It reads
 * just enough of the WebSocket framing (server frames are unmasked) to find packet boundaries.
 */
export async function startAckDroppingProxy(targetPort: number) {
  let armed = 0;
  let dropped = 0;
  let eventsToLose = 0;
  let lost = 0;
  let acksToLose = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.pipe(upstream);
    let handshakeDone = false;
    let buffer = Buffer.alloc(0);
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
        if (buffer.length < 2) return;
        let len = buffer[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buffer.length < 4) return;
          len = buffer.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buffer.length < 10) return;
          len = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + len) return;
        const frame = buffer.subarray(0, offset + len);
        const payload = buffer.subarray(offset, offset + len).toString('utf8');
        buffer = buffer.subarray(offset + len);
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
    /** Events and acknowledgements lost so far. */
    get lost() {
      return lost;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
