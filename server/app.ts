import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { ErrorCode } from '../protocol/errors.js';
import { LIMITS } from '../protocol/limits.js';
import { identify, PUBLIC_TENANT, Unauthorized } from './auth/identity.js';
import { createOriginCheck } from './auth/origin.js';
import { loadSecret } from './auth/secret.js';
import type { ServerConfig } from './config.js';
import { clientAddress } from './http/client-address.js';
import { createBenchStats } from './http/bench-stats.js';
import { IgnoredForwarding } from './http/ignored-forwarding.js';
import { createRoutes } from './http/routes.js';
import { createLogger, type Logger } from './log.js';
import { Broadcaster } from './realtime/broadcaster.js';
import { DirectFrameAdapter } from './realtime/direct-frame-adapter.js';
import { ConnectionCap } from './realtime/connection-cap.js';
import { onConnection } from './realtime/connection.js';
import type { Context, GlossServer } from './realtime/context.js';
import { PresenceTracker } from './realtime/presence.js';
import { RefusalLog } from './realtime/refusal-log.js';
import { TokenBucket } from './realtime/rate-limit.js';
import { UsageMeter } from './realtime/usage-meter.js';
import { GroupCommit } from './store/group-commit.js';
import { warnOpenModes } from './store/open-modes.js';
import { SqliteStore } from './store/sqlite-store.js';
import { corruptDatabase } from './store/schema.js';
import { storageCode } from './store/storage-fault.js';
import { StorageLog } from './realtime/storage-log.js';
import { StartupError } from './startup-error.js';
import { readTlsFiles } from './tls-files.js';
import { meteredParser } from './realtime/wire-encoder.js';
import type { Store } from './store/types.js';

export interface RunningServer {
  url: string;
  port: number;
  io: GlossServer;
  store: Store;
  close(): Promise<void>;
}

const TOO_MANY = 'too_many_connections' satisfies ErrorCode;

const DAY = 24 * 60 * 60 * 1000;

/**
 * GLOSS_DEFLATE=on. Frames under 512 bytes (presence, deletes, acks) stay plain. No context takeover
 * and 10-bit windows: each message is compressed on its own (the typical `new-text-chat` is under
 * 1 KB, so a larger window finds nothing more) and a connection's zlib state stays small.
 */
const DEFLATE = {
  threshold: 512,
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  serverMaxWindowBits: 10,
  clientMaxWindowBits: 10,
  zlibDeflateOptions: { memLevel: 4 },
} as const;

/**
 * Socket.IO pings every 10 s: under Chrome's 30 s idle limit for an extension service worker (the
 * WebSocket traffic keeps it alive) and quick to notice a dead peer.
 */
const PING_INTERVAL_MS = 10_000;
const PING_TIMEOUT_MS = 10_000;

