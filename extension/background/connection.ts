import { io, type Socket } from 'socket.io-client';
import type { ErrorCode } from '../../protocol/errors.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../protocol/events.js';
import type { ConnectionReason, ConnectionState } from '../../protocol/runtime.js';
import type { Settings } from '../shared/settings.js';
import { Backoff, type BackoffPolicy } from './backoff.js';
import { reconnectWith } from './manager-delays.js';

export type ServerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Reconnection: exponential from 0.5 s to 30 s, each delay then moved by up to ±50 % (15-45 s at
 * the cap) so clients spread out.
 *
 * Two loops retry on these numbers (as `BackoffPolicy`s, below), both with backoff.ts's delays.
 * After a drop, Socket.IO's manager does, with the policy handed to it (`reconnectWith`,
 * manager-delays.ts); after a busy refusal, which it does not retry, this class does (`#retryLater`).
 *
 * Decision: the manager's delays are backoff.ts's: `reconnectWith` replaces its backoff's
 * `duration` with one that reads the policy and the attempt count the manager holds. Its own
 * (Socket.IO 4.8) is unsound on a long server outage: it counts attempts without end, and after
 * about 1,016 failed ones (8.5 hours at 30 s) 2^attempts overflows to Infinity, its jitter makes
 * that NaN, and half its delays come out 0: through a night's outage every open browser would
 * retry failed attempts at once, in runs (simulated with its code: 240 attempts an hour instead of
 * 120, up to 7 in a row), all users' together. It also jitters before capping, so from its 8th attempt on
 * every delay was exactly 30 s and clients at the cap stayed only as spread as their first seven
 * delays left them. Redoing reconnection here instead (its own turned off) would mean redoing what
 * the offline probe and `online()` steer. Writing into the manager's backoff is guarded: with a
 * socket.io-client that keeps it in another shape the manager keeps its own delays, with a
 * warning, and test/unit/background/manager-delays.test.ts fails.
 *
 * The 30 s cap is kept for the server's sake. A browser that was offline does not wait for it: the
 * `online` event reconnects at once (`online()`). What the cap still governs is a server outage,
 * when every client's network is fine and all of them wait together: after a long one, 10,000
 * clients at the cap come back over 45 s, at up to some 390 handshakes a second (simulated; some
 * 600 over 30 s with Socket.IO's own delays), each with a join and a resync per open page. A 10 s
 * cap would make it some 1,500 a second, at the moment the server is starting and its caches are
 * cold, for a few seconds saved once an outage is over.
 *
 * `onlineSpread`: the reconnection after `online` waits up to this long, at random. A network that
 * comes back for many users at once (an office, a provider's outage) would otherwise bring them all
 * in the same instant.
 *
 * `offlineProbe`: while the browser says it has no network, one attempt about this often (each
 * delay 15-45 s), instead of the backoff's 0.5 s, 1 s, 2 s… (`offline()` says why there is a probe
 * at all).
 */
export const RECONNECT = { first: 500, max: 30_000, jitter: 0.5, onlineSpread: 1_000, busyFirst: 5_000, offlineProbe: 30_000 } as const;

/** After a drop: Socket.IO's manager. */
export const AFTER_DROP: BackoffPolicy = { first: RECONNECT.first, max: RECONNECT.max, jitter: RECONNECT.jitter };
/** With no network: Socket.IO's manager, slowed to the probe. */
export const PROBE: BackoffPolicy = { first: RECONNECT.offlineProbe, max: RECONNECT.offlineProbe, jitter: RECONNECT.jitter };
/** After a busy refusal: `#retryLater`. */
const BUSY: BackoffPolicy = { first: RECONNECT.busyFirst, max: RECONNECT.max, jitter: RECONNECT.jitter };

/**
 * The handshake refusals that are not about who we are: the server holds as many connections from
 * this network address as it allows (an office behind one NAT address at the server's cap). Another
 * user closing a browser frees a slot, so the socket tries again, first after `busyFirst` (±50 %),
 * doubling up to `max`: the server is saying it is full for this address, and quick retries from
 * everyone behind it would only keep it so. Socket.IO itself does not retry a refused handshake.
 */
const TRANSIENT_REFUSALS: ReadonlySet<string> = new Set<ErrorCode>(['too_many_connections']);

export function handshakeAuth(settings: Settings, anonymousId: string): HandshakeAuth {
  return settings.token ? { token: settings.token } : { anonymousId, name: settings.name };
}

function signInOf(settings: Settings, anonymousId: string): string {
  return JSON.stringify([settings.serverUrl, handshakeAuth(settings, anonymousId)]);
}

export interface ConnectionHooks {
  /** Called once per new socket, before it connects: register the event handlers on it. */
  wire(socket: ServerSocket): void;
  /** Every (re)connection: time to join the rooms again. */
  connected(socket: ServerSocket): void;
  /** The state or its reason changed (`ServerConnection.reason`): a refusal while already offline is news too. */
  state(state: ConnectionState): void;
}

/**
 * The browser's one Socket.IO connection. Only `websocket`: a service worker has no XMLHttpRequest
 * for the polling transport. A settings change replaces the socket (a new identity needs a new
 * handshake).
 */
export class ServerConnection {
  #socket: ServerSocket | null = null;
  #state: ConnectionState = 'offline';
  #wasLive = false;
  /** Why the socket is not live, when the server said so; `#told` is the one the hooks heard last. */
  #reason: ConnectionReason | null = null;
  #told: ConnectionReason | null = null;
  /** Where the socket connects and the handshake it makes, as `start` was given them. */
  #signIn: string | null = null;
  #nudge: ReturnType<typeof setTimeout> | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #busy = new Backoff(BUSY);
  /** No socket, but one is on its way (`stop({ restart: true })`): the tabs read `connecting`, or `offline` with no network. */
  #coming = false;
  /** The browser says it has no network (online.ts reads it again when a worker starts). */
  #offline = false;
  /**
   * The socket connected while the browser said it had no network: its server needs none (it is on
   * loopback). Until the network changes again, it is reconnected to like any server, not probed.
   */
  #reachedOffline = false;

  constructor(private readonly hooks: ConnectionHooks) {}

  get state(): ConnectionState {
    return this.#state;
  }

  /** The socket when it is connected, else null (operations fail fast rather than queue unseen). */
  get live(): ServerSocket | null {
    return this.#socket?.connected ? this.#socket : null;
  }

  /** The server turned the last socket away (a refused handshake): it does not retry until the settings change. */
  get refused(): boolean {
    return this.#reason === 'refused';
  }

  /** Why the connection is not live, when the server said so (protocol/runtime.ts, ConnectionReason). */
  get reason(): ConnectionReason | null {
    return this.#reason;
  }

  get open(): boolean {
    return this.#socket !== null;
  }

  /**
   * Whether a socket started now with these settings would be this one: open, not turned away, to the
   * same address with the same handshake. The display name is in the handshake only when anonymous.
   */
  sameSignIn(settings: Settings, anonymousId: string): boolean {
    return this.#socket !== null && !this.refused && this.#signIn === signInOf(settings, anonymousId);
  }

  start(settings: Settings, anonymousId: string): void {
    this.stop({ restart: true });
    this.#signIn = signInOf(settings, anonymousId);
    const socket: ServerSocket = io(settings.serverUrl, {
      transports: ['websocket'],
      auth: handshakeAuth(settings, anonymousId),
      forceNew: true,
      reconnection: true,
      timeout: 10_000,
    });
    // Before any attempt could fail (the first fails asynchronously): every delay is backoff.ts's.
    reconnectWith(socket.io, this.#offline ? PROBE : AFTER_DROP);
    this.#socket = socket;
    this.#wasLive = false;
    this.#reason = null;
    this.#busy.reset();
    this.#reachedOffline = false;
    this.hooks.wire(socket);
    socket.on('connect', () => {
      if (this.#socket !== socket) return;
      this.#wasLive = true;
      this.#reason = null;
      this.#busy.reset();
      if (this.#offline && !this.#reachedOffline) {
        this.#reachedOffline = true;
        reconnectWith(socket.io, AFTER_DROP);
      }
      this.#set('live');
      this.hooks.connected(socket);
    });
    socket.on('disconnect', (reason) => {
      if (this.#socket !== socket || reason === 'io client disconnect') return;
      // `active` is false when the server closed us on purpose: no automatic retry then.
      this.#set(socket.active && !this.#parked ? 'reconnecting' : 'offline');
    });
    socket.on('connect_error', (error) => {
      if (this.#socket !== socket) return;
      // Never log the handshake itself: it carries the token.
      console.warn(`[gloss] cannot connect to the Gloss server: ${error.message}`);
      if (!socket.active && TRANSIENT_REFUSALS.has(error.message)) {
        this.#retryLater(socket);
        this.#reason = 'busy';
        this.#set(this.#parked ? 'offline' : this.#wasLive ? 'reconnecting' : 'connecting');
        return;
      }
      // Active: the server could not be reached (a busy refusal before it is over too).
      this.#reason = socket.active ? null : 'refused';
      this.#set(socket.active && this.#wasLive && !this.#parked ? 'reconnecting' : 'offline');
    });
    this.#set(this.#parked ? 'offline' : 'connecting');
  }

  /** Offline, with a server that needs the network: only the probe tries it. */
  get #parked(): boolean {
    return this.#offline && !this.#reachedOffline;
  }

  /**
   * The browser says it has no network (`navigator.onLine` false, or the `offline` event). The
   * socket is dropped at once rather than when Socket.IO's ping goes unanswered (10-20 s later: the
   * browser does not close an open WebSocket when the network goes): meanwhile every tab would read
   * `live` and a change made then would look sent while it went nowhere. Dropping it makes the tabs
   * read `offline` and keeps what the user does in the outbox, pending, until the connection is
   * back (the hub treats it as any lost connection: an op in flight is sent again, same ids).
   *
   * Decision: while offline, no reconnection but a slow probe (`RECONNECT.offlineProbe`), starting
   * with one attempt now. `navigator.onLine` false is a reliable "no network" (no interface but
   * loopback is up), and `online()` reconnects at once when it turns, so the backoff's quick
   * attempts would only fail. But it speaks of the network, not of this server: one on loopback (a
   * `localhost` server on a laptop with Wi-Fi off) is still there, and the probe finds it (the
   * first attempt, at once); once found, it is reconnected to with the usual backoff. An attempt
   * with no network fails locally and costs nothing.
   * (`navigator.onLine` true is no proof of a network: that side is left to the backoff.)
   */
  offline(): void {
    if (this.#offline) return;
    this.#offline = true;
    this.#reachedOffline = false;
    if (this.#nudge !== null) clearTimeout(this.#nudge);
    this.#nudge = null;
    const socket = this.#socket;
    // Waiting out a busy refusal (#retryLater), or a socket on its way: nothing to drop, but the tabs read `offline` meanwhile.
    if (this.#retry !== null || (socket === null && this.#coming)) this.#set('offline');
    // Refused, or closed by the server: nothing to drop, and it does not retry anyway.
    if (socket === null || !socket.active) return;
    reconnectWith(socket.io, PROBE);
    // Closing drops the socket and the manager's pending retry; connecting is the probe's first
    // attempt, with its slow delays from then on.
    socket.disconnect();
    this.#set('offline');
    socket.connect();
  }

  /**
   * The browser says the network is back: a socket waiting out its reconnection delay (up to 45 s)
   * tries now, after a short random pause, with its delays starting over. Nothing for a connected
   * socket, a closed one, or one the server turned away (it waits for new settings).
   */
  online(random: () => number = Math.random): void {
    const wasParked = this.#parked;
    this.#offline = false;
    this.#reachedOffline = false;
    const socket = this.#socket;
    if (socket === null) {
      if (this.#coming) this.#set('connecting');
      return;
    }
    if (wasParked) reconnectWith(socket.io, AFTER_DROP);
    if (wasParked && this.#retry !== null) this.#set(this.#wasLive ? 'reconnecting' : 'connecting');
    if (socket.connected || !socket.active) return;
    // Said at once: the tabs read `offline` only while there is no network.
    if (wasParked) this.#set(this.#wasLive ? 'reconnecting' : 'connecting');
    if (this.#nudge !== null) return;
    this.#nudge = setTimeout(() => {
      this.#nudge = null;
      if (this.#socket !== socket || socket.connected || !socket.active) return;
      // Closing the socket drops the manager's pending reconnection timer and resets its backoff;
      // connecting opens a new attempt at once, with the reconnection options kept.
      socket.disconnect();
      socket.connect();
    }, random() * RECONNECT.onlineSpread);
  }

  #retryLater(socket: ServerSocket): void {
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      if (this.#socket === socket && !socket.connected) socket.connect();
    }, this.#busy.next());
  }

  /**
   * Closes the socket. `restart`: another starts in a moment (new settings, socket-start.ts), and the
   * tabs read `connecting` meanwhile, with no reason, as a new socket does; otherwise `offline`.
   *
   * Decision: a deliberate restart (an anonymous user's new name, another server or token) reads
   * `connecting`, not `offline`, nor `live` until the new socket is up. Nothing is wrong, so the
   * bars and the popup must not say `offline` nor announce it (the tabs' Announcer does, and then
   * "back online"). But nothing is connected either: the old socket goes first, on purpose (no op may
   * go out on it while the data of its scope is dropped), and what the user does meanwhile waits in
   * the outbox, which `live` would hide; the new handshake may also be turned away. Not
   * `reconnecting`: the popup explains that one as a connection that was interrupted. With no
   * network the new socket starts parked, so that case still reads `offline`.
   */
  stop({ restart = false }: { restart?: boolean } = {}): void {
    if (this.#nudge !== null) clearTimeout(this.#nudge);
    this.#nudge = null;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    // No retry is left to wait for; a refusal stays (socket-start.ts starts over on a save after one)
    // until a new socket is on its way.
    if (this.#reason === 'busy' || restart) this.#reason = null;
    this.#coming = restart;
    this.#set(restart && !this.#offline ? 'connecting' : 'offline');
  }

  #set(state: ConnectionState): void {
    if (this.#state === state && this.#told === this.#reason) return;
    this.#state = state;
    this.#told = this.#reason;
    this.hooks.state(state);
  }
}
