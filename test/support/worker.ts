import type { BackgroundToContent, BackgroundToPopup, TabState } from '../../protocol/runtime.js';
import { PageRows } from './page-rows.js';
import type { PageState } from '../../extension/background/reducer.js';
import { ServerConnection } from '../../extension/background/connection.js';
import { Hub } from '../../extension/background/hub.js';
import { encodeOutboxRow, readBack } from '../../extension/background/outbox-codec.js';
import type { TabPort } from '../../extension/background/page.js';
import { recallSelf, rememberSelf } from '../../extension/background/known-self.js';
import { scopeOf } from '../../extension/background/scope.js';
import { wireServerEvents } from '../../extension/background/server-events.js';
import { PopupWatch, type PopupPort } from '../../extension/background/popup-watch.js';
import type { BrowserEvent } from '../../extension/background/listen.js';
import type { TabInfo } from '../../extension/background/tab-page.js';
import { SignInReads } from '../../extension/background/sign-in.js';
import { SocketStarter, type SignIn } from '../../extension/background/socket-start.js';
import { acceptSettingsPort } from '../../extension/background/settings-port.js';
import type { Runtime } from 'webextension-polyfill';
import type { Settings } from '../../extension/shared/settings-rules.js';

/**
 * The background service worker as index.ts wires it (the real Hub, ServerConnection and server
 * events, on a real socket.io-client socket), with IndexedDB replaced by plain maps that keep what the
 * worker's cache.ts and outbox-store.ts would keep, through the same codecs (a page as its page row and
 * its bucket rows, as IndexedDB's two stores hold them). The storage outlives a
 * worker, so a test can stop one and start another on it, as the browser does.
 */
export class WorkerStorage {
  readonly pages = new Map<string, PageRows>();
  readonly outbox = new Map<string, unknown>();
  /** The scope the data above was written under (scope.ts), as the private store keeps it. */
  scope: string | null = null;
  /** The last session's user with its scope (known-self.ts), as the private store keeps it. */
  self: unknown = undefined;
  /** The settings as saved (the private store's `settings`); what a worker is started with is taken as saved. */
  settings: Settings | null = null;
  /** How many times a worker read the settings. */
  settingsReads = 0;
  /** Reads of the page cache wait for this (IndexedDB takes its time too). */
  reads: Promise<void> = Promise.resolve();
  /** Reads of the settings wait for this. */
  settingsRead: Promise<void> = Promise.resolve();
  /** Called when the worker empties the page cache, which waits for it (a test acts in the middle of a switch). */
  onClear: () => Promise<void> = () => Promise.resolve();
  /**
   * Called as each read or write of this storage is made, with what it is, and awaited before it
   * answers: a test acts at any chosen await of the worker (the middle of a switch of scope).
   */
  onStep: (what: string) => Promise<void> | void = () => {};

  /** The page's state as a worker would read it back, or null. */
  cached(pageKey: string): PageState | null {
    return this.pages.get(pageKey)?.read(pageKey) ?? null;
  }

  /** Holds every page read until the returned function is called. */
  holdReads(): () => void {
    return this.#hold('reads');
  }

  /** Holds every read of the settings until the returned function is called. */
  holdSettings(): () => void {
    return this.#hold('settingsRead');
  }

  #hold(field: 'reads' | 'settingsRead'): () => void {
    let release!: () => void;
    this[field] = new Promise((resolve) => (release = resolve));
    return () => {
      release();
      this[field] = Promise.resolve();
    };
  }
}

export interface TestWorker {
  hub: Hub;
  connection: ServerConnection;
  /** The open popups, wired to the hub as index.ts does it, on `tabs`. */
  popups: PopupWatch;
  /** The browser's tabs as the popups' side of the worker sees them. */
  tabs: TestTabs;
  /**
   * The worker is stopped: its socket goes with it; what it wrote to storage stays. A cache write it
   * was spacing (cache-writes.ts) is still made, as in a browser that stops an idle worker after 30 s.
   */
  stop(): void;
  /** The worker is stopped at once (the browser closed): its cache writes not started are lost. */
  kill(): void;
  /** The starter index.ts drives (socket-start.ts): `start` is what a tab's port opening does. */
  sockets: SocketStarter;
  /** New settings saved in the popup (a token, another server, a name): what index.ts does on the save's event. */
  useSettings(next: Settings): Promise<void>;
  /** A port opens to the worker (runtime.onConnect), taken as index.ts takes a settings form's; `runtimeId` and `baseUrl` are the worker's. */
  connectPort(port: Runtime.Port): void;
}

