import * as v from 'valibot';
import { Shortcut } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import { listen, type BrowserEvent } from './listen.js';
import { pageOfTab } from './popup.js';

/** What the browser says of the tab a shortcut was pressed in (`commands.onCommand`): only its id is read. */
export interface CommandTab {
  id?: number;
}

/** `commands.onCommand`, as both polyfill and chrome.* shape it. */
export type CommandEvent = BrowserEvent<(command: string, tab?: CommandTab) => void>;

/**
 * Tells the script of `tab` that the user pressed the shortcut `command` there; false when no script
 * of that tab is connected (a browser page, a page Gloss is not running on, no tab at all). The tab is
 * the one the browser names with the command: nothing else chooses where it goes, and the content
 * script validates the message as it does every other of the worker's.
 */
export function relayCommand(hub: Hub, command: Shortcut, tab: CommandTab | undefined): boolean {
  const tabId = tab?.id;
  if (typeof tabId !== 'number' || tabId < 0) return false;
  const { port } = pageOfTab(hub, tabId);
  port?.post({ type: 'command', command });
  return port !== undefined;
}

/**
 * Relays every shortcut to its tab (relayCommand) until `signal` aborts. When no script of the tab can
 * be told, `untold` runs instead: no Gloss UI is in that page to say anything, and the popup says why
 * (index.ts opens it). A command that is not one of the manifest's is dropped with a warning.
 */
export function listenForCommands(event: CommandEvent, hub: Hub, untold: () => void, signal: AbortSignal): void {
  listen(
    event,
    (command: string, tab?: CommandTab) => {
      if (!v.is(Shortcut, command)) {
        console.warn(`[gloss] ignored a command that is not one of the manifest's: ${JSON.stringify(String(command).slice(0, 40))}`);
        return;
      }
      if (!relayCommand(hub, command, tab)) untold();
    },
    signal,
  );
}
