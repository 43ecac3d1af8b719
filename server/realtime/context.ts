import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.js';
import type { Identity } from '../auth/identity.js';
import type { Logger } from '../log.js';
import type { GroupCommit } from '../store/group-commit.js';
import type { Store } from '../store/types.js';
import type { Broadcaster } from './broadcaster.js';
import type { PresenceTracker } from './presence.js';
import type { StorageLog } from './storage-log.js';
import type { TokenBucket } from './rate-limit.js';

export interface SocketData {
  identity: Identity;
  /** pageKey → room, for the pages this socket has joined. */
  pages: Map<string, string>;
  /**
   * The URLs, as sent, of this socket's joins → their page keys, so that a leave of a page it is on is
   * known without parsing its URL (handle.ts). At most MAX_PAGES_PER_SOCKET; entries of pages left
   * are pruned when it is full (page-join.ts).
   */
  joinedUrls: Map<string, string>;
  bucket: TokenBucket;
}

export type GlossServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GlossSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What every handler may use. */
export interface Context {
  io: GlossServer;
  store: Store;
  /** Every store call of a handler goes through here: one transaction per event-loop turn. */
  commits: GroupCommit;
  presence: PresenceTracker;
  broadcaster: Broadcaster;
  log: Logger;
  /** Logs each kind of storage failure once (store_full, store_failed). */
  storage: StorageLog;
  /** Coalesces presence messages of a room into one per tick. */
  announcePresence(room: string, pageKey: string): void;
  now(): number;
  /** How long a disconnected socket's user stays counted on its pages. */
  presenceGraceMs: number;
}

/** A connection may view this many pages at once; a tab views one. */
export const MAX_PAGES_PER_SOCKET = 256;
