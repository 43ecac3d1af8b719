// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { TabState } from '../../../protocol/runtime.js';
import { TabStatus } from '../../../extension/popup/TabStatus.js';
import { conversationsText, parseTabState, viewingText } from '../../../extension/popup/tab-state.js';
import { NOT_RUNNING_AFTER } from '../../../extension/popup/tab-summary.js';

const STATE: TabState = {
  page: 'annotatable',
  connection: 'live',
  refused: false,
  self: { id: 'u1', name: 'Alice' },
  pageKey: 'example.com/',
  viewers: 2,
  users: [
    { id: 'u2', name: '<img src=x onerror=alert(1)>' },
    { id: 'u1', name: 'Alice' },
  ],
  conversations: 3,
};

/** What the background answers for a tab whose content script is not connected. */
const NO_SCRIPT = { ...STATE, pageKey: null, viewers: 0, users: [], conversations: 0 };

let container: HTMLElement | null = null;
afterEach(() => {
  if (container) {
    render(null, container);
    container.remove();
    container = null;
  }
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const byId = (id: string) => container!.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const text = (id: string) => byId(id)?.textContent ?? null;

/** Renders the status with fake timers; `answers` is read at each of the popup's one-second refreshes. */
async function show(answer: () => TabState | Promise<TabState>, openPanel: () => Promise<boolean> = async () => true, reload?: () => Promise<void>) {
  vi.useFakeTimers();
  container = document.createElement('div');
  document.body.appendChild(container);
  await act(async () => {
    render(<TabStatus load={async () => answer()} onOpenPanel={openPanel} onReload={reload} />, container!);
    await vi.advanceTimersByTimeAsync(0);
  });
}

const refresh = (times = 1) => act(async () => void (await vi.advanceTimersByTimeAsync(1_000 * times)));

describe('tab-state answer', () => {
  it('accepts the background answer and rejects anything else', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(parseTabState(STATE)).toEqual(STATE);
    expect(parseTabState({ ...STATE, connection: 'great' })).toBeNull();
    expect(parseTabState({ ...STATE, page: 'maybe' })).toBeNull();
    expect(parseTabState(undefined)).toBeNull();
  });

  it('formats the counts as the tests read them', () => {
    expect(viewingText(2)).toBe('2 viewing');
    expect(conversationsText(3)).toBe('3 conversations');
    expect(conversationsText(1)).toBe('1 conversation');
  });
});

describe('TabStatus', () => {
  it('shows connection, viewers (the user first, marked) as text, conversations, and asks to open the panel', async () => {
    const openPanel = vi.fn(async () => true);
    await show(() => STATE, openPanel);
    expect(text('popup-connection')).toBe('live');
    expect(text('popup-viewers')).toBe('2 viewing');
    expect(text('popup-conversations')).toBe('3 conversations');
    const items = [...byId('popup-users')!.querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual(['Alice (you)', '<img src=x onerror=alert(1)>']);
    expect(items.map((li) => li.dataset.you ?? null)).toEqual(['true', null]);
    expect(container!.querySelector('img')).toBeNull();
    expect(byId('popup-note')).toBeNull();
    await act(async () => byId('open-panel')!.click());
    expect(openPanel).toHaveBeenCalledTimes(1);
  });

  it('claims no state before the first answer', async () => {
    await show(() => new Promise<TabState>(() => {}));
    expect(byId('popup-connection')).toBeNull();
    expect(byId('popup-viewers')).toBeNull();
    expect(container!.textContent).toContain('Checking this page…');
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says a loading page is loading, not that Gloss cannot annotate it', async () => {
    await show(() => ({ ...NO_SCRIPT, page: 'loading' }));
    expect(text('popup-connection')).toBe('loading');
    expect(text('popup-note')).toBe('This page is still loading. Gloss starts on it once it has loaded.');
    expect(byId('popup-viewers')).toBeNull();
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says Gloss cannot run on a browser page, with no counts', async () => {
    await show(() => ({ ...NO_SCRIPT, page: 'unsupported' }));
    expect(text('popup-connection')).toBe('unavailable');
    expect(text('popup-note')).toMatch(/^Gloss cannot run on this page/);
    expect(byId('popup-viewers')).toBeNull();
    expect(byId('popup-users')).toBeNull();
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says connecting while a loaded page has no script yet, and "not running" only once that lasts, with a reload button', async () => {
    const reload = vi.fn(async () => {});
    let answer: TabState = { ...NO_SCRIPT, page: 'not-running' };
    await show(() => answer, async () => true, reload);
    expect(text('popup-connection')).toBe('connecting');
    expect(byId('popup-note')).toBeNull();
    expect(byId('reload-page')).toBeNull();
    await refresh(NOT_RUNNING_AFTER - 1);
    expect(text('popup-connection')).toBe('not running');
    expect(text('popup-note')).toMatch(/^Gloss is not running on this page\. If it was open before Gloss was installed or updated, reload it\./);
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => byId('reload-page')!.click());
    expect(reload).toHaveBeenCalledTimes(1);
    answer = { ...NO_SCRIPT, page: 'loading' };
    await refresh();
    expect(text('popup-connection')).toBe('loading');
    expect(byId('reload-page')).toBeNull();
  });

  it('says reconnecting, as the tab does, while a tab that was connected has lost its script port', async () => {
    let answer: TabState = STATE;
    await show(() => answer);
    answer = { ...NO_SCRIPT, page: 'not-running' };
    await refresh();
    expect(text('popup-connection')).toBe('reconnecting');
    answer = STATE;
    await refresh();
    expect(text('popup-connection')).toBe('live');
  });

  it('tells a refused connection from an unreachable server, and explains reconnecting', async () => {
    let answer: TabState = { ...STATE, connection: 'offline', refused: true };
    await show(() => answer);
    expect(text('popup-connection')).toBe('offline');
    expect(text('popup-note')).toMatch(/^The server refused Gloss\. Check the access token/);
    answer = { ...STATE, connection: 'offline', refused: false };
    await refresh();
    expect(text('popup-note')).toMatch(/^Gloss cannot reach the server and keeps trying/);
    answer = { ...STATE, connection: 'reconnecting' };
    await refresh();
    expect(text('popup-connection')).toBe('reconnecting');
    expect(text('popup-note')).toMatch(/^The connection to the server was interrupted/);
    // Offline, the panel still opens on what is cached.
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(false);
  });

  it('on a page with no conversations, says how to start one', async () => {
    await show(() => ({ ...STATE, conversations: 0 }));
    expect(text('popup-conversations')).toBe('0 conversations');
    expect(text('popup-note')).toBe('No conversations on this page yet. Select text on the page and choose Annotate to start one.');
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(false);
  });

  it('lists a nameless viewer as Anonymous, each user once, and says how many the server did not list', async () => {
    const users = [
      { id: 'u3', name: '  ' },
      { id: 'u2', name: 'Bob' },
      { id: 'u2', name: 'Bob' },
    ];
    await show(() => ({ ...STATE, self: { id: 'u2', name: 'Bob' }, viewers: 150, users }));
    expect([...byId('popup-users')!.querySelectorAll('[data-testid="popup-user-name"]')].map((n) => n.textContent)).toEqual(['Bob', 'Anonymous']);
    expect(container!.textContent).toContain('and 148 more');
  });

  it('keeps saying the panel could not be opened across its refreshes, until the next click works', async () => {
    let opens = false;
    await show(() => STATE, async () => opens);
    const click = () => act(async () => {
      byId('open-panel')!.click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect((byId('open-panel') as HTMLButtonElement).disabled).toBe(false);
    await click();
    const said = () => [...container!.querySelectorAll('.message.bad')].map((p) => p.textContent);
    expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
    await refresh(3);
    expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
    opens = true;
    await click();
    expect(said()).toEqual([]);
  });
});
