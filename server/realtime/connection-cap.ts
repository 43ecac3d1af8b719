import net from 'node:net';

/** What `ConnectionCap.admit` decided for one handshake. */
export type Admission = 'ok' | 'over' | 'refused';

/**
 * Connections over the cap that are still let through the WebSocket upgrade, per address, so that a
 * client learns why it is turned away (`connect_error` `too_many_connections`, which a browser cannot
 * read from a refused upgrade) before the server closes them. Past this many held at once (a client
 * that keeps them open, or never asks), the upgrade itself is refused, without a word.
 */
export const TOLD_OVER_CAP = 8;

/**
 * Open connections per client address. Counted at the upgrade, from the TCP socket that carries the
 * WebSocket, and released when that socket closes: every way a connection ends (the client leaves, a
 * refused handshake, a ping timeout, the server closing it) closes it, so nothing is counted twice or
 * kept. Counting Socket.IO sockets instead would miss connections that never send their `CONNECT`.
 */
export class ConnectionCap {
  readonly #open = new Map<string, number>();
  readonly #told = new Map<string, number>();

  /** `max` 0: no cap. */
  constructor(private readonly max: number) {}

  admit(clientAddress: string, socket: { once(event: 'close', fn: () => void): unknown }): Admission {
    if (this.max === 0) return 'ok';
    const address = capKey(clientAddress);
    const counts = (this.#open.get(address) ?? 0) < this.max ? this.#open : (this.#told.get(address) ?? 0) < TOLD_OVER_CAP ? this.#told : null;
    if (counts === null) return 'refused';
    counts.set(address, (counts.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const n = counts.get(address)! - 1;
      if (n === 0) counts.delete(address);
      else counts.set(address, n);
    });
    return counts === this.#open ? 'ok' : 'over';
  }
}

/**
 * What the cap counts by: an IPv4 address, or an IPv6 address's /64. One IPv6 host is routinely given
 * a whole /64 (SLAAC, privacy addresses) and could take a new address per connection; a /64 is one
 * network, as one NAT address is one office in IPv4.
 */
export function capKey(address: string): string {
  if (!net.isIPv6(address)) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4) sits in the last 32 bits, past the /64.
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}
