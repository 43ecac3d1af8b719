import type { TabState } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import type { Page, TabPort } from './page.js';
import { pageConnection } from './page-connection.js';
import { tabPageWithoutScript, type TabInfo } from './tab-page.js';

/** The browser's view of a tab (`tabs.get`), null when there is no such tab. */
export type TabLookup = (tabId: number) => Promise<TabInfo | null>;

/** What the popup shows about a tab; what the browser says of it decides when no script of the tab is connected. */
export async function popupTabState(hub: Hub, tabId: number, lookup: TabLookup): Promise<TabState> {
  if (portOfTab(hub, tabId) !== undefined) return tabState(hub, tabId);
  const tab = await lookup(tabId);
  // Read again after the wait: the tab's script may have connected meanwhile.
  const state = tabState(hub, tabId);
  if (state.page !== 'annotatable') state.page = tabPageWithoutScript(tab);
  return state;
}

/** Asks the tab's script to open its panel; false when no script of the tab is connected. */
export function openPanelOn(hub: Hub, tabId: number): boolean {
  const port = portOfTab(hub, tabId);
  port?.post({ type: 'open-panel' });
  return port !== undefined;
}

function portOfTab(hub: Hub, tabId: number): TabPort | undefined {
  for (const pageKey of hub.rooms.pages()) {
    const port = hub.rooms.ports(pageKey).find((p) => p.tabId === tabId);
    if (port) return port;
  }
  return undefined;
}

/** The page a tab's script is connected on: what the popup and the toolbar badge (badge.ts) describe. */
export function pageOfTab(hub: Hub, tabId: number): { port: TabPort | undefined; pageKey: string | null; page: Page | undefined } {
  const port = portOfTab(hub, tabId);
  const pageKey = port ? (hub.rooms.pageOf(port) ?? null) : null;
  return { port, pageKey, page: pageKey ? hub.pages.get(pageKey) : undefined };
}

/**
 * How many conversations a page has, as its tabs show them: the popup's "N conversations" and the
 * toolbar badge are both this number. Counted: open and resolved ones (the panel lists both), the
 * user's own not confirmed yet, and those whose quote is no longer found on the page (the panel
 * lists them as orphaned; only the tab's script can tell them, the worker does not anchor). Not
 * counted: deleted ones, the user's own deletions not confirmed yet included (the view has the
 * outbox applied).
 */
export function conversationCount(page: Page | undefined): number {
  return page ? page.view().size : 0;
}

/**
 * How many of the page's conversations are new since the user's last visit and not opened yet in
 * this one: the visit's marks that the page still shows (one deleted since is not there to find).
 * The popup says it beside "N conversations" as the tab's bar does, and follows `seen`.
 */
export function unseenCount(page: Page | undefined): number {
  const unseen = page?.visit.unseen;
  if (!page || !unseen || unseen.size === 0) return 0;
  const view = page.view();
  let n = 0;
  for (const id of unseen.keys()) if (view.has(id)) n++;
  return n;
}

/** What the popup shows about a tab: its page, the connection, who is viewing it, how many conversations (and how many new). */
export function tabState(hub: Hub, tabId: number): TabState {
  const { port, pageKey, page } = pageOfTab(hub, tabId);
  return {
    // Refined by popupTabState when no script of the tab is connected.
    page: port ? 'annotatable' : 'unsupported',
    connection: pageConnection(hub.deps.connection.state, page),
    reason: hub.deps.connection.reason,
    self: hub.self,
    pageKey,
    viewers: page?.presence?.viewers ?? 0,
    users: page?.presence?.users ?? [],
    conversations: conversationCount(page),
    unseen: unseenCount(page),
  };
}
