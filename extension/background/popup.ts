import type { PopupResponses, PopupToBackground, TabState } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import type { TabPort } from './page.js';
import { pageConnection } from './page-connection.js';

/** Answers the popup, which asks about the tab it was opened on. */
export function answerPopup(request: PopupToBackground, hub: Hub): PopupResponses[PopupToBackground['type']] {
  switch (request.type) {
    case 'tab-state':
      return tabState(hub, request.tabId);
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
    connection: pageConnection(hub.deps.connection.state, page),
    self: hub.self,
    pageKey,
    viewers: page?.presence?.viewers ?? 0,
    users: page?.presence?.users ?? [],
    conversations: page ? page.view().size : 0,
  };
}
