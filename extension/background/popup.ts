import type { PopupResponses, PopupToBackground, TabState } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import type { TabPort } from './page.js';
import { pageConnection } from './page-connection.js';
import { tabPageWithoutScript, type TabInfo } from './tab-page.js';

export interface PopupDeps {
  /** The browser's view of a tab (`tabs.get`), null when there is no such tab. */
  tab(tabId: number): Promise<TabInfo | null>;
}

/** Answers the popup, which asks about the tab it was opened on. */
export async function answerPopup(request: PopupToBackground, hub: Hub, deps: PopupDeps): Promise<PopupResponses[PopupToBackground['type']]> {
  switch (request.type) {
    case 'tab-state': {
      if (portOfTab(hub, request.tabId) !== undefined) return tabState(hub, request.tabId);
      const tab = await deps.tab(request.tabId);
      // Read again after the wait: the tab's script may have connected meanwhile.
      const state = tabState(hub, request.tabId);
      if (state.page !== 'annotatable') state.page = tabPageWithoutScript(tab);
      return state;
    }
    case 'open-panel': {
      const port = portOfTab(hub, request.tabId);
      port?.post({ type: 'open-panel' });
      return { ok: port !== undefined };
    }
  }
}

function portOfTab(hub: Hub, tabId: number): TabPort | undefined {
  for (const pageKey of hub.rooms.pages()) {
    const port = hub.rooms.ports(pageKey).find((p) => p.tabId === tabId);
    if (port) return port;
  }
  return undefined;
}

/** What the popup shows about a tab: its page, the connection, who is viewing it, how many conversations. */
export function tabState(hub: Hub, tabId: number): TabState {
  const port = portOfTab(hub, tabId);
  const pageKey = port ? (hub.rooms.pageOf(port) ?? null) : null;
  const page = pageKey ? hub.pages.get(pageKey) : undefined;
  return {
    // Refined by the popup's answer (answerPopup) when no script of the tab is connected.
    page: port ? 'annotatable' : 'unsupported',
    connection: pageConnection(hub.deps.connection.state, page),
    refused: hub.deps.connection.refused,
    self: hub.self,
    pageKey,
    viewers: page?.presence?.viewers ?? 0,
    users: page?.presence?.users ?? [],
    conversations: page ? page.view().size : 0,
  };
}
