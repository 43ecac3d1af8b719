import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { pagePortName } from '../../../protocol/runtime.js';
import { acceptPagePort } from '../../../extension/background/ports.js';
import { ShortcutKeysTeller } from '../../../extension/background/shortcut-keys.js';
import { TabHistory } from '../../../extension/background/tab-history.js';
import { shortcutKeysFrom } from '../../../extension/shared/shortcut-keys.js';
import { FakePort } from '../content/fake-port.js';
import { SessionStorage } from '../../support/session-area.js';
import { startWorker, WorkerStorage, type TestWorker } from '../../support/worker.js';

/**
 * The worker tells each tab's script the shortcuts' keys as the browser has them now (a content
 * script cannot read `commands`): as its port opens, and again when a new read differs. The real Hub
 * and page ports of an idle worker, wired as index.ts wires them; `commands.getAll()` and the
 * browser's ports are the things stood in for.
 */
const RUNTIME = 'gloss-extension-id';

function tabPort(tabId: number, url: string): FakePort & Runtime.Port {
  const sender = { id: RUNTIME, url, frameId: 0, tab: { id: tabId } as Runtime.MessageSender['tab'] };
  return Object.assign(new FakePort(), { name: pagePortName(url), sender }) as unknown as FakePort & Runtime.Port;
}

/** What `commands.getAll()` answers now, as Chrome writes it (an unbound one has an empty shortcut). */
let bound: unknown;
const chrome = (annotate: string, toggle: string) => [
  { name: 'annotate-selection', description: 'Start a conversation on the selected text', shortcut: annotate },
  { name: 'toggle-panel', description: 'Show or hide the conversations of the page', shortcut: toggle },
];

let w: TestWorker;
let lifetime: AbortController;
let history: TabHistory;
let teller: ShortcutKeysTeller;
const reads: Promise<void>[] = [];

beforeEach(() => {
  w = startWorker('http://127.0.0.1:9', new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' }, { idle: true });
  lifetime = new AbortController();
  history = new TabHistory(new SessionStorage());
  bound = chrome('Alt+Shift+M', 'Alt+Shift+G');
  teller = new ShortcutKeysTeller(
    () => Promise.resolve(structuredClone(bound)),
    () => w.hub.rooms.pages().flatMap((pageKey) => w.hub.rooms.ports(pageKey)),
  );
});

afterEach(() => {
  lifetime.abort();
  w.stop();
  vi.restoreAllMocks();
});

function open(tabId: number, url = `https://example.com/keys-${randomUUID()}`): FakePort & Runtime.Port {
  const port = tabPort(tabId, url);
  acceptPagePort(port, w.hub, history, RUNTIME, (opened) => reads.push(teller.opened(opened)), () => {}, lifetime.signal);
  return port;
}
const settled = () => Promise.all(reads.splice(0));
const keysTold = (port: FakePort) => port.sent.filter((m) => (m as { type: string }).type === 'shortcut-keys').map((m) => (m as { keys: unknown }).keys);

it('tells a tab the keys as its port opens, and every tab again when they were rebound, unbound or not at all', async () => {
  const first = open(3);
  const second = open(4);
  await settled();
  const now = { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Alt+Shift+G' };
  expect(keysTold(first)).toEqual([now]);
  expect(keysTold(second)).toEqual([now]);

  // Read again with nothing changed (the user came back to a tab): nobody is told anything.
  await teller.refresh();
  expect(keysTold(first)).toHaveLength(1);

  // Rebound to another key, and the other one removed (Chrome lists it with an empty shortcut).
  bound = chrome('Ctrl+Shift+Comma', '');
  await teller.refresh();
  const rebound = { 'annotate-selection': 'Ctrl+Shift+Comma', 'toggle-panel': null };
  expect(keysTold(first)).toEqual([now, rebound]);
  expect(keysTold(second)).toEqual([now, rebound]);

  // A tab that goes is told nothing more.
  first.drop();
  bound = chrome('Alt+Shift+M', 'Alt+Shift+G');
  await teller.refresh();
  expect(keysTold(first)).toHaveLength(2);
  expect(keysTold(second)).toEqual([now, rebound, now]);
});

it('a browser that will not say tells the tabs nothing, rather than a guess', async () => {
  vi.spyOn(console, 'debug').mockImplementation(() => {});
  teller = new ShortcutKeysTeller(() => Promise.reject(new Error('commands is not available')), () => []);
  const port = open(3);
  await settled();
  expect(keysTold(port)).toEqual([]);
});

it('reads what the browser answers as untrusted: other shapes and names skipped, an empty or over-long key unbound', () => {
  // Firefox leaves `shortcut` out of an unbound command.
  expect(shortcutKeysFrom([{ name: 'toggle-panel', description: 'x' }, { name: 'annotate-selection', shortcut: 'Alt+Shift+M' }])).toEqual({ 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': null });
  expect(shortcutKeysFrom([{ name: '_execute_action', shortcut: 'Alt+Shift+P' }, { name: 'toggle-panel', shortcut: 'X'.repeat(41) }, null, 'toggle-panel', { name: 'annotate-selection', shortcut: 7 }])).toEqual({ 'annotate-selection': null, 'toggle-panel': null });
  expect(shortcutKeysFrom(undefined)).toEqual({ 'annotate-selection': null, 'toggle-panel': null });
});
