import type http from 'node:http';
import { identifyToken, type Identity } from '../auth/identity.js';
import type { UsageMeter } from '../realtime/usage-meter.js';
import type { BenchStats } from './bench-stats.js';
import { mayReadMetrics } from './metrics-access.js';

export interface RouteDeps {
  secret: Uint8Array;
  meter: UsageMeter;
  tenantExists(tenant: string): boolean;
  gauges(): { connections: number; rooms: number };
  /** Handshakes whose forwarding header did not name the client (ignored-forwarding.ts). */
  forwardedHeaderIgnored(): number;
  /** Operations the storage refused, by code (storage-log.ts). */
  storageRefusals(): Record<'store_full' | 'store_failed', number>;
  metricsToken?: string;
  /** Only with GLOSS_BENCH_STATS=1: serves `GET /debug/stats`. */
  benchStats?: BenchStats;
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(text);
}

const error = (code: string, message: string) => ({ ok: false, error: { code, message } });

async function bearerIdentity(req: http.IncomingMessage, deps: RouteDeps): Promise<Identity | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return null;
  return identifyToken(match[1]!, deps).catch(() => null);
}

/** Prometheus label values escape backslash, quote and newline. */
const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function prometheus(deps: RouteDeps): string {
  const usage = deps.meter.totals();
  const { connections, rooms } = deps.gauges();
  const mem = process.memoryUsage();
  const lines = [
    '# HELP gloss_pubsub_message_count_total Messages delivered to client sockets (pubSubMessageCount), one per recipient.',
    '# TYPE gloss_pubsub_message_count_total counter',
    ...usage.map((u) => `gloss_pubsub_message_count_total{tenant="${label(u.tenant)}"} ${u.pubSubMessageCount}`),
    '# HELP gloss_pubsub_bandwidth_bytes_total Bytes of those messages (pubSubBandwidth).',
    '# TYPE gloss_pubsub_bandwidth_bytes_total counter',
    ...usage.map((u) => `gloss_pubsub_bandwidth_bytes_total{tenant="${label(u.tenant)}"} ${u.pubSubBandwidth}`),
    '# HELP gloss_connections Connected sockets.',
    '# TYPE gloss_connections gauge',
    `gloss_connections ${connections}`,
    '# HELP gloss_pages_viewed Pages with at least one viewer.',
    '# TYPE gloss_pages_viewed gauge',
    `gloss_pages_viewed ${rooms}`,
    '# HELP gloss_forwarded_header_ignored_total WebSocket handshakes whose X-Forwarded-For, Forwarded or X-Real-IP did not name the client (sent by a peer not in GLOSS_TRUSTED_PROXIES, or a trusted one without X-Forwarded-For): the connection cap counted the peer.',
    '# TYPE gloss_forwarded_header_ignored_total counter',
    `gloss_forwarded_header_ignored_total ${deps.forwardedHeaderIgnored()}`,
    '# HELP gloss_store_refused_total Operations refused because the database was full (store_full, GLOSS_DB_MAX_MB) or its storage failed (store_failed); the log has one line per kind.',
    '# TYPE gloss_store_refused_total counter',
    ...Object.entries(deps.storageRefusals()).map(([code, n]) => `gloss_store_refused_total{code="${code}"} ${n}`),
    '# HELP gloss_process_resident_memory_bytes Resident set size.',
    '# TYPE gloss_process_resident_memory_bytes gauge',
    `gloss_process_resident_memory_bytes ${mem.rss}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The few plain HTTP routes beside the socket: health, usage for moderators, Prometheus metrics. */
export function createRoutes(deps: RouteDeps): http.RequestListener {
  return (req, res) => {
    // The request target is the client's text: `GET //[ HTTP/1.1` is no URL, and a throw here is
    // uncaught in the server's request listener, which would end the process for everyone.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return send(res, 400, error('invalid', 'the request target is not a URL'));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, error('invalid', 'method not allowed'));
    switch (url.pathname) {
      case '/healthz':
        return send(res, 200, { ok: true });
      case '/metrics': {
        if (!mayReadMetrics(deps.metricsToken, req.headers, req.socket.remoteAddress)) {
          return deps.metricsToken
            ? send(res, 401, error('unauthorized', 'metrics need the metrics token'))
            : send(res, 403, error('forbidden', 'metrics are served to this machine only unless GLOSS_METRICS_TOKEN is set'));
        }
        return send(res, 200, prometheus(deps), 'text/plain; version=0.0.4');
      }
      case '/api/usage':
        void bearerIdentity(req, deps).then((who) => {
          if (!who) return send(res, 401, error('unauthorized', 'a valid moderator token is required'));
          if (who.role !== 'moderator') return send(res, 403, error('forbidden', 'usage is for moderators of the tenant'));
          const [row] = deps.meter.totals(who.tenant);
          return send(res, 200, { ok: true, ...row });
        });
        return;
      case '/debug/stats':
        if (!deps.benchStats) return send(res, 404, error('not_found', 'no such route'));
        return send(res, 200, deps.benchStats.answer(url.searchParams.get('reset') === '1'));
      default:
        return send(res, 404, error('not_found', 'no such route'));
    }
  };
}
