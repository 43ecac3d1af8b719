import net from 'node:net';

/**
 * A TCP gate in front of the server that stands for the client's network: while down, every
 * connection is refused at once (as with no route); while up, bytes pass through unchanged. Going
 * down also cuts the connections that are open.
 *
 * `stall()` is the other way a network goes, the one a browser shows when Wi-Fi drops: new
 * connections are refused, but the open ones are not closed; their bytes, both ways, are held at
 * the gate, and `up()` delivers them, in order, as a network that comes back delivers what the
 * kernel still had to send.
 */
export async function startNetworkGate(targetPort: number) {
  let up = true;
  let held: (() => void)[] | null = null;
  let connections = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    if (!up) return void client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (held === null) to.write(chunk);
        else held.push(() => to.write(chunk));
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
    };
    open.add(client);
    // A side that ends while the link is stalled is noticed when it is back, as its bytes are.
    const closeWhenUp = () => (held === null ? close() : held.push(close));
    client.on('error', close).on('close', closeWhenUp);
    upstream.on('error', close).on('close', closeWhenUp);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** TCP connections tried through the gate so far, refused ones included. */
    get connections() {
      return connections;
    },
    down() {
      up = false;
      for (const client of open) client.destroy();
    },
    stall() {
      up = false;
      held ??= [];
    },
    up() {
      up = true;
      const waiting = held ?? [];
      held = null;
      for (const deliver of waiting) deliver();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