/** The extension's id and the address of its pages, as the worker's runtime says them. */
export const RUNTIME_ID = 'gloss-test-extension';
export const EXTENSION_BASE = `chrome-extension://${RUNTIME_ID}/`;

/**
 * A worker as the browser starts it. `idle`: woken by something other than a tab or a waiting op (a
 * save of the settings), so no socket starts until `sockets.start()` (a tab's port opening).
 */
export function startWorker(serverUrl: string, storage: WorkerStorage, identity: { anonymousId: string; name: string; token?: string }, options: { idle?: boolean } = {}): TestWorker {
  storage.settings = { serverUrl, name: identity.name, ...(identity.token ? { token: identity.token } : {}) };
  let hub: Hub | null = null;
  const selfStore = {
    read: async () => {
      const self = structuredClone(storage.self);
      await storage.onStep('read self');
      return self;
    },
    write: async (value: unknown) => {
      storage.self = structuredClone(value);
      await storage.onStep('write self');
    },
  };
  let socketScope = '';
  let popups: PopupWatch | null = null;
  const tabs = new TestTabs();
  const lifetime = new AbortController();
  const connection = new ServerConnection({
    wire: (socket) => {
      const scope = socketScope;
      wireServerEvents(socket, hub!, (known) => void rememberSelf(selfStore, scope, known));
    },
    connected: (socket) => hub!.rejoinAll(socket),
    state: (state) => hub?.connectionChanged(state),
  });
  const signIns = new SignInReads<SignIn>(async () => {
    storage.settingsReads++;
    // As an IndexedDB get: it sees what is stored when it is made, and its answer comes later.
    const settings = structuredClone(storage.settings!);
    await storage.settingsRead;
    await storage.onStep('read settings');
    return { settings, id: identity.anonymousId };
  });
  hub = new Hub({
    connection,
    readPage: async (pageKey) => {
      // As an IndexedDB get: it sees what is stored when it is made, and its answer comes later.
      const stored = storage.pages.get(pageKey)?.read(pageKey) ?? null;
      await storage.reads;
      await storage.onStep('read page');
      return stored;
    },
    writePage: async (delta) => {
      // As one IndexedDB transaction: all of it, at once.
      const rows = storage.pages.get(delta.pageKey) ?? new PageRows();
      rows.write(delta, Date.now());
      storage.pages.set(delta.pageKey, rows);
      await storage.onStep('write page');
      return true;
    },
    readOutbox: async () => {
      const rows = readBack([...storage.outbox.values()].map((row) => structuredClone(row))).rows;
      await storage.onStep('read outbox');
      return rows;
    },
    outbox: {
      put: async (op, order) => {
        storage.outbox.set(op.request.broadcastId, structuredClone(encodeOutboxRow(op, order)));
        await storage.onStep('put op');
      },
      remove: async (broadcastId) => {
        storage.outbox.delete(broadcastId);
        await storage.onStep('remove op');
      },
    },
    scopeAtStart: async () => {
      const { settings, id } = await signIns.atStart;
      return scopeOf(settings, id);
    },
    clearPages: async () => {
      await storage.onClear();
      storage.pages.clear();
      await storage.onStep('clear pages');
    },
    readScope: async () => {
      const scope = storage.scope;
      await storage.onStep('read scope');
      return scope;
    },
    writeScope: async (scope) => {
      storage.scope = scope;
      await storage.onStep('write scope');
    },
    shown: () => popups?.refresh(),
  });
  popups = new PopupWatch(hub, { tab: async (tabId) => tabs.info.get(tabId) ?? null, tabUpdated: tabs.updated, tabRemoved: tabs.removed }, lifetime.signal);
  // As index.ts: the scope of the settings first, who we were in it, then the connection.
  const sockets = new SocketStarter({
    signIns,
    connection,
    hub,
    recallSelf: (scope) => recallSelf(selfStore, scope),
    scoped: (scope) => (socketScope = scope),
  });
  if (options.idle !== true) void sockets.start();
  return {
    hub,
    connection,
    popups,
    tabs,
    sockets,
    stop: () => {
      lifetime.abort();
      sockets.stop();
    },
    kill: () => {
      lifetime.abort();
      sockets.stop();
      hub.cacheWrites.cancel();
    },
    useSettings: (next) => {
      storage.settings = structuredClone(next);
      return sockets.saved();
    },
    connectPort: (port) => acceptSettingsPort(port, RUNTIME_ID, EXTENSION_BASE, () => void sockets.saved(), lifetime.signal),
  };
}

