import net from 'node:net';
import path from 'node:path';
import { LIMITS, RESTORE_WINDOW_MS } from '../protocol/limits.js';
import { plainAddress } from './http/client-address.js';
import { START_CHECK_MODES, type StartCheckMode } from './store/start-check.js';
import { StartupError } from './startup-error.js';

export interface ServerConfig {
  port: number;
  /** Plain HTTP listens on loopback only by default; with TLS on every interface. */
  host: string;
  dbPath: string;
  /** HS256 key for identity tokens; from GLOSS_SECRET, else generated once beside the database. */
  secret?: string;
  anonymous: boolean;
  /** Extra allowed WebSocket origins besides extension origins. */
  origins: string[];
  tls?: { certPath: string; keyPath: string };
  /** A page with more broadcasts than this in the last second is busy and gets batched frames. */
  batchBusyPerSecond: number;
  /** How long a busy page's broadcasts are held to go out as one frame. */
  batchWindowMs: number;
  /** Sustained operations per second per connection, and the burst allowed above it. */
  rateLimit: { perSecond: number; burst: number };
  /**
   * Open connections one client address may hold (0: no cap). Each browser holds ONE socket (the
   * extension's worker, for all its tabs), plus for up to a ping timeout (20 s) the old one it
   * replaces on a reconnection: 500 lets an office of 250 people behind one NAT address use two
   * browsers each, and still stops one address from holding thousands.
   */
  maxConnectionsPerAddress: number;
  /**
   * Peers whose `X-Forwarded-For` is believed (exact IP addresses, e.g. a reverse proxy's 127.0.0.1).
   * Empty by default: any client can write that header, so without a proxy we name, the client's
   * address is the socket's peer (server/http/client-address.ts).
   */
  trustedProxies: string[];
  /**
   * GLOSS_PAGE_REPLY_BYTES: the bytes of replies one page holds (LIMITS.pageReplyBytes says how
   * they are counted and why 8 MiB). Raising it lets every reader of such a page receive more.
   */
  pageReplyBytes: number;
  /**
   * GLOSS_DB_MAX_MB: the database file's size limit in MiB (unset: none but the disk's). At it, writes
   * are refused `store_full` and deletions still go through (server/store/size-limit.ts).
   */
  dbMaxMb?: number;
  /**
   * GLOSS_DB_CHECK: when a start runs quick_check on the database (server/store/start-check.ts). `auto`
   * by default: after a crash or a change made while the server was stopped, not after its own clean stop.
   */
  dbCheck: StartCheckMode;
  /**
   * GLOSS_RESTORE_WINDOW_MS: how long after its deletion a conversation may be restored
   * (RESTORE_WINDOW_MS, 10 minutes, unless set; at most a day, far inside the tombstones' retention).
   */
  restoreWindowMs: number;
  /** Change log and tombstones are kept this long (at least 30 days is the promise). */
  retentionDays: number;
  metricsToken?: string;
  /**
   * GLOSS_DEFLATE=on: WebSocket per-message deflate for frames of at least 512 bytes, no context
   * takeover and a 1 KB window so an idle connection keeps no compressor state worth counting.
   * Off by default: see docs/benchmarks.md for what it saves on the wire and costs in CPU.
   */
  deflate: boolean;
  /** GLOSS_BENCH_STATS=1: `GET /debug/stats` answers event-loop delay and process figures (benchmarks only). */
  benchStats: boolean;
  /** A disconnected user stays counted as a viewer this long (reconnects do not blink the count). */
  presenceGraceMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export const DEFAULT_PORT = 8787;

/**
 * A page is busy, and batched, from the rate at which a window catches two events on average
 * (84/s for 24 ms). Below that, holding events costs up to a window of latency and saves almost no
 * frames: at 40/s a 24 ms window held 0.96 events, and batching cut frames 1.4× for +24 ms of p50
 * (docs/benchmarks.md).
 */
function busyFor(windowMs: number): number {
  return windowMs > 0 ? Math.ceil(2000 / windowMs) : 1;
}

function int(value: string | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new StartupError('bad_config', `${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

function bool(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new StartupError('bad_config', `${name} must be on or off, got "${value}"`);
}

/** A comma-separated list of IP addresses; anything else is a configuration error, not a silent no-match. */
function proxyAddresses(value: string | undefined): string[] {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.find((a) => net.isIP(a) === 0);
  if (bad !== undefined) throw new StartupError('bad_config', `GLOSS_TRUSTED_PROXIES must list IP addresses, got "${bad}"`);
  return list.map(plainAddress);
}

/**
 * Unset: no limit. Up to 16 TiB: SQLite counts pages in 32 bits, 2^32 of 4 KiB, and a larger number
 * would not be the limit the operator meant.
 */
function dbMaxMb(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const mb = int(value, 0, 'GLOSS_DB_MAX_MB', 1);
  if (mb > 16 * 1024 * 1024 - 1) throw new StartupError('bad_config', `GLOSS_DB_MAX_MB must be at most ${16 * 1024 * 1024 - 1} (16 TiB), got "${value}"`);
  return mb;
}

function dbCheck(value: string | undefined): StartCheckMode {
  if (value === undefined || value === '') return 'auto';
  if ((START_CHECK_MODES as readonly string[]).includes(value)) return value as StartCheckMode;
  throw new StartupError('bad_config', `GLOSS_DB_CHECK must be auto, always or off, got "${value}"`);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day at most: a deleted conversation's replies are kept for the window, and the tombstone for the retention (≥ 30 days). */
function restoreWindowMs(value: string | undefined): number {
  const ms = int(value, RESTORE_WINDOW_MS, 'GLOSS_RESTORE_WINDOW_MS');
  if (ms > DAY_MS) throw new StartupError('bad_config', `GLOSS_RESTORE_WINDOW_MS must be at most ${DAY_MS} (a day), got "${value}"`);
  return ms;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const tlsCert = env.GLOSS_TLS_CERT;
  const tlsKey = env.GLOSS_TLS_KEY;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw new StartupError('bad_config', 'GLOSS_TLS_CERT and GLOSS_TLS_KEY must be set together');
  const tls = tlsCert && tlsKey ? { certPath: tlsCert, keyPath: tlsKey } : undefined;
  const level = env.GLOSS_LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new StartupError('bad_config', `GLOSS_LOG_LEVEL must be debug, info, warn or error`);
  const batchWindowMs = int(env.GLOSS_BATCH_WINDOW_MS, 24, 'GLOSS_BATCH_WINDOW_MS');
  return {
    port: int(env.PORT, DEFAULT_PORT, 'PORT'),
    host: env.HOST || (tls ? '0.0.0.0' : '127.0.0.1'),
    // ':memory:' is SQLite's in-memory database, not a file name to resolve.
    dbPath: env.GLOSS_DB === ':memory:' ? ':memory:' : path.resolve(env.GLOSS_DB || path.join('data', 'gloss.sqlite')),
    secret: env.GLOSS_SECRET || undefined,
    anonymous: bool(env.GLOSS_ANONYMOUS, true, 'GLOSS_ANONYMOUS'),
    origins: (env.GLOSS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    tls,
    batchBusyPerSecond: int(env.GLOSS_BATCH_BUSY_PER_SECOND, busyFor(batchWindowMs), 'GLOSS_BATCH_BUSY_PER_SECOND', 1),
    batchWindowMs,
    rateLimit: {
      perSecond: int(env.GLOSS_RATE_PER_SECOND, 50, 'GLOSS_RATE_PER_SECOND', 1),
      burst: int(env.GLOSS_RATE_BURST, 200, 'GLOSS_RATE_BURST', 1),
    },
    maxConnectionsPerAddress: int(env.GLOSS_MAX_CONNECTIONS_PER_ADDRESS, 500, 'GLOSS_MAX_CONNECTIONS_PER_ADDRESS'),
    trustedProxies: proxyAddresses(env.GLOSS_TRUSTED_PROXIES),
    pageReplyBytes: int(env.GLOSS_PAGE_REPLY_BYTES, LIMITS.pageReplyBytes, 'GLOSS_PAGE_REPLY_BYTES', 1),
    dbMaxMb: dbMaxMb(env.GLOSS_DB_MAX_MB),
    dbCheck: dbCheck(env.GLOSS_DB_CHECK),
    restoreWindowMs: restoreWindowMs(env.GLOSS_RESTORE_WINDOW_MS),
    retentionDays: int(env.GLOSS_RETENTION_DAYS, 30, 'GLOSS_RETENTION_DAYS', 30),
    metricsToken: env.GLOSS_METRICS_TOKEN || undefined,
    presenceGraceMs: int(env.GLOSS_PRESENCE_GRACE_MS, 3_000, 'GLOSS_PRESENCE_GRACE_MS'),
    deflate: bool(env.GLOSS_DEFLATE, false, 'GLOSS_DEFLATE'),
    benchStats: bool(env.GLOSS_BENCH_STATS, false, 'GLOSS_BENCH_STATS'),
    logLevel: level as ServerConfig['logLevel'],
  };
}
