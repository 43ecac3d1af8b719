import type { BackgroundToPopup } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import { listen, type BrowserEvent } from './listen.js';
import { popupTabState, type TabLookup } from './popup.js';

/** A popup's port as the worker sees it: the tab it describes and how to reach it. */
export interface PopupPort {
  readonly tabId: number;
  post(message: BackgroundToPopup): void;
}

export interface PopupWatchDeps {
  tab: TabLookup;
  /**
   * The browser's tab events (`tabs.onUpdated`, `tabs.onRemoved`): a tab that starts or stops loading,
   * moves to another address or closes changes what a popup says of it before any script of it connects.
   */
  tabUpdated: BrowserEvent<(tabId: number, change: { status?: string; url?: string }) => void>;
  tabRemoved: BrowserEvent<(tabId: number) => void>;
}

interface Watcher {
  /** What the port was last sent (its JSON), so an unchanged state is not sent again. */
  sent: string | null;
  /** Computations of its state started; only the latest may post (a tab lookup can overtake another). */
  asked: number;
}

/**
 * The open popups and the tab each describes. Each gets its tab's state when its port opens and
 * again whenever it changes: `refresh` is called by the hub when anything a popup shows may have
 * changed (a tab's script, presence, the connection, the user, a page's conversations) and here on
 * the browser's tab events. Nothing here outlives the worker, and nothing needs to: a restarted
 * worker drops the popups' ports, and each popup opens a new one and is sent its state again.
 */
export class PopupWatch {
  readonly #watchers = new Map<PopupPort, Watcher>();
  /** The tab events are listened to only while a popup is open: a listener at the top level would wake the worker on every tab's every load. */
  #tabEvents: AbortController | null = null;
  #queued = false;

  constructor(
    private readonly hub: Hub,
    private readonly deps: PopupWatchDeps,
    private readonly lifetime: AbortSignal,
  ) {}

  get size(): number {
    return this.#watchers.size;
  }

  add(port: PopupPort): void {
    this.#watchers.set(port, { sent: null, asked: 0 });
    if (this.#tabEvents === null) this.#listen();
    void this.#send(port);
  }

  remove(port: PopupPort): void {
    this.#watchers.delete(port);
    if (this.#watchers.size > 0) return;
    this.#tabEvents?.abort();
    this.#tabEvents = null;
  }

  /** Something a popup shows may have changed: each popup is sent its tab's state, if that changed, once per turn. */
  refresh(): void {
    if (this.#queued || this.#watchers.size === 0) return;
    this.#queued = true;
    // One look per turn, however many changes it brought (a batch of server events, a reconnection).
    queueMicrotask(() => {
      this.#queued = false;
      for (const port of this.#watchers.keys()) void this.#send(port);
    });
  }

  #listen(): void {
    const controller = new AbortController();
    this.#tabEvents = controller;
    const signal = AbortSignal.any([this.lifetime, controller.signal]);
    const ofWatched = (tabId: number) => [...this.#watchers.keys()].some((p) => p.tabId === tabId);
    listen(this.deps.tabUpdated, (tabId, change) => {
      if ((change.status !== undefined || change.url !== undefined) && ofWatched(tabId)) this.refresh();
    }, signal);
    listen(this.deps.tabRemoved, (tabId) => {
      if (ofWatched(tabId)) this.refresh();
    }, signal);
  }

  async #send(port: PopupPort): Promise<void> {
    const watcher = this.#watchers.get(port);
    if (watcher === undefined) return;
    const mine = ++watcher.asked;
    const state = await popupTabState(this.hub, port.tabId, this.deps.tab);
    if (this.#watchers.get(port) !== watcher || watcher.asked !== mine) return;
    const json = JSON.stringify(state);
    if (json === watcher.sent) return;
    watcher.sent = json;
    port.post({ type: 'tab-state', state });
  }
}
