import crypto from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import { CLIENT_FORWARDING } from './client-address.js';

/**
 * Who may read `GET /metrics`, which names every tenant and its usage. With `GLOSS_METRICS_TOKEN`
 * set: whoever sends it as a bearer token (compared in constant time). Without it: only this
 * machine. A server listening on every interface (the default with TLS) would otherwise hand the
 * list of its tenants to anyone who can reach the port.
 *
 * A loopback peer alone does not make a request this machine's: a reverse proxy on the same host
 * (README's nginx set-up) connects from loopback on behalf of anyone on the Internet, and a web page
 * that rebinds its own host name to 127.0.0.1 reads the answer as same-origin. Both name another
 * host in `Host` (or the proxy adds a forwarding header), which a local scraper never does.
 */
export function mayReadMetrics(token: string | undefined, headers: http.IncomingHttpHeaders, remoteAddress: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(headers.authorization ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
  }
  if (FORWARDING.some((name) => headers[name] !== undefined)) return false;
  return isLoopback(remoteAddress) && (headers.host === undefined || isLoopbackHost(headers.host));
}

/** Headers a proxy adds for the client it forwards, and for the host the client asked for. */
const FORWARDING = [...CLIENT_FORWARDING, 'x-forwarded-host'] as const;

/** 127.0.0.0/8, ::1, and IPv4 loopback as a dual-stack socket reports it (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (net.isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1';
}

/** A `Host` header naming this machine: localhost, a 127.x address or [::1], with any port. */
export function isLoopbackHost(host: string): boolean {
  const name = (/^\[([^\]]*)\](?::\d*)?$/.exec(host)?.[1] ?? host.replace(/:\d*$/, '')).toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || (name !== '' && isLoopback(name));
}
