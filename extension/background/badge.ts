import type { Hub } from './hub.js';
import type { Page, TabPort } from './page.js';
import { conversationCount, pageOfTab } from './popup.js';

/**
 * The toolbar button's badge: per tab, how many conversations the tab's page has, so a reader sees
 * that a page is annotated without opening the popup. The number is the popup's (popup.ts
 * `conversationCount`), read from the same page view, so the two never disagree.
 *
 * Decisions:
 * - Empty for 0, for a tab Gloss does not run on (no script connected) and while the count is not
 *   known: until the page's cached state is read, and while the page has never been in step with the
 *   server (no seq: nothing cached, never joined), when the view holds at most the user's own
 *   unconfirmed conversations. Once known, the cached count is shown until the page has resynced,
 *   as the popup and the tab's panel show it (also offline), and the resync corrects it.
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
export const BADGE_TEXT = '#ffffff';

/** The badge's text for `count` conversations, null when the count is not known. */
export function badgeText(count: number | null): string {
  if (count === null || count <= 0) return '';
  return count > BADGE_MAX ? `${BADGE_MAX}+` : String(count);
}

/** The button's tooltip for the tab: what the badge means, spelled out. */
export function badgeTitle(count: number | null): string {
  if (count === null) return DEFAULT_TITLE;
  if (count === 0) return `${DEFAULT_TITLE} — no conversations on this page yet`;
  return `${DEFAULT_TITLE} — ${count} ${count === 1 ? 'conversation' : 'conversations'} on this page`;
}

/** The page's count once it can be trusted (see the decisions above), else null. */
export function knownCount(page: Page | undefined): number | null {
  if (page === undefined || !page.ready || page.state.seq === null) return null;
  return conversationCount(page);
}

/** The part of `browser.action` the badge uses (webextension-polyfill; Chrome and Firefox MV3 alike). */
export interface ActionApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setTitle(details: { tabId: number; title: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setBadgeTextColor?(details: { color: string }): Promise<void>;
}

interface Shown {
  /** The port the badge was set for: a new port (a new document, a page back from the back/forward cache) is set again. */
  port: TabPort;
  text: string;
  title: string;
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
    // Global, not per tab; set at every start (the browser may have forgotten it with an update).
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
      const count = knownCount(page);
      this.#set(tabId, { port, text: badgeText(count), title: badgeTitle(count) });
    }
    // A tab whose script went (closed, navigated to a page Gloss does not run on, put in the
    // back/forward cache): its badge is emptied (the browser has already done it for a tab gone elsewhere).
    for (const tabId of [...this.#shown.keys()]) {
      if (tabs.has(tabId)) continue;
      this.#shown.delete(tabId);
      this.#apply(tabId, badgeText(null), badgeTitle(null));
    }
  }

  #set(tabId: number, next: Shown): void {
    const was = this.#shown.get(tabId);
    this.#shown.set(tabId, next);
    if (was !== undefined && was.port === next.port && was.text === next.text && was.title === next.title) return;
    this.#apply(tabId, next.text, next.title);
  }

  #apply(tabId: number, text: string, title: string): void {
    // A tab closed meanwhile rejects: nothing is left to show.
    void this.action.setBadgeText({ tabId, text }).catch(() => {});
    void this.action.setTitle({ tabId, title }).catch(() => {});
  }
}
