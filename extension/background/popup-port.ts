import type { Runtime } from 'webextension-polyfill';
import { POPUP_PORT, type BackgroundToPopup } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import { listen, untilDisconnect } from './listen.js';
import { parsePopupMessage, popupPortTab } from './messages.js';
import { openPanelOn } from './popup.js';
import type { PopupPort, PopupWatch } from './popup-watch.js';

/**
 * A popup's port: the tab comes from its name, and only from one of this extension's pages (see
 * `popupPortTab`). Anything else named as a popup port is disconnected at once. The port's
 * listeners go with it: on its disconnect, or when the worker's `lifetime` ends.
 */
export function acceptPopupPort(port: Runtime.Port, hub: Hub, popups: PopupWatch, runtimeId: string, extensionBaseUrl: string, lifetime: AbortSignal): void {
  if (!port.name.startsWith(`${POPUP_PORT} `)) return;
  const tabId = popupPortTab(port.name, port.sender, runtimeId, extensionBaseUrl);
  if (tabId === null) {
    port.disconnect();
    return;
  }
  const popup: PopupPort = {
    tabId,
    post(message: BackgroundToPopup) {
      try {
        port.postMessage(message);
      } catch {
        // The popup closed; its onDisconnect cleans up.
      }
    },
  };
  // Removed when the port goes or the worker's lifetime ends, whichever comes first.
  const signal = untilDisconnect(port, lifetime);
  listen(port.onMessage, (raw: unknown) => {
    const message = parsePopupMessage(raw);
    if (message?.type === 'open-panel') popup.post({ type: 'panel-opened', request: message.request, ok: openPanelOn(hub, tabId) });
  }, signal);
  signal.addEventListener('abort', () => popups.remove(popup), { once: true });
  popups.add(popup);
}
