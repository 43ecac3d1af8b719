import type { PopupResponses, PopupToBackground } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';

/** Answers the popup, which asks about the tab it was opened on. */
export function answerPopup(request: PopupToBackground, hub: Hub): PopupResponses[PopupToBackground['type']] {
  switch (request.type) {
    case 'tab-state':
      return hub.tabState(request.tabId);
    case 'open-panel': {
      const port = hub.portOfTab(request.tabId);
      port?.post({ type: 'open-panel' });
      return { ok: port !== undefined };
    }
  }
}
