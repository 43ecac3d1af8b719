import type { Role, User } from '../../protocol/model.js';
import type { BackgroundToContent, ConnectionState, ContentToBackground } from '../../protocol/runtime.js';
import type { ServerConnection, ServerSocket } from './connection.js';
import { Page, type TabPort } from './page.js';
import { pageConnection } from './page-connection.js';
import { PageSync } from './page-sync.js';
import { Rooms } from './rooms.js';
import type { PageState } from './reducer.js';
import type { PageDelta } from './unsaved.js';
import type { ServerChange } from './server-schemas.js';
import { Operations, type OutboxStore } from './operations.js';
import type { OutboxRow } from './outbox-codec.js';
import { StoredData } from './stored-data.js';
import { CacheWrites } from './cache-writes.js';

export interface HubDeps {
  connection: ServerConnection;
  readPage(pageKey: string): Promise<PageState | null>;
  /** Stores what a page changed since its last write (cache.ts); false when it was not stored. */
  writePage(delta: PageDelta): Promise<boolean>;
  /** The persisted outbox, read once when the worker starts. */
  readOutbox(): Promise<OutboxRow[]>;
  outbox: OutboxStore;
  /** The scope (scope.ts) of the settings the worker started with. */
  scopeAtStart(): Promise<string>;
  /** The scope the cache and outbox were written under; null before the first one. */
  readScope(): Promise<string | null>;
  writeScope(scope: string): Promise<void>;
  /** Empties the page cache. */
  clearPages(): Promise<void>;
  /**
   * Something an open popup or the toolbar badge shows may have changed: a tab's script came or
   * went, a page's presence, conversations or connection state, or who the user is (popup-watch.ts, badge.ts).
   */
  shown?(): void;
}

/**
 * The worker's routing: ports of tabs grouped by page (Rooms), one Page per open page (or per page
 * with ops in the outbox), and the server's events applied to them. Everything here can be
 * rebuilt: pages from the ports that reconnect, the IndexedDB cache and outbox, the rest from the server.
 * The parts: keeping pages in step with the server (page-sync.ts), the outbox at work
 * (operations.ts), and what is read back from IndexedDB and whose it is (stored-data.ts).
 */
export class Hub {
  readonly rooms = new Rooms<TabPort>();
  readonly pages = new Map<string, Page>();
  readonly ops: Operations;
  readonly sync: PageSync;
  readonly stored: StoredData;
  self: User | null = null;
  /** The user's role from the same session as `self` (known-self.ts), told to the tabs with it. */
  role: Role | null = null;
  /** When each page's state is written to the cache (spaced while it changes fast: cache-writes.ts). */
  readonly cacheWrites: CacheWrites;

  constructor(readonly deps: HubDeps) {
    this.ops = new Operations(this, deps.outbox);
    this.sync = new PageSync(this);
    this.stored = new StoredData(this);
    this.cacheWrites = new CacheWrites((delta) => deps.writePage(delta));
  }

  /** Whether any op waits in the outbox (the socket then stays open with no tab left). */
  async hasOutbox(): Promise<boolean> {
    const stored = await this.stored.hasOps();
    return stored || [...this.pages.values()].some((p) => p.ops.length > 0);
  }

  /** See StoredData.enterScope: called before each socket starts, with the scope of its settings. */
  enterScope(scope: string): Promise<void> {
    return this.stored.enterScope(scope);
  }

  #page(pageKey: string, url: string): Page {
    let page = this.pages.get(pageKey);
    if (page === undefined) {
      page = new Page(pageKey, url, (key) => this.stored.readPage(key), (key) => this.stored.takeRows(key), () => this.#shown());
      this.pages.set(pageKey, page);
    }
    return page;
  }

  // ---- tabs ----

