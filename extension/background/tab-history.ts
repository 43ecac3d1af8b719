import * as v from 'valibot';
import { isWireUrl } from './messages.js';

/**
 * Which pages each tab's ports were opened on, so that a change a tab made on a page it has since
 * left (a single-page app moved on while the port was down: content/port/connection.ts) can still be
 * filed under that page, and under no page the tab never showed. A page enters a tab's record only
 * as the worker accepts a port for it (ports.ts: the tab and origin from `port.sender`, the address
 * within that origin, `portOrigin`), never from a message. Kept in `storage.session`: the worker that
 * accepted the old page's port is often not the one that hears the change (it was stopped, which is
 * why the port was down), and the area lives as long as the browser session, like tab ids, and is
 * not readable by content scripts.
 */
export const TAB_HISTORY = {
  /** Pages kept per tab, the latest. A change waits at most one reconnect of the port: a few are plenty. */
  pages: 10,
  /** A page is taken only if the tab left it (opened a port on the next one) no longer ago than this. */
  leftWithinMs: 60 * 60_000,
  /** Tabs kept, those with the latest ports (a closed tab's record goes with it: `forget`). */
  tabs: 100,
} as const;

const KEY = 'tabPages';

export interface PageVisit {
  pageKey: string;
  /** The address sent to the server for the page (messages.ts, `wireUrl`). */
  url: string;
  /** When a port of the tab was last opened on the page (ms). */
  at: number;
}

/** A visit read back is checked like an outbox row (outbox-codec.ts): its address is the one sent for its key (isWireUrl). */
const Visit = v.pipe(
  v.strictObject({ pageKey: v.string(), url: v.string(), at: v.number() }),
  v.check((visit) => isWireUrl(visit.url, visit.pageKey)),
);
const Stored = v.record(v.pipe(v.string(), v.regex(/^\d{1,15}$/)), v.array(Visit));

/** The tab's visits with `visit` last (an earlier visit of the same page goes), at most TAB_HISTORY.pages. */
export function withVisit(visits: readonly PageVisit[], visit: PageVisit): PageVisit[] {
  return [...visits.filter((v) => v.pageKey !== visit.pageKey), visit].slice(-TAB_HISTORY.pages);
}

/**
 * The visit a change made on `pageKey` is filed under: the tab showed that page (a port of it was
 * opened there) and left it no longer than TAB_HISTORY.leftWithinMs ago (when its next page's port
 * opened), or shows it still. Null otherwise: the change is refused.
 */
export function shownPage(visits: readonly PageVisit[], pageKey: string, now: number): PageVisit | null {
  const at = visits.findIndex((v) => v.pageKey === pageKey);
  if (at < 0) return null;
  const next = visits[at + 1];
  if (next !== undefined && now - next.at > TAB_HISTORY.leftWithinMs) return null;
  return visits[at]!;
}

/** The part of `storage.session` used here. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** Every tab's record, read once from the session area, written whole after each change (it is small). */
export class TabHistory {
  #tabs: Promise<Map<number, PageVisit[]>>;
  #writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
  ) {
    this.#tabs = area.get(KEY).then(
      (items) => {
        if (items[KEY] === undefined) return new Map();
        const stored = v.safeParse(Stored, items[KEY]);
        if (stored.success) return new Map(Object.entries(stored.output).map(([tab, visits]) => [Number(tab), visits]));
        console.warn('[gloss] the tabs\' page records were unreadable and are started over');
        return new Map();
      },
      () => {
        console.warn('[gloss] the tabs\' page records could not be read; they are started over');
        return new Map();
      },
    );
  }

  /** A port of `tabId` was accepted for the page. */
  record(tabId: number, pageKey: string, url: string): void {
    this.#tabs = this.#tabs.then((tabs) => {
      const visits = withVisit(tabs.get(tabId) ?? [], { pageKey, url, at: this.now() });
      tabs.delete(tabId);
      tabs.set(tabId, visits);
      // The tab whose port opened longest ago goes first (a Map keeps insertion order).
      for (const tab of tabs.keys()) {
        if (tabs.size <= TAB_HISTORY.tabs) break;
        tabs.delete(tab);
      }
      this.#write(tabs);
      return tabs;
    });
  }

  /**
   * The tab was closed: its record goes, so that closed tabs do not fill the 100 kept (a tab id is
   * never used again within a session, so nothing could be filed under it anyway).
   */
  forget(tabId: number): void {
    this.#tabs = this.#tabs.then((tabs) => {
      if (tabs.delete(tabId)) this.#write(tabs);
      return tabs;
    });
  }

  /** See shownPage; after every `record` made before it. */
  async shown(tabId: number, pageKey: string): Promise<PageVisit | null> {
    const tabs = await this.#tabs;
    return shownPage(tabs.get(tabId) ?? [], pageKey, this.now());
  }

  /** Done once every write asked for so far is. */
  written(): Promise<void> {
    return this.#tabs.then(() => this.#writes);
  }

  #write(tabs: Map<number, PageVisit[]>): void {
    this.#writes = this.#writes
      .then(() => this.area.set({ [KEY]: Object.fromEntries(tabs) }))
      .catch(() => console.warn('[gloss] the tabs\' page records could not be written'));
  }
}
