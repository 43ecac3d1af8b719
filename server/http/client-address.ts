import type http from 'node:http';
import net from 'node:net';

/** An IPv4 address as a dual-stack socket reports it (::ffff:1.2.3.4) is that IPv4 address. */
export function plainAddress(address: string): string {
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return net.isIPv4(v4) ? v4 : address.toLowerCase();
}

/** The address of the socket's peer: the one address of a request that the client cannot write. */
export function peerAddress(req: http.IncomingMessage): string {
  return plainAddress(req.socket.remoteAddress ?? 'unknown');
}

/**
 * Headers a proxy adds to name the client it forwards (RFC 7239's, and the de facto ones). Only
 * `X-Forwarded-For` is read for the client address, and only from a trusted proxy (below); the others
 * are listed so their arrival can be noticed (ignored-forwarding.ts, metrics-access.ts).
 */
export const CLIENT_FORWARDING = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/**
 * The address a request comes from, for per-client limits. The socket's peer, unless that peer is a
 * proxy the operator named (GLOSS_TRUSTED_PROXIES): then the last `X-Forwarded-For` hop that is not
 * one of those proxies. Hops are read from the right because only the right end was written by our
 * proxy; everything left of it is what the client claimed. Without a named proxy the header is never
 * believed, as `GET /metrics` never believes it (metrics-access.ts): a client would otherwise pick a
 * new address per connection and walk past any per-address cap.
 */
export function clientAddress(req: http.IncomingMessage, trusted: ReadonlySet<string>): string {
  const peer = peerAddress(req);
  if (!trusted.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((h) => h.trim());
  let address = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (net.isIP(hop) === 0) break;
    address = plainAddress(hop);
    if (!trusted.has(address)) break;
  }
  return address;
}
