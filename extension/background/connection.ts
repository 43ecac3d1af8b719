import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../../protocol/events.js';
import type { ConnectionState } from '../../protocol/runtime.js';
import type { Settings } from '../shared/settings.js';

export type ServerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Reconnection: exponential from 0.5 s to 30 s, each delay moved by up to ±50 % so clients spread out.
 *
 * The 30 s cap is kept for the server's sake. A browser that was offline does not wait for it: the
 * `online` event reconnects at once (`online()`). What the cap still governs is a server outage,
 * when every client's network is fine and all of them wait together: after a long one, 10,000
 * clients at the cap come back spread over 15-45 s, some 330 handshakes a second, each with a join
 * and a resync per open page. A 10 s cap would make it 1,000 a second, at the moment the server
 * is starting and its caches are cold, for a few seconds saved once an outage is over.
 *
 * `onlineSpread`: the reconnection after `online` waits up to this long, at random. A network that
 * comes back for many users at once (an office, a provider's outage) would otherwise bring them all
 * in the same instant.
 */
export const RECONNECT = { first: 500, max: 30_000, jitter: 0.5, onlineSpread: 1_000 } as const;

export function handshakeAuth(settings: Settings, anonymousId: string): HandshakeAuth {
  return settings.token ? { token: settings.token } : { anonymousId, name: settings.name };
}

export interface ConnectionHooks {
  /** Called once per new socket, before it connects: register the event handlers on it. */
  wire(socket: ServerSocket): void;
  /** Every (re)connection: time to join the rooms again. */
  connected(socket: ServerSocket): void;
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
  #refused = false;
  #nudge: ReturnType<typeof setTimeout> | null = null;

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
    return this.#refused;
  }

  get open(): boolean {
    return this.#socket !== null;
  }

  start(settings: Settings, anonymousId: string): void {
    this.stop();
    const socket: ServerSocket = io(settings.serverUrl, {
      transports: ['websocket'],
      auth: handshakeAuth(settings, anonymousId),
      forceNew: true,
      reconnection: true,
      reconnectionDelay: RECONNECT.first,
      reconnectionDelayMax: RECONNECT.max,
      randomizationFactor: RECONNECT.jitter,
      timeout: 10_000,
    });
    this.#socket = socket;
    this.#wasLive = false;
    this.#refused = false;
    this.hooks.wire(socket);
    socket.on('connect', () => {
      if (this.#socket !== socket) return;
      this.#wasLive = true;
      this.#refused = false;
      this.#set('live');
      this.hooks.connected(socket);
    });
    socket.on('disconnect', (reason) => {
      if (this.#socket !== socket || reason === 'io client disconnect') return;
      // `active` is false when the server closed us on purpose: no automatic retry then.
      this.#set(socket.active ? 'reconnecting' : 'offline');
    });
    socket.on('connect_error', (error) => {
      if (this.#socket !== socket) return;
      // Never log the handshake itself: it carries the token.
      console.warn(`[gloss] cannot connect to the Gloss server: ${error.message}`);
      this.#refused = !socket.active;
      this.#set(socket.active && this.#wasLive ? 'reconnecting' : 'offline');
    });
    this.#set('connecting');
  }

  /**
   * The browser says the network is back: a socket waiting out its reconnection delay (up to 45 s)
   * tries now, after a short random pause, with its delays starting over. Nothing for a connected
   * socket, a closed one, or one the server turned away (it waits for new settings).
   */
  online(random: () => number = Math.random): void {
    const socket = this.#socket;
    if (socket === null || socket.connected || !socket.active) return;
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

  stop(): void {
    if (this.#nudge !== null) clearTimeout(this.#nudge);
    this.#nudge = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.#set('offline');
  }

  #set(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.hooks.state(state);
  }
}
