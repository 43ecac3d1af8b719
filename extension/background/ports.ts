import type { Runtime } from 'webextension-polyfill';
import { pagePortAddress, type BackgroundToContent, type ContentToBackground } from '../../protocol/runtime.js';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import type { Hub } from './hub.js';
import { listen, untilDisconnect } from './listen.js';
import { parseContentMessage, portOrigin } from './messages.js';
import type { TabPort } from './page.js';
import type { TabHistory } from './tab-history.js';

/**
 * A content script's port: the tab and the page's origin come from `port.sender` (what the browser
 * knows); the address within that origin from the port's name, since the sender's is the one the
 * document was loaded with (protocol/runtime.ts, `pagePortName`). The page is added to the tab's
 * record (tab-history.ts), so that changes the tab made there and sends later, from another page
 * (`madeOn`), can still be filed under it. The port's listeners go with it: on its disconnect, or
 * when the worker's `lifetime` ends (a worker torn down is not a tab leaving: nothing is detached
 * then, the hub goes with it).
 */
export function acceptPagePort(port: Runtime.Port, hub: Hub, history: TabHistory, runtimeId: string, onOpen: (port: TabPort) => void, onClose: () => void, lifetime: AbortSignal): void {
  const address = pagePortAddress(port.name);
  if (address === null) return;
  const origin = portOrigin(port.sender, runtimeId, address);
  const tabPort: TabPort = {
    tabId: origin?.tabId ?? -1,
    post(message: BackgroundToContent) {
      try {
        port.postMessage(message);
      } catch {
        // The tab went away; its onDisconnect cleans up.
      }
    },
  };
  if (origin === null) {
    // A page that cannot be annotated (file:, about:, a browser page): it only hears the connection state.
    tabPort.post(hub.connectionMessage());
    return;
  }
  if (lifetime.aborted) return;
  history.record(origin.tabId, origin.pageKey, origin.url);
  onOpen(tabPort);
  const signal = untilDisconnect(port, lifetime, () => {
    hub.detach(tabPort);
    onClose();
  });
  // Changes made on pages the tab has left are filed one after the other, in the order they came.
  let earlier: Promise<void> = Promise.resolve();
  listen(port.onMessage, (raw: unknown) => {
    const message = parseContentMessage(raw);
    if (message === null) return;
    // About the port's page, from its sender, as everything the port carries.
    if (message.type === 'seen') {
      hub.seen(tabPort, message.id);
      return;
    }
    const { madeOn } = message;
    const op = withoutMadeOn(message);
    const pageKey = madeOn === undefined ? origin.pageKey : tryNormalizePageUrl(madeOn);
    if (pageKey === origin.pageKey) {
      hub.operation(tabPort, op);
      return;
    }
    earlier = earlier
      .then(async () => {
        // Same origin as the port's sender: a tab leaves its origin only with a new document, whose script starts empty.
        const visit = pageKey !== null && sameOrigin(madeOn!, port.sender?.url) ? await history.shown(origin.tabId, pageKey) : null;
        if (signal.aborted) return;
        if (visit === null) refuse(tabPort, op);
        else hub.operationOn(tabPort, visit.pageKey, visit.url, op);
      })
      // One that fails must not hold back the ones after it.
      .catch((error: unknown) => console.warn('[gloss] a change made on another page could not be filed:', error instanceof Error ? error.message : String(error)));
  }, signal);
  void hub.attach(tabPort, origin.pageKey, origin.url);
}

function withoutMadeOn(message: ContentToBackground): ContentToBackground {
  const op = { ...message };
  delete op.madeOn;
  return op;
}

function sameOrigin(address: string, senderUrl: string | undefined): boolean {
  try {
    return senderUrl !== undefined && new URL(address).origin === new URL(senderUrl).origin;
  } catch {
    return false;
  }
}

/** A change for a page this tab did not show (recently): not stored, and the tab is told, as of any refusal. Nothing of the page in the log. */
function refuse(port: TabPort, op: ContentToBackground): void {
  console.warn(`[gloss] refused a ${op.type} made on a page this tab has not shown recently`);
  const id = op.type === 'create' ? op.chat.id : op.id;
  port.post({ type: 'op-failed', broadcastId: op.broadcastId, id, error: { code: 'page_not_shown', message: 'made on a page this tab has not shown recently' } });
}