/** A tab's port as the worker sees it: what the worker posts to it is recorded. */
export class TestTab implements TabPort {
  /**
   * What the worker posted, a `changes` message as the `upsert`s and `remove`s it stands for, in the
   * order the tab applies them (content/state/store.ts): what the tab was told, whatever the framing.
   */
  readonly messages: BackgroundToContent[] = [];
  /** What the worker posted, message by message, as posted. */
  readonly posted: BackgroundToContent[] = [];
  /** Called with each message, as it is posted (a `changes` message as its upserts and removes). */
  onMessage: (message: BackgroundToContent) => void = () => {};
  #waiters: (() => void)[] = [];
  constructor(readonly tabId: number) {}

  post(message: BackgroundToContent): void {
    this.posted.push(structuredClone(message));
    const told: BackgroundToContent[] =
      message.type === 'changes'
        ? [...message.upserts.map((conversation) => ({ type: 'upsert' as const, conversation })), ...message.removes.map((id) => ({ type: 'remove' as const, id }))]
        : [message];
    for (const m of told) {
      this.messages.push(structuredClone(m));
      this.onMessage(m);
    }
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** The connection state the tab was told last. */
  get connection(): string | null {
    const last = this.messages.filter((m) => m.type === 'connection').at(-1);
    return last?.type === 'connection' ? last.state : null;
  }

  /** The reason the tab was told last with its connection state (undefined before any). */
  get reason(): string | null | undefined {
    const last = this.messages.filter((m) => m.type === 'connection').at(-1);
    return last?.type === 'connection' ? last.reason : undefined;
  }

  /** Resolves once `check` holds, failing after `ms`. */
  async until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** A browser event (tabs.onUpdated…) that a test fires. */
export class TestEvent<F extends (...args: never[]) => void> implements BrowserEvent<F> {
  readonly listeners = new Set<F>();
  addListener(fn: F): void {
    this.listeners.add(fn);
  }
  removeListener(fn: F): void {
    this.listeners.delete(fn);
  }
  fire(...args: Parameters<F>): void {
    for (const fn of [...this.listeners]) fn(...args);
  }
}

/** What `tabs.get` answers, and the tab events, as a test sets them. */
export class TestTabs {
  readonly info = new Map<number, TabInfo>();
  readonly updated = new TestEvent<(tabId: number, change: { status?: string; url?: string }) => void>();
  readonly removed = new TestEvent<(tabId: number) => void>();
}

/** A popup's port as the worker sees it: the states it is pushed are recorded. */
export class TestPopup implements PopupPort {
  readonly messages: BackgroundToPopup[] = [];
  #waiters: (() => void)[] = [];
  constructor(readonly tabId: number) {}

  post(message: BackgroundToPopup): void {
    this.messages.push(structuredClone(message));
    for (const wake of this.#waiters.splice(0)) wake();
  }

  get states(): TabState[] {
    return this.messages.flatMap((m) => (m.type === 'tab-state' ? [m.state] : []));
  }

  /** Resolves once the last state pushed satisfies `check`, failing after `ms`. */
  async until(check: (state: TabState) => boolean, what: string, ms = 10_000): Promise<TabState> {
    const deadline = Date.now() + ms;
    for (;;) {
      const last = this.states.at(-1);
      if (last !== undefined && check(last)) return last;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
