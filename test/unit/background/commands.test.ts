import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import manifest from '../../../manifest.json' with { type: 'json' };
import { pagePortName, Shortcut } from '../../../protocol/runtime.js';
import { listenForCommands, type CommandTab } from '../../../extension/background/commands.js';
import { acceptPagePort } from '../../../extension/background/ports.js';
import { TabHistory } from '../../../extension/background/tab-history.js';
import { FakePort } from '../content/fake-port.js';
import { SessionStorage } from '../../support/session-area.js';
import { startWorker, WorkerStorage, type TestWorker } from '../../support/worker.js';

/**
 * The worker's side of the keyboard shortcuts: the browser's `commands.onCommand` names the command
 * and the tab, and the worker tells that tab's script over the port it already holds. The real Hub
 * and page ports of an idle worker (index.ts's wiring: acceptPagePort); the browser's ports and its
 * onCommand event are the things stood in for.
 */
const RUNTIME = 'gloss-extension-id';

/** A content script's port as the browser opens it for the top frame of tab `tabId` at `url`. */
function tabPort(tabId: number, url: string): FakePort & Runtime.Port {
  const sender = { id: RUNTIME, url, frameId: 0, tab: { id: tabId } as Runtime.MessageSender['tab'] };
  return Object.assign(new FakePort(), { name: pagePortName(url), sender }) as unknown as FakePort & Runtime.Port;
}

/** The browser's `commands.onCommand`: `press` is the user pressing a shortcut with `tab` active. */
class CommandEvent {
  readonly listeners = new Set<(command: string, tab?: CommandTab) => void>();
  addListener(fn: (command: string, tab?: CommandTab) => void) {
    this.listeners.add(fn);
  }
  removeListener(fn: (command: string, tab?: CommandTab) => void) {
    this.listeners.delete(fn);
  }
  press(command: string, tab?: CommandTab) {
    for (const fn of this.listeners) fn(command, tab);
  }
}

let w: TestWorker;
let lifetime: AbortController;
let history: TabHistory;
let onCommand: CommandEvent;
let untold: number;

beforeEach(() => {
  w = startWorker('http://127.0.0.1:9', new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' }, { idle: true });
  lifetime = new AbortController();
  history = new TabHistory(new SessionStorage());
  onCommand = new CommandEvent();
  untold = 0;
  listenForCommands(onCommand, w.hub, () => untold++, lifetime.signal);
});

afterEach(() => {
  lifetime.abort();
  w.stop();
  vi.restoreAllMocks();
});

function open(tabId: number, url: string): FakePort & Runtime.Port {
  const port = tabPort(tabId, url);
  acceptPagePort(port, w.hub, history, RUNTIME, () => {}, () => {}, lifetime.signal);
  return port;
}

const commandsIn = (port: FakePort) => port.sent.filter((m) => (m as { type: string }).type === 'command');

it('sends the shortcut to the tab the browser names, over its port, and to no other tab', () => {
  const url = `https://example.com/shortcut-${randomUUID()}`;
  const pressed = open(3, url);
  const samePage = open(4, url);
  const otherPage = open(5, `https://example.com/other-${randomUUID()}`);

  onCommand.press('toggle-panel', { id: 3 });
  onCommand.press('annotate-selection', { id: 3 });
  onCommand.press('toggle-panel', { id: 5 });

  expect(commandsIn(pressed)).toEqual([
    { type: 'command', command: 'toggle-panel' },
    { type: 'command', command: 'annotate-selection' },
  ]);
  expect(commandsIn(samePage)).toEqual([]);
  expect(commandsIn(otherPage)).toEqual([{ type: 'command', command: 'toggle-panel' }]);
  expect(untold).toBe(0);
});

it('tells nothing to any tab when the named tab has no script of ours connected, and lets the worker answer otherwise', () => {
  const url = `https://example.com/shortcut-${randomUUID()}`;
  const annotated = open(3, url);
  // A browser page's script (the content script runs on http(s) pages only, but a port could come): not taken.
  const browserPage = open(6, 'chrome://settings/');

  onCommand.press('toggle-panel', { id: 6 });
  onCommand.press('toggle-panel', { id: 9 });
  onCommand.press('annotate-selection', undefined);
  onCommand.press('annotate-selection', {});

  expect(commandsIn(annotated)).toEqual([]);
  expect(commandsIn(browserPage)).toEqual([]);
  expect(untold).toBe(4);

  // The tab's page went (its port closed): the next press there is not told either.
  annotated.drop();
  onCommand.press('toggle-panel', { id: 3 });
  expect(untold).toBe(5);
});

it('ignores a command that is not one of the manifest\'s, with a warning and no answer', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const port = open(3, `https://example.com/shortcut-${randomUUID()}`);
  onCommand.press('_execute_action', { id: 3 });
  onCommand.press('delete-everything', { id: 3 });
  expect(commandsIn(port)).toEqual([]);
  expect(untold).toBe(0);
  expect(warn).toHaveBeenCalledTimes(2);
});

it('stops listening when the worker\'s lifetime ends', () => {
  expect(onCommand.listeners.size).toBe(1);
  lifetime.abort();
  expect(onCommand.listeners.size).toBe(0);
});

it('knows the same shortcuts as manifest.json declares, each with a suggested key on every platform', () => {
  const declared = manifest.commands as Record<string, { suggested_key: Record<string, string>; description: string }>;
  expect(Object.keys(declared).sort()).toEqual([...Shortcut.options].sort());
  for (const [name, command] of Object.entries(declared)) {
    expect(command.description, name).not.toBe('');
    expect(Object.keys(command.suggested_key).sort(), name).toEqual(['default', 'mac']);
  }
});
