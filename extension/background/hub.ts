import * as v from 'valibot';
import type { User } from '../../protocol/model.js';
import type { BackgroundToContent, ConnectionState, ContentToBackground, TabState } from '../../protocol/runtime.js';
import type { ServerConnection, ServerSocket } from './connection.js';
import { Page, type TabPort } from './page.js';
import { Rooms } from './rooms.js';
import { applyChanges, applySnapshot, emptyPage, type PageState } from './reducer.js';
import { SyncAckSchema, type ServerChange, type ServerSyncState } from './server-schemas.js';
import { Operations, type OutboxStore } from './operations.js';
import { byPage, type OutboxRow } from './outbox-codec.js';
import { opTarget, type PendingOp } from './pending.js';
import { retryDelay } from './outbox-rules.js';
import { ACK_TIMEOUT_MS } from './timing.js';

/** Syncs in a row that still leave a gap before the worker gives up until the next event. */
const MAX_SYNC_ATTEMPTS = 3;

export interface HubDeps {
  connection: ServerConnection;
  readPage(pageKey: string): Promise<PageState | null>;
  writePage(state: PageState): Promise<void>;
  /** The persisted outbox, read once when the worker starts. */
  readOutbox(): Promise<OutboxRow[]>;
  outbox: OutboxStore;
  /** The scope (scope.ts) of the current settings. */
  currentScope(): Promise<string>;
  /** The scope the cache and outbox were written under; null before the first one. */
  readScope(): Promise<string | null>;
  writeScope(scope: string): Promise<void>;
  /** Empties the page cache. */
  clearPages(): Promise<void>;
}

/** Why a join or sync got no usable answer, for the worker's log (`null`: none came in time). */
function failedBecause(answer: v.SafeParseResult<typeof SyncAckSchema> | null): string {
  if (answer === null) return 'no answer';
  return answer.success && !answer.output.ok ? answer.output.error.code : 'unexpected answer';
}

/**
 * What a page's tabs are told about the connection: `live` only once the socket is up AND the page
 * is joined and in step with the server; before that `connecting` (first time) or `reconnecting`.
 */
export function pageConnection(socketState: ConnectionState, page: { status: string; synced: boolean; state: { seq: number | null } } | undefined): ConnectionState {
  if (socketState !== 'live') return socketState;
  if (page === undefined) return 'connecting';
  if (page.status === 'joined' && page.synced) return 'live';
  return page.state.seq !== null ? 'reconnecting' : 'connecting';
}

/**
 * The worker's routing: ports of tabs grouped by page (Rooms), one Page per open page (or per page
 * with ops in the outbox), and the server's events applied to them. Everything here can be
 * rebuilt: pages from the ports that reconnect, the IndexedDB cache and outbox, the rest from the server.
 */
export class Hub {
  readonly rooms = new Rooms<TabPort>();
  readonly pages = new Map<string, Page>();
  readonly ops: Operations;
  self: User | null = null;
  #writes = new Set<Page>();
  /** Outbox ops read back at start, per page, until their page is opened. */
  #stored: Promise<Map<string, PendingOp[]>>;

  /** The stored data checked against the current settings' scope (enterScope); pages load after it. */
  #scoped: Promise<void>;

