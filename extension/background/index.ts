import browser from 'webextension-polyfill';
import { loadSettings, SETTINGS_SAVED_KEY } from '../shared/settings.js';
import { clearPages, readPage, writePage } from './cache.js';
import { readPrivate, writePrivate } from '../shared/private-store.js';
import { scopeOf } from './scope.js';
import { SignInReads } from './sign-in.js';
import { SocketStarter, type SignIn } from './socket-start.js';
import { deleteOutbox, putOutbox, readOutbox } from './outbox-store.js';
import { ServerConnection } from './connection.js';
import { watchOnline, type NetworkScope } from './online.js';
import { Hub } from './hub.js';
import { anonymousId } from './identity.js';
import { recallSelf, rememberSelf } from './known-self.js';
import { listen } from './listen.js';
import { acceptPopupPort } from './popup-port.js';
import { PopupWatch } from './popup-watch.js';
import { acceptPagePort } from './ports.js';
import type { TabPort } from './page.js';
import { TabHistory } from './tab-history.js';
import { acceptSettingsPort } from './settings-port.js';
import { ToolbarBadges } from './badge.js';
import { listenForCommands } from './commands.js';
import { ShortcutKeysTeller } from './shortcut-keys.js';
import { rebindingEvent } from '../shared/shortcut-keys.js';
import { wireServerEvents } from './server-events.js';

/**
 * The MV3 background: every listener is registered synchronously here, at the top level, so that an
 * event that wakes a stopped worker finds its listener. The state that matters lives in IndexedDB
 * and storage; the rest is rebuilt from the ports that reconnect.
 */

/** With no tab left to serve, the socket is closed after this long (so an idle browser is not kept awake). */
const IDLE_CLOSE_MS = 30_000;

const lifetime = new AbortController();

/** The scope of the socket's settings, for the session it brings (known-self.ts). */
let socketScope = '';
const SELF_KEY = 'knownSelf';
const selfStore = { read: () => readPrivate(SELF_KEY), write: (value: unknown) => writePrivate(SELF_KEY, value) };

const connection = new ServerConnection({
  wire: (socket) => {
    const scope = socketScope;
    wireServerEvents(socket, hub, (known) => void rememberSelf(selfStore, scope, known));
  },
  connected: (socket) => hub.rejoinAll(socket),
  state: (state) => hub.connectionChanged(state),
});
/** Who the worker signs in as: the saved settings and this browser's anonymous id. */
async function signIn(): Promise<SignIn> {
  const [settings, id] = await Promise.all([loadSettings(), anonymousId()]);
  return { settings, id };
}
const signIns = new SignInReads(signIn);

const SCOPE_KEY = 'dataScope';
const hub = new Hub({
  connection,
  readPage,
  writePage,
  clearPages,
  readOutbox,
  outbox: { put: putOutbox, remove: deleteOutbox },
  scopeAtStart: async () => {
    const { settings, id } = await signIns.atStart;
    return scopeOf(settings, id);
  },
  readScope: async () => {
    const scope = await readPrivate(SCOPE_KEY);
    return typeof scope === 'string' ? scope : null;
  },
  writeScope: (scope) => writePrivate(SCOPE_KEY, scope),
  shown: () => {
    popups.refresh();
    badges.refresh();
  },
});

const popups = new PopupWatch(
  hub,
  {
    tab: (tabId) => browser.tabs.get(tabId).catch(() => null),
    tabUpdated: browser.tabs.onUpdated,
    tabRemoved: browser.tabs.onRemoved,
  },
  lifetime.signal,
);

// Each tab's count on the toolbar button, from the same page views as the popup's (badge.ts).
const badges = new ToolbarBadges(hub, browser.action);

const sockets = new SocketStarter({
  signIns,
  connection,
  hub,
  recallSelf: (scope) => recallSelf(selfStore, scope),
  scoped: (scope) => (socketScope = scope),
});
let idleTimer: ReturnType<typeof setTimeout> | undefined;

