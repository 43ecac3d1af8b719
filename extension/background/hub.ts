import * as v from 'valibot';
import type { User } from '../../protocol/model.js';
import type { BackgroundToContent, ConnectionState, ContentToBackground, TabState } from '../../protocol/runtime.js';
import type { ServerConnection, ServerSocket } from './connection.js';
import { Page, type TabPort } from './page.js';
import { Rooms } from './rooms.js';
import { applyChanges, applySnapshot, emptyPage, type PageState } from './reducer.js';
import { SyncAckSchema, type ServerChange, type ServerSyncState } from './server-schemas.js';
import { Operations } from './operations.js';
import { ACK_TIMEOUT_MS } from './timing.js';

/** Syncs in a row that still leave a gap before the worker gives up until the next event. */
const MAX_SYNC_ATTEMPTS = 3;

export interface HubDeps {
  connection: ServerConnection;
  readPage(pageKey: string): Promise<PageState | null>;
  writePage(state: PageState): Promise<void>;
}

/**
 * The worker's routing: ports of tabs grouped by page (Rooms), one Page per open page, and the
 * server's events applied to them. Everything here can be rebuilt: pages from the ports that
 * reconnect and from the IndexedDB cache, the rest from the server.
 */
export class Hub {
  readonly rooms = new Rooms<TabPort>();
  readonly pages = new Map<string, Page>();
  readonly ops: Operations;
  self: User | null = null;
  #writes = new Set<Page>();

  constructor(readonly deps: HubDeps) {
    this.ops = new Operations(this);
  }

  // ---- tabs ----

  async attach(port: TabPort, pageKey: string, url: string): Promise<void> {
    const first = this.rooms.add(port, pageKey);
    let page = this.pages.get(pageKey);
    if (page === undefined) {
      page = new Page(pageKey, url, this.deps.readPage);
      this.pages.set(pageKey, page);
    }
    port.post(this.connectionMessage());
    if (page.presence) port.post({ type: 'presence', ...page.presence });
    await page.loaded;
    if (this.rooms.pageOf(port) !== pageKey) return;
    page.push(this.rooms.ports(pageKey).filter((p) => p !== port));
    port.post(page.snapshot());
    page.markShown();
    const socket = this.deps.connection.live;
    if (first && socket && page.status === 'idle') this.join(socket, page);
  }

  detach(port: TabPort): void {
    const gone = this.rooms.remove(port);
    if (gone === null || !gone.last) return;
    const page = this.pages.get(gone.pageKey);
    if (page === undefined) return;
    const socket = this.deps.connection.live;
    if (socket && page.status !== 'idle') {
      socket.emit('page:leave', { url: page.url }, () => {});
    }
    page.status = 'idle';
    this.release(page);
  }

  /** Forgets a page nobody shows once nothing of it is in flight; its state is in the cache. */
  release(page: Page): void {
    if (this.rooms.has(page.key) || page.ops.length > 0) return;
    if (this.pages.get(page.key) === page) this.pages.delete(page.key);
  }

  portsOf(page: Page): TabPort[] {
    return this.rooms.ports(page.key);
  }

  portOfTab(tabId: number): TabPort | undefined {
    for (const pageKey of this.rooms.pages()) {
      const port = this.rooms.ports(pageKey).find((p) => p.tabId === tabId);
      if (port) return port;
    }
    return undefined;
  }

  broadcast(message: BackgroundToContent): void {
    for (const pageKey of this.rooms.pages()) for (const port of this.rooms.ports(pageKey)) port.post(message);
  }

  connectionMessage(): BackgroundToContent {
    return { type: 'connection', state: this.deps.connection.state, self: this.self };
  }

  connectionChanged(state: ConnectionState): void {
    if (state !== 'live') {
      // Rooms are per socket: after a reconnection every page is joined again (rejoinAll).
      for (const page of this.pages.values()) {
        page.status = 'idle';
        page.syncing = false;
        page.buffer = [];
      }
    }
    this.broadcast(this.connectionMessage());
  }

  tabState(tabId: number): TabState {
    const port = this.portOfTab(tabId);
    const pageKey = port ? (this.rooms.pageOf(port) ?? null) : null;
    const page = pageKey ? this.pages.get(pageKey) : undefined;
    return {
      connection: this.deps.connection.state,
      self: this.self,
      pageKey,
      viewers: page?.presence?.viewers ?? 0,
      users: page?.presence?.users ?? [],
      conversations: page ? page.view().size : 0,
    };
  }

  // ---- server ----

  /** After every (re)connection: join each page a tab shows, resuming from the cached seq. */
  rejoinAll(socket: ServerSocket): void {
    for (const pageKey of this.rooms.pages()) {
      const page = this.pages.get(pageKey);
      if (page) void page.loaded.then(() => this.join(socket, page));
    }
  }