export async function startServer(config: ServerConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  // Before anything opens or creates a file: a TLS mistake refuses the start with nothing written.
  const tls = config.tls ? readTlsFiles(config.tls) : undefined;
  const { store, secret } = openData(config);
  if (config.anonymous) store.ensureTenant(PUBLIC_TENANT);
  warnOpenModes(config.dbPath, !config.secret, log);
  const storage = new StorageLog(log, config.dbMaxMb);
  const meter = new UsageMeter(store, (err) => {
    if (!storage.failed(err, 'usage')) throw err;
  });
  const originAllowed = createOriginCheck(config.origins);
  const trustedProxies = new Set(config.trustedProxies);
  const cap = new ConnectionCap(config.maxConnectionsPerAddress);
  const refusals = new RefusalLog(log);
  const forwarding = new IgnoredForwarding(log, trustedProxies);
  /** Each admitted handshake's client address, and those admitted over the cap only to be told so. */
  const addresses = new WeakMap<object, string>();
  const overCap = new WeakSet<object>();

  const routes = createRoutes({
    secret,
    meter,
    tenantExists: (t) => store.tenantExists(t),
    // Called per request, after `io` and `presence` below exist (requests start after listen).
    gauges: () => ({ connections: io.engine.clientsCount, rooms: presence.roomCount() }),
    forwardedHeaderIgnored: () => forwarding.handshakes,
    storageRefusals: () => storage.refused,
    metricsToken: config.metricsToken,
    benchStats: config.benchStats ? createBenchStats() : undefined,
  });
  const httpServer = tls ? https.createServer(tls, routes) : http.createServer(routes);

  const io: GlossServer = new Server(httpServer, {
    transports: ['websocket'],
    maxHttpBufferSize: LIMITS.eventBytes,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    // Off unless GLOSS_DEFLATE=on: compression is per recipient socket (a broadcast is encoded once
    // but deflated once per viewer), measured in docs/benchmarks.md.
    perMessageDeflate: config.deflate ? DEFLATE : false,
    serveClient: false,
    parser: meteredParser,
    adapter: DirectFrameAdapter,
    cors: { origin: false },
    allowRequest: (req, callback) => {
      const address = clientAddress(req, trustedProxies);
      forwarding.note(req);
      if (!originAllowed(req.headers.origin)) {
        refusals.refused('warn', 'origin_refused', 'origin', { origin: req.headers.origin, address });
        return callback('origin not allowed', false);
      }
      const admission = cap.admit(address, req.socket);
      if (admission === 'refused') {
        refusals.refused('info', 'handshake_refused', TOO_MANY, { address, ...forwarding.refusalHint(req, address) });
        return callback(TOO_MANY, false);
      }
      addresses.set(req, address);
      if (admission === 'over') overCap.add(req);
      callback(null, true);
    },
  });

  const presence = new PresenceTracker();
  const broadcaster = new Broadcaster(io, meter, { busyPerSecond: config.batchBusyPerSecond, windowMs: config.batchWindowMs });
  const pendingPresence = new Map<string, string>();
  const commits = new GroupCommit(store);
  const ctx: Context = {
    io,
    store,
    commits,
    presence,
    broadcaster,
    log,
    storage,
    now: () => Date.now(),
    presenceGraceMs: config.presenceGraceMs,
    announcePresence(room, pageKey) {
      if (pendingPresence.size === 0) setImmediate(flushPresence);
      pendingPresence.set(room, pageKey);
    },
  };
  function flushPresence() {
    for (const [room, pageKey] of pendingPresence) broadcaster.presence(room, { pageKey, ...presence.view(room) });
    pendingPresence.clear();
  }

  io.use((socket, next) => {
    if (!overCap.has(socket.request)) return next();
    const address = addresses.get(socket.request)!;
    refusals.refused('info', 'handshake_refused', TOO_MANY, { address, ...forwarding.refusalHint(socket.request, address) });
    next(Object.assign(new Error(TOO_MANY), { data: { code: TOO_MANY } }));
    // The refusal goes out on the next tick; the connection closes once it is written (engine.io
    // drains its buffer first), so a client over the cap holds nothing, even one that does not close.
    setImmediate(() => socket.conn.close());
  });
  io.use((socket, next) => {
    identify(socket.handshake.auth, { secret, anonymous: config.anonymous, tenantExists: (t) => store.tenantExists(t) }).then(
      (identity) => {
        socket.data.identity = identity;
        socket.data.pages = new Map();
        socket.data.joinedUrls = new Map();
        socket.data.bucket = new TokenBucket(config.rateLimit.perSecond, config.rateLimit.burst);
        next();
      },
      (err: unknown) => {
        refusals.refused('info', 'handshake_refused', err instanceof Unauthorized ? err.reason : 'error', { address: addresses.get(socket.request) });
        next(new Error('unauthorized'));
      },
    );
  });
  io.on('connection', (socket) => onConnection(ctx, socket));

  const prune = () => {
    try {
      const now = Date.now();
      const removed = store.prune(now - config.retentionDays * DAY, now);
      if (removed > 0) log.info('pruned', { rows: removed });
    } catch (err) {
      if (!storage.failed(err, 'prune')) log.error('prune_failed', { error: err });
    }
  };
  prune();
  const timers = [setInterval(prune, 60 * 60 * 1000), setInterval(() => meter.flush(), 5_000)];
  for (const t of timers) t.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (err) => reject(listenRefusal(err, config)));
    httpServer.listen(config.port, config.host, () => resolve());
  }).catch((err: unknown) => {
    store.close();
    throw err;
  });
  // Once the start can no longer be refused: a refusal is one log line (README).
  logStartCheck(store, config, log);
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  const url = `${config.tls ? 'https' : 'http'}://${shownHost}:${port}`;

  let closed = false;
  return {
    url,
    port,
    io,
    store,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      // What this turn queued is committed, and its acknowledgements and broadcasts go out (they
      // run on the promise continuations) before the broadcaster's held frames are flushed.
      commits.flush();
      await new Promise((resolve) => setImmediate(resolve));
      broadcaster.close();
      refusals.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      meter.flush();
      store.close();
    },
  };
}

