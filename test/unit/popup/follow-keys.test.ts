// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it } from 'vitest';
import { followShortcutKeys, type KeyChanges } from '../../../extension/popup/follow-keys.js';
import { shortcutKeysFrom } from '../../../extension/shared/shortcut-keys.js';
import type { ShortcutKeys } from '../../../protocol/runtime.js';

/**
 * The popup and the settings page follow a rebinding made while they are open: on Firefox's
 * `commands.onChanged`, and, Chromium having no such event, when the page is back in focus or shown.
 * The browser's `commands` is not ours: a stand-in of its shape holds the bindings and fires the
 * event; the window and document are jsdom's own.
 */
class Commands {
  bound: Record<string, string> = { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Alt+Shift+G' };
  reads = 0;
  /** The answers not given yet, when held (`hold`): to answer out of order. */
  held: (() => void)[] | null = null;
  readonly listeners = new Set<() => void>();
  readonly onChanged = { addListener: (fn: () => void) => this.listeners.add(fn), removeListener: (fn: () => void) => this.listeners.delete(fn) };

  async getAll(): Promise<unknown> {
    this.reads++;
    const answer = Object.entries(this.bound).map(([name, shortcut]) => ({ name, shortcut }));
    if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
    return answer;
  }

  rebind(name: string, shortcut: string, tell: boolean) {
    this.bound[name] = shortcut;
    if (tell) for (const fn of this.listeners) fn();
  }
}

let commands: Commands;
let stop: AbortController;
let shown: ShortcutKeys[];
/** The read under way, as the popup makes it (background-api.ts, shortcutKeys). */
let reading: Promise<ShortcutKeys | null>[];
let visibility: DocumentVisibilityState;

beforeEach(() => {
  commands = new Commands();
  stop = new AbortController();
  shown = [];
  reading = [];
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  stop.abort();
  Reflect.deleteProperty(document, 'visibilityState');
});

function follow(changed: KeyChanges['changed']) {
  const read = () => {
    const r = commands.getAll().then(shortcutKeysFrom);
    reading.push(r);
    return r;
  };
  followShortcutKeys(read, { changed, window, document }, (keys) => shown.push(keys), stop.signal);
}
/** The reads made so far have answered, and what they answered is shown. */
const answered = async () => {
  await Promise.all(reading);
};
const toggleKeys = () => shown.map((k) => k['toggle-panel']);

it('in Firefox, a rebinding and a removal are shown as the browser tells them', async () => {
  follow(commands.onChanged);
  await answered();
  expect(toggleKeys(), 'read as it opens').toEqual(['Alt+Shift+G']);
  commands.rebind('toggle-panel', 'Alt+Shift+P', true);
  await answered();
  commands.rebind('toggle-panel', '', true);
  await answered();
  expect(toggleKeys()).toEqual(['Alt+Shift+G', 'Alt+Shift+P', null]);
});

it('in Chromium (no event), the keys are read again when the page is back in focus or shown, not when it is hidden; the same keys show nothing new', async () => {
  follow(undefined);
  await answered();
  commands.rebind('toggle-panel', 'Ctrl+Shift+Y', false);
  visibility = 'hidden';
  document.dispatchEvent(new Event('visibilitychange'));
  expect(commands.reads, 'hidden: not read').toBe(1);
  visibility = 'visible';
  document.dispatchEvent(new Event('visibilitychange'));
  await answered();
  expect(toggleKeys(), 'shown again').toEqual(['Alt+Shift+G', 'Ctrl+Shift+Y']);

  commands.rebind('annotate-selection', 'Ctrl+Shift+U', false);
  window.dispatchEvent(new Event('focus'));
  await answered();
  window.dispatchEvent(new Event('focus'));
  await answered();
  expect(commands.reads).toBe(4);
  expect(shown.map((k) => k['annotate-selection']), 'back in focus; the unchanged read after it shows nothing').toEqual(['Alt+Shift+M', 'Alt+Shift+M', 'Ctrl+Shift+U']);
});

it('only the latest read is shown: an earlier one answering late does not bring back a key already changed', async () => {
  follow(commands.onChanged);
  await answered();
  commands.held = [];
  commands.rebind('toggle-panel', 'Alt+Shift+P', true);
  commands.rebind('toggle-panel', 'Alt+Shift+Q', true);
  const [first, second] = commands.held;
  second!();
  await reading[2];
  first!();
  await answered();
  expect(toggleKeys()).toEqual(['Alt+Shift+G', 'Alt+Shift+Q']);
});

it('torn down, it listens to nothing and shows nothing more', async () => {
  follow(commands.onChanged);
  await answered();
  expect(commands.listeners.size).toBe(1);
  commands.held = [];
  commands.rebind('toggle-panel', 'Alt+Shift+P', false);
  window.dispatchEvent(new Event('focus'));
  stop.abort();
  expect(commands.listeners.size, 'the browser event let go').toBe(0);
  commands.rebind('toggle-panel', 'Alt+Shift+Q', true);
  window.dispatchEvent(new Event('focus'));
  document.dispatchEvent(new Event('visibilitychange'));
  expect(commands.reads, 'no read after the teardown').toBe(2);
  commands.held.forEach((answer) => answer());
  await answered();
  expect(toggleKeys(), 'the read under way at the teardown shows nothing').toEqual(['Alt+Shift+G']);
});
