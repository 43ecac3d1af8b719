import crypto from 'node:crypto';
import net from 'node:net';

/**
 * Who may read `GET /metrics`, which names every tenant and its usage. With `GLOSS_METRICS_TOKEN`
 * set: whoever sends it as a bearer token (compared in constant time). Without it: only this
 * machine. A server listening on every interface (the default with TLS) would otherwise hand the
 * list of its tenants to anyone who can reach the port.
 */
export function mayReadMetrics(token: string | undefined, authorization: string | undefined, remoteAddress: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(authorization ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
  }
  return isLoopback(remoteAddress);
}

/** 127.0.0.0/8, ::1, and IPv4 loopback as a dual-stack socket reports it (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (net.isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}
