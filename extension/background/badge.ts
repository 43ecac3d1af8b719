import type { ConnectionState } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import type { Page, TabPort } from './page.js';
import { pageConnection } from './page-connection.js';
import { conversationCount, pageOfTab } from './popup.js';

/**
 * The toolbar button's badge: per tab, how many conversations the tab's page has, so a reader sees
 * that a page is annotated without opening the popup. The number is the popup's (popup.ts
 * `conversationCount`), read from the same page view, so the two never disagree.
 *
 * Decisions:
 * - Empty for 0, for a tab Gloss does not run on (no script connected) and while nothing is known:
 *   until the page's cached state is read, and while a page never in step with the server (no seq:
 *   nothing cached, never joined) shows nothing either.
 * - Otherwise it shows what the popup and the tab's panel show, live or not: offline, reconnecting
 *   or before the join answers, the cached count, with the user's own conversations not sent yet
 *   (made offline on a page never joined, they are all the popup counts, and the badge says the
 *   same). It used to stay empty for a page with no seq: the popup then read "2 conversations" and
 *   the button nothing, for the same tab.
 * - A count that is not live is said so, not hidden: the badge is grey instead of blue while the
 *   page's connection (page-connection.ts, the word the popup and the tab's bar show) is anything
 *   but `live`, and the tooltip adds that word ("…on this page (offline, not live)"), so the colour
 *   is never the only sign. A page opened while online turns blue once its join is answered,
 *   the moment its bar stops saying `connecting`.
 * - Above 999 it reads `999+`: four characters is what the toolbar's badge fits; the tooltip has the number.
 */

/** Largest number the badge spells out. */
export const BADGE_MAX = 999;
/** The manifest's `default_title`: the tooltip of a tab with nothing counted. */
export const DEFAULT_TITLE = 'Gloss';
/**
 * White on this blue has a contrast of 6.7:1 (WCAG asks 4.5:1 for text this small); the text colour is
 * set too, as Chrome and Firefox would otherwise each pick their own.
 */
export const BADGE_BACKGROUND = '#1d4ed8';
/** A count not live (offline, reconnecting, not joined yet): white on this grey is 7.6:1. */
export const BADGE_NOT_LIVE = '#4b5563';
export const BADGE_TEXT = '#ffffff';

/** The badge's text for `count` conversations, null when the count is not known. */
export function badgeText(count: number | null): string {
  if (count === null || count <= 0) return '';
  return count > BADGE_MAX ? `${BADGE_MAX}+` : String(count);
}

/**
 * The button's tooltip for the tab: what the badge means, spelled out; `connection` is the page's
 * connection when it is not live (the count is then the cache's, or the user's own unsent ones).
 */
export function badgeTitle(count: number | null, connection: ConnectionState = 'live'): string {
  if (count === null) return DEFAULT_TITLE;
  const said = count === 0 ? `${DEFAULT_TITLE} — no conversations on this page yet` : `${DEFAULT_TITLE} — ${count} ${count === 1 ? 'conversation' : 'conversations'} on this page`;
  return connection === 'live' ? said : `${said} (${connection}, not live)`;
}

/** The page's count once anything is known of it (see the decisions above), else null: the popup's number. */
export function knownCount(page: Page | undefined): number | null {
  if (page === undefined || !page.ready) return null;
  const count = conversationCount(page);
  return page.seq === null && count === 0 ? null : count;
}

/** What the button shows for a tab on `page`, the socket being `socket`. */
export interface BadgeLook {
  text: string;
  title: string;
  color: string;
}

export function badgeLook(page: Page | undefined, socket: ConnectionState): BadgeLook {
  const count = knownCount(page);
  const connection = pageConnection(socket, page);
  return { text: badgeText(count), title: badgeTitle(count, connection), color: connection === 'live' ? BADGE_BACKGROUND : BADGE_NOT_LIVE };
}

/** The part of `browser.action` the badge uses (webextension-polyfill; Chrome and Firefox MV3 alike). */
export interface ActionApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setTitle(details: { tabId: number; title: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string; tabId?: number }): Promise<void>;
  setBadgeTextColor?(details: { color: string }): Promise<void>;
}

interface Shown extends BadgeLook {
  /** The port the badge was set for: a new port (a new document, a page back from the back/forward cache) is set again. */
  port: TabPort;
}

/**
 * Keeps every tab's badge and tooltip equal to its page's count. `refresh` is called by the hub
 * whenever anything the popup shows may have changed (a tab's script came or went, a page's
 * conversations, its sync): the server's new and deleted conversations, the user's own, a SPA
 * navigation (a new port on another page) and a resync after a restart all pass through it.
 *
 * The browser keeps a tab's badge across worker restarts and clears it when the tab loads another
 * document, while what was set is remembered here only in memory. So a badge is set again for every
 * new port, and a restarted worker, which remembers nothing, sets each tab's again as its port
 * reconnects: empty while its page is read back, then the cached count, then the server's once the
 * page has resynced. A number left from before the restart never stays.
 */
export class ToolbarBadges {
  readonly #shown = new Map<number, Shown>();
  #queued = false;

  constructor(
    private readonly hub: Hub,
    private readonly action: ActionApi,
  ) {
    // The defaults, set at every start (the browser may have forgotten them with an update); the
    // background is set per tab too, with the tab's text (blue or grey).
    void action.setBadgeBackgroundColor({ color: BADGE_BACKGROUND }).catch(() => {});
    void action.setBadgeTextColor?.({ color: BADGE_TEXT }).catch(() => {});
  }

  /** Something a badge shows may have changed: every tab's is looked at once per turn, and set if it changed. */
  refresh(): void {
    if (this.#queued) return;
    this.#queued = true;
    // One look per turn, however many changes it brought (a batch of server events, a resync).
    queueMicrotask(() => {
      this.#queued = false;
      this.#update();
    });
  }

  #update(): void {
    const tabs = new Set<number>();
    for (const pageKey of this.hub.rooms.pages()) for (const port of this.hub.rooms.ports(pageKey)) tabs.add(port.tabId);
    for (const tabId of tabs) {
      const { port, page } = pageOfTab(this.hub, tabId);
      if (port === undefined) continue;
      this.#set(tabId, { port, ...badgeLook(page, this.hub.deps.connection.state) });
    }
    // A tab whose script went (closed, navigated to a page Gloss does not run on, put in the
    // back/forward cache): its badge is emptied (the browser has already done it for a tab gone elsewhere).
    for (const tabId of [...this.#shown.keys()]) {
      if (tabs.has(tabId)) continue;
      this.#shown.delete(tabId);
      this.#apply(tabId, { text: badgeText(null), title: badgeTitle(null), color: BADGE_BACKGROUND });
    }
  }

  #set(tabId: number, next: Shown): void {
    const was = this.#shown.get(tabId);
    this.#shown.set(tabId, next);
    if (was !== undefined && was.port === next.port && was.text === next.text && was.title === next.title && was.color === next.color) return;
    this.#apply(tabId, next);
  }

  #apply(tabId: number, { text, title, color }: BadgeLook): void {
    // A tab closed meanwhile rejects: nothing is left to show. The colour is sent first, so a new
    // number does not show for a moment in the colour of the last one.
    void this.action.setBadgeBackgroundColor({ tabId, color }).catch(() => {});
    void this.action.setBadgeText({ tabId, text }).catch(() => {});
    void this.action.setTitle({ tabId, title }).catch(() => {});
  }
}