  async attach(port: TabPort, pageKey: string, url: string): Promise<void> {
    this.rooms.add(port, pageKey);
    this.#shown();
    const page = this.#page(pageKey, url);
    port.post(this.connectionMessage(page));
    if (page.presence) port.post({ type: 'presence', ...page.presence });
    await page.loaded;
    if (this.rooms.pageOf(port) !== pageKey) return;
    // Ops of this page dropped by a switch of account (possibly at this worker's start, before any
    // tab was back): this tab may still show them as pending.
    for (const refused of this.stored.refusals(pageKey)) port.post(refused);
    page.push(this.rooms.ports(pageKey).filter((p) => p !== port));
    port.post(page.snapshot());
    page.markShown();
    // A visit begun while the page stayed in step for its outbox (detach) is compared now.
    if (page.synced) this.#compare(page);
    this.#tellUnseen(page, [port]);
    this.#shown();
    // Not only the page's first port: that one may have gone while the page loaded, leaving it unjoined.
    const socket = this.deps.connection.live;
    if (socket && page.status === 'idle') this.sync.join(socket, page);
  }

  detach(port: TabPort): void {
    const gone = this.rooms.remove(port);
    if (gone !== null) this.#shown();
    if (gone === null || !gone.last) return;
    this.stored.pageClosed(gone.pageKey);
    const page = this.pages.get(gone.pageKey);
    if (page === undefined) return;
    this.release(page);
    // Kept for its outbox: the page's next tab begins another visit, from what this one ended with.
    if (this.pages.get(page.key) === page && page.ready) page.visit.begin(page.state.conversations);
  }

  /** The page is in step with the server (page-sync.ts): the first time in a visit, its marks are made and its tabs told. */
  inStep(page: Page): void {
    if (!this.#compare(page)) return;
    this.#tellUnseen(page, this.portsOf(page));
    // The popup's "K new" is the visit's marks.
    this.#shown();
  }

  /** Makes the visit's marks if they are not made yet; true when made now. */
  #compare(page: Page): boolean {
    // Not reading `state` otherwise: handing out its record makes the page's next change copy it.
    return page.visit.unseen === null && page.visit.inStep(page.state.conversations, this.self?.id ?? null);
  }

  /** The user opened conversation `id` in a tab of the port's page: a tab of it opened later does not mark it. */
  seen(port: TabPort, id: string): void {
    const pageKey = this.rooms.pageOf(port);
    if (pageKey === undefined) return;
    this.pages.get(pageKey)?.visit.seen(id);
    // An open popup's "K new" drops by it.
    this.#shown();
  }

