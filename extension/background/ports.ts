import type { Runtime } from 'webextension-polyfill';
import { pagePortAddress, type BackgroundToContent } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import { listen, untilDisconnect } from './listen.js';
import { parseContentMessage, portOrigin } from './messages.js';
import type { TabPort } from './page.js';

/**
 * A content script's port: the tab and the page's origin come from `port.sender` (what the browser
 * knows); the address within that origin from the port's name, since the sender's is the one the
 * document was loaded with (protocol/runtime.ts, `pagePortName`). The port's listeners go with it:
 * on its disconnect, or when the worker's `lifetime` ends (a worker torn down is not a tab leaving:
 * nothing is detached then, the hub goes with it).
 */
export function acceptPagePort(port: Runtime.Port, hub: Hub, runtimeId: string, onOpen: () => void, onClose: () => void, lifetime: AbortSignal): void {
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
  onOpen();
  const signal = untilDisconnect(port, lifetime, () => {
    hub.detach(tabPort);
    onClose();
  });
  listen(port.onMessage, (raw: unknown) => {
    const message = parseContentMessage(raw);
    if (message) hub.operation(tabPort, message);
  }, signal);
  void hub.attach(tabPort, origin.pageKey, origin.url);
}
