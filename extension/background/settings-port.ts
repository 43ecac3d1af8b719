import type { Runtime } from 'webextension-polyfill';
import { SETTINGS_PORT } from '../../protocol/runtime.js';
import { untilDisconnect } from './listen.js';
import { fromExtensionPage } from './messages.js';

/**
 * The settings form's port (protocol/runtime.ts, SETTINGS_PORT), open while it saves. `closed` is
 * called when it closes: the save is over, done or cut short by the form's page closing.
 *
 * Why a port and not only the `storage.local` stamp (shared/settings.ts): a save writes the settings
 * first and the stamp after, and a popup closed between the two (Save, then Escape at once) never
 * writes the stamp; the worker would keep the old server or token until its next start. A port's
 * close always reaches a running worker, however its page ended, and a worker that is not running
 * reads the settings when it starts anyway. And why not have the popup send the settings here to
 * save: that message is lost the same way, and the worker takes nothing from it either. The port
 * carries nothing; the worker reads the settings from storage (an IndexedDB read made after the
 * form's write began waits for that write to end, committed or not) and starts the socket over only
 * if the handshake they make is another (socket-start.ts `saved`), so the stamp's event and the
 * close coming both, the normal case, cost one read more and no reconnection (a refused socket,
 * which any save tries again, may try twice).
 *
 * Only this extension's own pages may hold one: anything else so named is disconnected, unheard.
 */
export function acceptSettingsPort(port: Runtime.Port, runtimeId: string, extensionBaseUrl: string, closed: () => void, lifetime: AbortSignal): void {
  if (port.name !== SETTINGS_PORT) return;
  if (!fromExtensionPage(port.sender, runtimeId, extensionBaseUrl)) {
    console.warn('[gloss] refused a settings port that did not come from an extension page');
    port.disconnect();
    return;
  }
  untilDisconnect(port, lifetime, closed);
}