  #tellUnseen(page: Page, ports: readonly TabPort[]): void {
    const unseen = page.visit.unseen;
    if (unseen === null) return;
    const message: BackgroundToContent = { type: 'unseen', conversations: [...unseen].map(([id, kind]) => ({ id, kind })) };
    for (const port of ports) port.post(message);
  }

  /**
   * Forgets a page nobody shows once its outbox is empty (its state is in the cache), leaving its
   * room. A page with ops waiting stays joined so they are sent, even with no tab left. A page still
   * being read back is kept until it is: its stored ops (taken from the outbox read at start) may
   * be on their way in, and a page let go would hold them where nothing sends them.
   */
  release(page: Page): void {
    if (this.rooms.has(page.key) || page.ops.length > 0) return;
    if (!page.ready) {
      void page.loaded.then(() => {
        if (this.pages.get(page.key) !== page) return;
        this.release(page);
        // Kept for its ops: the tab that would have joined it is gone, so join it here.
        const socket = this.deps.connection.live;
        if (this.pages.get(page.key) === page && socket && page.status === 'idle') this.sync.join(socket, page);
      });
      return;
    }
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

  connectionMessage(page?: Page): BackgroundToContent {
    return { type: 'connection', state: pageConnection(this.deps.connection.state, page), reason: this.deps.connection.reason, self: this.self, role: this.role };
  }

  /** Tells every tab its page's connection state (after the socket or the page's sync changed). */
  announce(page?: Page): void {
    const pages = page ? [page.key] : this.rooms.pages();
    for (const pageKey of pages) {
      const message = this.connectionMessage(this.pages.get(pageKey));
      for (const port of this.rooms.ports(pageKey)) port.post(message);
    }
    this.#shown();
  }

  #shown(): void {
    this.deps.shown?.();
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

  // ---- server ----

  /** After every (re)connection: join each page a tab shows or an op waits for, resuming from the cached seq. */
  rejoinAll(socket: ServerSocket): void {
    for (const pageKey of this.rooms.pages()) {
      const page = this.pages.get(pageKey);
      if (page) void page.loaded.then(() => this.sync.join(socket, page));
    }
    for (const page of this.pages.values()) {
      if (!this.rooms.has(page.key) && page.ops.length > 0) void page.loaded.then(() => this.sync.join(socket, page));
    }
    void this.stored.waiting().then((stored) => {
      for (const [pageKey, rows] of [...stored]) {
        const first = rows[0];
        if (first === undefined || this.pages.has(pageKey)) continue;
        const page = this.#page(pageKey, first.op.url);
        void page.loaded.then(() => this.sync.join(socket, page));
      }
    });
  }

  /** Broadcasts for one page (from a single event or a batch), if the worker has it open. */
  onChanges(pageKey: string, changes: ServerChange[]): void {
    const page = this.pages.get(pageKey);
    if (page) this.sync.receive(page, changes);
  }

  onPresence(pageKey: string, viewers: number, users: User[]): void {
    const page = this.pages.get(pageKey);
    if (!page) return;
    page.presence = { viewers, users };
    for (const port of this.portsOf(page)) port.post({ type: 'presence', viewers, users });
    this.#shown();
  }

  /** After any change of a page: push the difference to its tabs and save the confirmed state. */
  changed(page: Page): void {
    page.push(this.portsOf(page));
    this.cacheWrites.changed(page);
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

  /**
   * A tab's operation made on a page the tab has since left (ports.ts took the page from the tab's
   * record, tab-history.ts): filed under that page as any of its operations, sent from its outbox
   * like those of a page no tab shows any more, and let go once sent. The tab is on another page
   * now: it hears `received` and any refusal (here, or the server's later), and is pushed nothing of that page.
   */
  operationOn(port: TabPort, pageKey: string, url: string, message: ContentToBackground): void {
    const page = this.#page(pageKey, url);
    void page.loaded.then(() => {
      if (this.pages.get(page.key) !== page) {
        console.warn('[gloss] an operation was dropped: its page was let go while it loaded');
        return;
      }
      this.#operate(page, port, message);
      if (page.ops.some((op) => op.request.broadcastId === message.broadcastId)) this.ops.madeElsewhere(message.broadcastId, port);
      // Nothing to send (refused, or a repeat already sent): no tab shows it, nothing keeps it.
      this.release(page);
    });
  }

  #operate(page: Page, port: TabPort, message: ContentToBackground): void {
    const received = () => port.post({ type: 'received', broadcastId: message.broadcastId });
    // An undo names a conversation the page no longer shows: it must be one the page has seen deleted
    // (its tombstone, or a deletion still in the outbox), or one it shows (the server answers that
    // `unchanged`). Any other id may be another page's, which the wire could not tell.
    const known = (id: string) => page.deleted.includes(id) || page.ops.some((op) => op.kind === 'delete' && op.request.id === id);
    if (message.type === 'restore' && known(message.id)) {
      void this.ops.start(page, message).then(received);
      return;
    }
    if (message.type !== 'create' && !page.view().has(message.id)) {
      // Deleted already: what a delete asks for. (A tab re-sends a delete whose `received` it did not
      // hear before its port dropped, which may have been done since.)
      if (message.type === 'delete' && page.deleted.includes(message.id)) {
        received();
        return;
      }
      const error = { code: 'not_found' as const, message: 'no such conversation on this page' };
      port.post({ type: 'op-failed', broadcastId: message.broadcastId, id: message.id, error });
      return;
    }
    void this.ops.start(page, message).then(received);
  }
}