// Each tab's script is told the shortcuts' keys (shortcut-keys.ts); read again below when they may have changed.
const shortcutKeys = new ShortcutKeysTeller(
  () => browser.commands.getAll(),
  () => hub.rooms.pages().flatMap((pageKey) => hub.rooms.ports(pageKey)),
);

function portOpened(port: TabPort): void {
  void shortcutKeys.opened(port);
  clearTimeout(idleTimer);
  if (!connection.open) void sockets.start();
}

function portClosed(): void {
  if (hub.rooms.size > 0) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    void hub.hasOutbox().then((waiting) => {
      // Ops still waiting are sent even with no tab left: the socket stays until the outbox is empty.
      if (hub.rooms.size > 0) return;
      if (waiting) {
        portClosed();
        return;
      }
      sockets.stop();
    });
  }, IDLE_CLOSE_MS);
}

// After a browser (or worker) restart with ops still in the outbox, connect without waiting for a tab.
void hub.hasOutbox().then((waiting) => {
  if (waiting && !connection.open) {
    void sockets.start();
    portClosed();
  }
});

// The network is gone: drop the socket now, not when its ping goes unanswered 10-20 s later (the
// tabs would read `live` meanwhile). Back: reconnect now rather than when the backoff's delay, up to
// 45 s, runs out.
watchOnline(globalThis as unknown as NetworkScope, { back: () => connection.online(), gone: () => connection.offline() }, lifetime.signal);

// The pages each tab's ports were opened on, for the changes a tab sends after it left one (tab-history.ts).
const tabHistory = new TabHistory(browser.storage.session);
listen(browser.tabs.onRemoved, (tabId: number) => tabHistory.forget(tabId), lifetime.signal);

listen(
  browser.runtime.onConnect,
  (port) => {
    // Each takes only ports named as its own.
    acceptPagePort(port, hub, tabHistory, browser.runtime.id, portOpened, portClosed, lifetime.signal);
    acceptPopupPort(port, hub, popups, browser.runtime.id, browser.runtime.getURL(''), lifetime.signal);
    // A settings form's save is over: read the settings again, as on the stamp below (settings-port.ts says why both).
    acceptSettingsPort(port, browser.runtime.id, browser.runtime.getURL(''), () => void sockets.saved(), lifetime.signal);
  },
  lifetime.signal,
);

// The keyboard shortcuts (manifest.json `commands`) go to the tab they were pressed in. A tab with no
// script of ours (a browser page, a page open since before Gloss was installed) has no Gloss UI to
// answer: the popup opens instead and says why (the popup's `popup-note`). A browser that refuses to
// open it leaves the press unanswered, as it was before.
listenForCommands(
  browser.commands.onCommand,
  hub,
  () => void browser.action.openPopup().catch((error: unknown) => console.debug('[gloss] the popup could not be opened for a shortcut:', error instanceof Error ? error.message : String(error))),
  lifetime.signal,
);

// The user rebinds a shortcut in the browser's own settings (a tab: chrome://extensions/shortcuts,
// Firefox's add-ons manager) and comes back to a page: Chrome says nothing of the change itself, so
// the keys are read again then. Firefox also tells it (`commands.onChanged`); Firefox for Android
// has no windows to watch.
const readKeysAgain = () => void shortcutKeys.refresh();
listen(browser.tabs.onActivated, readKeysAgain, lifetime.signal);
if (browser.windows?.onFocusChanged) listen(browser.windows.onFocusChanged, readKeysAgain, lifetime.signal);
const commandsChanged = rebindingEvent(browser.commands);
if (commandsChanged) listen(commandsChanged, readKeysAgain, lifetime.signal);

listen(
  browser.storage.onChanged,
  (changes, area) => {
    if (area !== 'local' || !(SETTINGS_SAVED_KEY in changes)) return;
    // A new server, token or anonymous name is a new handshake; an unchanged one keeps the socket.
    void sockets.saved();
  },
  lifetime.signal,
);

listen(
  browser.runtime.onInstalled,
  (details) => {
    if (details.reason !== 'install') return;
    void browser.tabs.create({ url: browser.runtime.getURL('extension/popup/index.html?view=settings') });
  },
  lifetime.signal,
);