/**
 * The database and the signing key, opened (and on a first start created) in the data folder. The
 * file system refusing them (GLOSS_DB under a file, a folder the server's account may not write, a
 * full or read-only disk) is the operator's to fix: `data_unwritable`, naming the path and the
 * system's code, not a stack trace. What the database file holds is judged by the store itself
 * (`schema_too_new`, `not_a_database`, `not_gloss_database`, `database_corrupt`, schema.ts).
 */
function openData(config: ServerConfig): { store: SqliteStore; secret: Uint8Array } {
  let store: SqliteStore | undefined;
  try {
    const maxBytes = config.dbMaxMb === undefined ? undefined : config.dbMaxMb * 1024 * 1024;
    store = new SqliteStore(config.dbPath, {}, { pageReplyBytes: config.pageReplyBytes, maxBytes, restoreWindowMs: config.restoreWindowMs }, config.dbCheck);
    return { store, secret: loadSecret(config.dbPath, config.secret) };
  } catch (err) {
    store?.close();
    const e = err as { code?: unknown; path?: unknown; syscall?: unknown };
    const fsError = typeof e.syscall === 'string' && typeof e.path === 'string';
    const sqliteError = typeof e.code === 'string' && /^SQLITE_(CANTOPEN|READONLY|FULL)/.test(e.code);
    if (err instanceof StartupError) throw err;
    // A damaged page met while opening (the schema, a migration) rather than by quick_check (schema.ts).
    if (storageCode(err)?.startsWith('SQLITE_CORRUPT')) throw corruptDatabase(config.dbPath, `${String(e.code)}, ${(err as Error).message}`);
    if (!(fsError || sqliteError)) throw err;
    throw new StartupError(
      'data_unwritable',
      `the data folder cannot be used: ${typeof e.path === 'string' ? e.path : config.dbPath}: ${String(e.code)}${fsError ? ` (${String(e.syscall)})` : ''}. ` +
        'Point GLOSS_DB at a file in a folder this account may create and write.',
    );
  }
}

/**
 * Whether this start read the whole database for damage, and why (GLOSS_DB_CHECK,
 * server/store/start-check.ts): an operator wondering about a slow or a quick start finds it here.
 */
function logStartCheck(store: SqliteStore, config: ServerConfig, log: Logger): void {
  if (config.dbPath === ':memory:') return;
  const { ran, reason, ms } = store.startCheck;
  const bytes = fs.statSync(config.dbPath, { throwIfNoEntry: false })?.size ?? 0;
  log.info('integrity_check', { check: ran ? 'ran' : 'skipped', reason, mode: config.dbCheck, ms, mb: Math.round(bytes / 10485.76) / 100 });
}

/** Why the port could not be opened, as the operator reads it: taken (`port_in_use`) or refused to this account or host (`listen_refused`). */
function listenRefusal(err: NodeJS.ErrnoException, config: ServerConfig): Error {
  const where = `${config.host}:${config.port}`;
  if (err.code === 'EADDRINUSE') return new StartupError('port_in_use', `${where} is already in use by another program: stop it, or set PORT to a free port`);
  if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return new StartupError('listen_refused', `cannot listen on ${where} (${err.code}): a port under 1024 needs privileges, and HOST must be an address of this machine`);
  }
  return err;
}