  join(socket: ServerSocket, page: Page): void {
    if (page.status !== 'idle' || !socket.connected) return;
    page.status = 'joining';
    const sinceSeq = page.state.seq ?? undefined;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:join', { url: page.url, ...(sinceSeq !== undefined ? { sinceSeq } : {}) }, (error, raw) => {
      if (page.status !== 'joining' || this.deps.connection.live !== socket) return;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        const why = error ? 'no answer' : answer?.success && !answer.output.ok ? answer.output.error.code : 'unexpected answer';
        console.warn(`[gloss] could not join a page (${why})`);
        page.status = 'idle';
        this.ops.failUnsent(page, { code: 'internal', message: 'The server did not let this page join' });
        return;
      }
      page.status = 'joined';
      this.applySync(page, answer.output, sinceSeq === undefined, 0);
      this.ops.flushUnsent(page, socket);
    });
  }

  /** Asks for what was missed; `full` starts from nothing when the kept state cannot be trusted. */
  sync(page: Page, full: boolean, attempt = 0): void {
    const socket = this.deps.connection.live;
    if (!socket || page.status !== 'joined' || page.syncing) return;
    if (attempt >= MAX_SYNC_ATTEMPTS) {
      console.warn('[gloss] a page stayed out of step with the server after several syncs');
      return;
    }
    page.syncing = true;
    const sinceSeq = full || page.state.seq === null ? 0 : page.state.seq;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:sync', { url: page.url, sinceSeq }, (error, raw) => {
      if (!page.syncing || this.deps.connection.live !== socket) return;
      page.syncing = false;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        console.warn('[gloss] could not sync a page');
        return;
      }
      this.applySync(page, answer.output, sinceSeq === 0, attempt + 1);
    });
  }

  applySync(page: Page, sync: ServerSyncState, fromNothing: boolean, attempt: number): void {
    page.presence = { viewers: sync.viewers, users: sync.users };
    const ports = this.portsOf(page);
    for (const port of ports) port.post({ type: 'presence', ...page.presence });
    let gap: { full: boolean } | null = null;
    if ('conversations' in sync) {
      page.state = applySnapshot(page.state, sync.seq, sync.conversations);
    } else {
      const base = fromNothing ? { ...emptyPage(page.key), seq: 0, deleted: page.state.deleted } : page.state;
      const applied = applyChanges(base, sync.changes);
      page.state = applied.state;
      gap = applied.gap ?? (page.state.seq !== null && page.state.seq < sync.seq ? { full: false } : null);
    }
    this.changed(page);
    const buffered = page.buffer;
    page.buffer = [];
    if (gap) {
      this.sync(page, gap.full, attempt);
      // Held for after the sync's answer; without a sync in flight they cannot be applied in order.
      if (page.syncing) page.buffer.push(...buffered);
    } else if (buffered.length > 0) {
      this.applyServerChanges(page, buffered);
    }
  }

  /** Broadcasts for one page, in seq order. Held back while a join or sync is answering. */
  applyServerChanges(page: Page, changes: ServerChange[]): void {
    if (page.status !== 'joined' || page.syncing) {
      page.buffer.push(...changes);
      return;
    }
    // Our own operations echoed back: they are confirmed now, whether or not the ack came yet.
    for (const change of changes) this.ops.settleEcho(page, change.broadcastId);
    const applied = applyChanges(page.state, changes);
    page.state = applied.state;
    this.changed(page);
    if (applied.gap) this.sync(page, applied.gap.full);
  }

  onChange(pageKey: string, change: ServerChange): void {
    const page = this.pages.get(pageKey);
    if (page) this.applyServerChanges(page, [change]);
  }

  onPresence(pageKey: string, viewers: number, users: User[]): void {
    const page = this.pages.get(pageKey);
    if (!page) return;
    page.presence = { viewers, users };
    for (const port of this.portsOf(page)) port.post({ type: 'presence', viewers, users });
  }

  /** After any change of a page: push the difference to its tabs and save the confirmed state. */
  changed(page: Page): void {
    page.push(this.portsOf(page));
    if (this.#writes.has(page)) return;
    this.#writes.add(page);
    // One write per page per turn, however many changes a frame brought.
    queueMicrotask(() => {
      this.#writes.delete(page);
      void this.deps.writePage(page.state);
    });
  }

  // ---- operations from tabs ----

  operation(port: TabPort, message: ContentToBackground): void {
    const pageKey = this.rooms.pageOf(port);
    const page = pageKey ? this.pages.get(pageKey) : undefined;
    if (page === undefined) return;
    this.ops.start(page, message);
  }
}