  constructor(readonly deps: HubDeps) {
    this.ops = new Operations(this, deps.outbox);
    this.#scoped = deps
      .currentScope()
      .then((scope) => this.#switchScope(scope, () => this.#dropStoredData()))
      .catch((error: unknown) => console.warn('[gloss] could not check whose data is stored:', error instanceof Error ? error.message : String(error)));
    this.#stored = this.#scoped.then(() => deps.readOutbox()).then((rows) => {
      this.ops.restored(rows);
      return byPage(rows);
    });
  }

  /** Whether any op waits in the outbox (the socket then stays open with no tab left). */
  async hasOutbox(): Promise<boolean> {
    const stored = await this.#stored;
    return [...stored.values()].some((l) => l.length > 0) || [...this.pages.values()].some((p) => p.ops.length > 0);
  }

  #page(pageKey: string, url: string): Page {
    let page = this.pages.get(pageKey);
    if (page === undefined) {
      page = new Page(pageKey, url, (key) => this.#scoped.then(() => this.deps.readPage(key)), (key) =>
        this.#stored.then((stored) => {
          const ops = stored.get(key) ?? [];
          stored.delete(key);
          return ops;
        }),
      );
      this.pages.set(pageKey, page);
    }
    return page;
  }

  // ---- tabs ----

  async attach(port: TabPort, pageKey: string, url: string): Promise<void> {
    this.rooms.add(port, pageKey);
    const page = this.#page(pageKey, url);
    port.post(this.connectionMessage(page));
    if (page.presence) port.post({ type: 'presence', ...page.presence });
    await page.loaded;
    if (this.rooms.pageOf(port) !== pageKey) return;
    page.push(this.rooms.ports(pageKey).filter((p) => p !== port));
    port.post(page.snapshot());
    page.markShown();
    // Not only the page's first port: that one may have gone while the page loaded, leaving it unjoined.
    const socket = this.deps.connection.live;
    if (socket && page.status === 'idle') this.join(socket, page);
  }

  detach(port: TabPort): void {
    const gone = this.rooms.remove(port);
    if (gone === null || !gone.last) return;
    const page = this.pages.get(gone.pageKey);
    if (page !== undefined) this.release(page);
  }

  /**
   * Forgets a page nobody shows once its outbox is empty (its state is in the cache), leaving its
   * room. A page with ops waiting stays joined so they are sent, even with no tab left.
   */
  release(page: Page): void {
    if (this.rooms.has(page.key) || page.ops.length > 0) return;
    const socket = this.deps.connection.live;
    // Also while a join that got no answer waits to be retried (`waiting`): the server may have joined
    // it, and would count this user as viewing the page for as long as the socket stays up.
    if (socket && (page.status !== 'idle' || page.waiting !== null)) socket.emit('page:leave', { url: page.url }, () => {});
    page.status = 'idle';
    page.stopSync();
    this.ops.disconnected(page);
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

  connectionMessage(page?: Page): BackgroundToContent {
    return { type: 'connection', state: pageConnection(this.deps.connection.state, page), self: this.self };
  }

  /** Tells every tab its page's connection state (after the socket or the page's sync changed). */
  announce(page?: Page): void {
    const pages = page ? [page.key] : this.rooms.pages();
    for (const pageKey of pages) {
      const message = this.connectionMessage(this.pages.get(pageKey));
      for (const port of this.rooms.ports(pageKey)) port.post(message);
    }
  }

  connectionChanged(state: ConnectionState): void {
    if (state !== 'live') {
      // Rooms are per socket: after a reconnection every page is joined again (rejoinAll).
      for (const page of this.pages.values()) {
        page.status = 'idle';
        page.stopSync();
        page.synced = false;
        page.buffer = [];
        this.ops.disconnected(page);
      }
    }
    this.announce();
  }

  tabState(tabId: number): TabState {
    const port = this.portOfTab(tabId);
    const pageKey = port ? (this.rooms.pageOf(port) ?? null) : null;
    const page = pageKey ? this.pages.get(pageKey) : undefined;
    return {
      connection: pageConnection(this.deps.connection.state, page),
      self: this.self,
      pageKey,
      viewers: page?.presence?.viewers ?? 0,
      users: page?.presence?.users ?? [],
      conversations: page ? page.view().size : 0,
    };
  }

  /**
   * Called before each socket starts, with the scope of its settings. When it is not the scope the
   * cache and outbox were written under, they are dropped (scope.ts says why): the cached pages, and
   * every op not sent yet, each reported to its tabs as refused. Data from before scopes were kept
   * is taken to be the current scope's.
   */
  async enterScope(scope: string): Promise<void> {
    await this.#scoped;
    await this.#switchScope(scope, () => this.#dropScopedData());
  }

  async #switchScope(scope: string, drop: () => Promise<void>): Promise<void> {
    const previous = await this.deps.readScope();
    if (previous === scope) return;
    if (previous !== null) await drop();
    await this.deps.writeScope(scope);
  }

  /** At the worker's start, before any page or op is read back: there is no tab to tell yet. */
  async #dropStoredData(): Promise<void> {
    for (const row of await this.deps.readOutbox()) await this.deps.outbox.remove(row.broadcastId);
    await this.deps.clearPages();
  }

  async #dropScopedData(): Promise<void> {
    const stored = await this.#stored;
    for (const ops of stored.values()) for (const op of ops) await this.deps.outbox.remove(op.request.broadcastId);
    stored.clear();
    await Promise.all([...this.pages.values()].map((page) => page.loaded));
    await this.deps.clearPages();
    const error = { code: 'unauthorized' as const, message: 'you switched to another server or account before this was sent' };
    for (const page of this.pages.values()) {
      for (const op of page.ops) {
        await this.deps.outbox.remove(op.request.broadcastId);
        for (const port of this.portsOf(page)) port.post({ type: 'op-failed', broadcastId: op.request.broadcastId, id: opTarget(op), error });
      }
      page.ops = [];
      page.tries.clear();
      page.inFlight = null;
      page.state = emptyPage(page.key);
      page.presence = null;
      page.push(this.portsOf(page));
    }
  }

  // ---- server ----

  /** After every (re)connection: join each page a tab shows or an op waits for, resuming from the cached seq. */
  rejoinAll(socket: ServerSocket): void {
    for (const pageKey of this.rooms.pages()) {
      const page = this.pages.get(pageKey);
      if (page) void page.loaded.then(() => this.join(socket, page));
    }
    for (const page of this.pages.values()) {
      if (!this.rooms.has(page.key) && page.ops.length > 0) void page.loaded.then(() => this.join(socket, page));
    }
    void this.#stored.then((stored) => {
      for (const [pageKey, ops] of [...stored]) {
        const first = ops[0];
        if (first === undefined || this.pages.has(pageKey)) continue;
        const page = this.#page(pageKey, first.url);
        void page.loaded.then(() => this.join(socket, page));
      }
    });
  }

  join(socket: ServerSocket, page: Page, attempt = 0): void {
    if (page.status !== 'idle' || !socket.connected || this.deps.connection.live !== socket) return;
    page.status = 'joining';
    page.synced = false;
    const sinceSeq = page.state.seq ?? undefined;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:join', { url: page.url, ...(sinceSeq !== undefined ? { sinceSeq } : {}) }, (error, raw) => {
      if (page.status !== 'joining' || this.deps.connection.live !== socket) return;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        console.warn(`[gloss] could not join a page (${failedBecause(answer)}); trying again`);
        page.status = 'idle';
        // The outbox keeps its ops: they go out once a later join succeeds.
        page.waiting = setTimeout(() => {
          page.waiting = null;
          this.join(socket, page, attempt + 1);
        }, retryDelay(attempt + 1));
        return;
      }
      page.status = 'joined';
      this.applySync(page, answer.output, sinceSeq === undefined, 0);
    });
  }

  /**
   * Asks for what was missed; `full` starts from nothing when the kept state cannot be trusted.
   * `attempt` counts syncs answered that still left a gap, `failures` syncs that got no usable answer.
   */
  sync(page: Page, full: boolean, attempt = 0, failures = 0): void {
    const socket = this.deps.connection.live;
    if (!socket || page.status !== 'joined' || page.syncing) return;
    if (attempt >= MAX_SYNC_ATTEMPTS) {
      console.warn('[gloss] a page stayed out of step with the server after several syncs');
      return;
    }
    page.syncing = true;
    const sinceSeq = full || page.state.seq === null ? 0 : page.state.seq;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:sync', { url: page.url, sinceSeq }, (error, raw) => {
      if (!page.syncing || page.resync !== null || this.deps.connection.live !== socket) return;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        console.warn(`[gloss] could not sync a page (${failedBecause(answer)}); trying again`);
        this.#syncLater(page, full, attempt, failures + 1);
        return;
      }
      page.syncing = false;
      this.applySync(page, answer.output, sinceSeq === 0, attempt + 1);
    });
  }

  /**
   * A sync got no usable answer (`rate_limited`, `internal`, a timeout) on a socket that is still up:
   * the gap is still there, so the page is not in step. Its tabs read `reconnecting`, server events
   * stay buffered and its outbox waits, until a later sync closes the gap. Marking it in step here
   * would leave the missed changes out until some later event happened to show the gap again.
   */
  #syncLater(page: Page, full: boolean, attempt: number, failures: number): void {
    if (page.synced) {
      page.synced = false;
      this.announce(page);
    }
    page.resync = setTimeout(() => {
      page.resync = null;
      page.syncing = false;
      this.sync(page, full, attempt, failures);
    }, retryDelay(failures));
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
    this.afterSync(page);
  }

  /** A join or sync is over: the page is live when nothing is left to fetch; then its outbox goes out. */
  afterSync(page: Page): void {
    if (page.syncing || page.status !== 'joined') return;
    const was = page.synced;
    page.synced = true;
    if (!was) this.announce(page);
    this.ops.pump(page);
  }

  /** Broadcasts for one page, in seq order. Held back while a join or sync is answering. */
  applyServerChanges(page: Page, changes: ServerChange[]): void {
    if (page.status !== 'joined' || page.syncing) {
      page.buffer.push(...changes);
      return;
    }
    const applied = applyChanges(page.state, changes);
    page.state = applied.state;
    // Our own operations echoed back: they are confirmed now, whether or not the ack came yet.
    for (const change of changes) this.ops.settleEcho(page, change.broadcastId, change.type === 'updated-text-chat' ? change.revision : null);
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

  /**
   * A tab's operation, filed under the page its port is on (from the sender). An update or delete
   * must name a conversation that page shows: the wire does not tie them to a page, so this is the
   * only place where a change aimed at another page's conversation can be stopped. Until the page's
   * cache is read that cannot be told, so operations wait for it, in the order they came.
   */
  operation(port: TabPort, message: ContentToBackground): void {
    const pageKey = this.rooms.pageOf(port);
    const page = pageKey ? this.pages.get(pageKey) : undefined;
    if (page === undefined) return;
    if (!page.ready) {
      void page.loaded.then(() => {
        if (this.pages.get(page.key) === page) this.#operate(page, port, message);
        else console.warn('[gloss] an operation was dropped: its page was let go while it loaded');
      });
      return;
    }
    this.#operate(page, port, message);
  }

  #operate(page: Page, port: TabPort, message: ContentToBackground): void {
    if (message.type !== 'create' && !page.view().has(message.id)) {
      const error = { code: 'not_found' as const, message: 'no such conversation on this page' };
      port.post({ type: 'op-failed', broadcastId: message.broadcastId, id: message.id, error });
      return;
    }
    this.ops.start(page, message);
  }
}
