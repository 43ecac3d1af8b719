// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { TabState } from '../../../protocol/runtime.js';
import { TabStatus } from '../../../extension/popup/TabStatus.js';
import { conversationsText, parseBackgroundMessage, viewingText } from '../../../extension/popup/tab-state.js';
import { NOT_RUNNING_AFTER_MS } from '../../../extension/popup/tab-summary.js';
import { FakePort } from '../content/fake-port.js';

const STATE: TabState = {
  page: 'annotatable',
  connection: 'live',
  reason: null,
  self: { id: 'u1', name: 'Alice' },
  pageKey: 'example.com/',
  viewers: 2,
  users: [
    { id: 'u2', name: '<img src=x onerror=alert(1)>' },
    { id: 'u1', name: 'Alice' },
  ],
  conversations: 3,
  unseen: 0,
};

/** What the background pushes for a tab whose content script is not connected. */
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
const disabled = (id: string) => (byId(id) as HTMLButtonElement).disabled;

/**
 * Renders the status with fake timers on the ports the popup opens (FakePort stands in for the
 * browser's runtime.Port). `push` is the background sending a state over the current port.
 */
async function show(opts: { onPanelOpened?: () => void; onReload?: () => Promise<void>; connect?: () => FakePort; isOnline?: () => boolean } = {}) {
  vi.useFakeTimers();
  const ports: FakePort[] = [];
  const connect = vi.fn(
    opts.connect ??
      (() => {
        const port = new FakePort();
        ports.push(port);
        return port;
      }),
  );
  container = document.createElement('div');
  document.body.appendChild(container);
  await act(async () => {
    render(<TabStatus connect={connect} onPanelOpened={opts.onPanelOpened} onReload={opts.onReload} isOnline={opts.isOnline} />, container!);
  });
  const port = () => ports.at(-1)!;
  const push = (state: TabState) => act(() => port().deliver({ type: 'tab-state', state }));
  return { ports, port, push, connect };
}

const wait = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));

describe('messages from the background', () => {
  it('accepts the background\'s messages and rejects anything else, such as a state carrying more than the popup shows', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(parseBackgroundMessage({ type: 'tab-state', state: STATE })).toEqual({ type: 'tab-state', state: STATE });
    expect(parseBackgroundMessage({ type: 'panel-opened', request: 0, ok: true })).toEqual({ type: 'panel-opened', request: 0, ok: true });
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, connection: 'great' } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, page: 'maybe' } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, connection: 'connecting', reason: 'busy' } })).not.toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, reason: 'too_many_connections' } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, token: 'secret' } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, viewers: -1 } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, unseen: 2 } })).not.toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, unseen: -1 } })).toBeNull();
    expect(parseBackgroundMessage({ type: 'tab-state', state: { ...STATE, unseen: 1.5 } })).toBeNull();
    expect(parseBackgroundMessage(STATE)).toBeNull();
    expect(parseBackgroundMessage(undefined)).toBeNull();
  });

  it('formats the counts as the tests read them', () => {
    expect(viewingText(2)).toBe('2 viewing');
    expect(conversationsText(3)).toBe('3 conversations');
    expect(conversationsText(1)).toBe('1 conversation');
  });
});

describe('TabStatus', () => {
  it('shows connection, viewers (the user first, marked) as text, conversations, and opens the panel through its port', async () => {
    const onPanelOpened = vi.fn();
    const { port, push } = await show({ onPanelOpened });
    await push(STATE);
    expect(text('popup-connection')).toBe('live');
    expect(text('popup-viewers')).toBe('2 viewing');
    expect(text('popup-conversations')).toBe('3 conversations');
    const items = [...byId('popup-users')!.querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual(['Alice (you)', '<img src=x onerror=alert(1)>']);
    expect(items.map((li) => li.dataset.you ?? null)).toEqual(['true', null]);
    expect(container!.querySelector('img')).toBeNull();
    expect(byId('popup-note')).toBeNull();
    // Its words do not read as the panel's "Open" filter (not resolved): it shows them all.
    expect(text('open-panel')).toBe('Show conversations');
    await act(async () => byId('open-panel')!.click());
    expect(port().sent).toEqual([{ type: 'open-panel', request: 0 }]);
    expect(onPanelOpened).not.toHaveBeenCalled();
    await act(async () => port().deliver({ type: 'panel-opened', request: 0, ok: true }));
    expect(onPanelOpened).toHaveBeenCalledTimes(1);
  });

  it('marks the viewers as last known while the tab is not live, as the badge greys its count: quieter, said in words, the list under "Last seen viewing"', async () => {
    const { push } = await show();
    await push(STATE);
    expect(byId('popup-viewers')!.className).toBe('');
    expect(byId('popup-users-stale')).toBeNull();
    expect(byId('popup-users')!.getAttribute('aria-label')).toBe('Who is viewing');
    await push({ ...STATE, connection: 'reconnecting' });
    expect(text('popup-connection')).toBe('reconnecting');
    const count = byId('popup-viewers')!;
    expect(count.textContent).toBe('2 viewing');
    expect(count.className).toBe('muted');
    expect(count.title).toBe('Last known, not live');
    expect(count.parentElement!.textContent).toBe('2 viewing (last known, not live)');
    expect(text('popup-users-stale')).toBe('Last seen viewing (not live):');
    expect(byId('popup-users')!.getAttribute('aria-label')).toBe('Last seen viewing');
    await push(STATE);
    expect(byId('popup-users-stale')).toBeNull();
    expect(count.parentElement!.textContent).toBe('2 viewing');
  });

  it('follows what the background pushes, with no timer running and nothing asked: the popup does not poll', async () => {
    const { push, port, connect } = await show();
    await push({ ...STATE, viewers: 1, users: [STATE.self!] });
    expect(text('popup-viewers')).toBe('1 viewing');
    // Between pushes nothing is scheduled: no interval, no timeout.
    expect(vi.getTimerCount()).toBe(0);
    await push(STATE);
    expect(text('popup-viewers')).toBe('2 viewing');
    expect([...byId('popup-users')!.querySelectorAll('[data-testid="popup-user-name"]')].map((n) => n.textContent)).toEqual(['Alice', '<img src=x onerror=alert(1)>']);
    await wait(10_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(port().sent).toEqual([]);
  });

  it('claims no state before the first push', async () => {
    await show();
    expect(byId('popup-connection')).toBeNull();
    expect(byId('popup-viewers')).toBeNull();
    expect(container!.textContent).toContain('Checking this page…');
    expect(disabled('open-panel')).toBe(true);
  });

  it('says a loading page is loading, not that Gloss cannot annotate it', async () => {
    const { push } = await show();
    await push({ ...NO_SCRIPT, page: 'loading' });
    expect(text('popup-connection')).toBe('loading');
    expect(text('popup-note')).toBe('This page is still loading. Gloss starts on it once it has loaded.');
    expect(byId('popup-viewers')).toBeNull();
    expect(disabled('open-panel')).toBe(true);
  });

  it('says Gloss cannot run on a browser page, with no counts', async () => {
    const { push } = await show();
    await push({ ...NO_SCRIPT, page: 'unsupported' });
    expect(text('popup-connection')).toBe('unavailable');
    expect(text('popup-note')).toMatch(/^Gloss cannot run on this page/);
    expect(byId('popup-viewers')).toBeNull();
    expect(byId('popup-users')).toBeNull();
    expect(disabled('open-panel')).toBe(true);
  });

  it('says connecting while a loaded page has no script yet, and "not running" only once that lasts, with a reload button', async () => {
    const onReload = vi.fn(async () => {});
    const { push } = await show({ onReload });
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('connecting');
    expect(byId('popup-note')).toBeNull();
    expect(byId('reload-page')).toBeNull();
    // The same state pushed again (another tab's change) does not restart the wait.
    await wait(NOT_RUNNING_AFTER_MS - 1);
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('connecting');
    await wait(1);
    expect(text('popup-connection')).toBe('not running');
    expect(text('popup-note')).toMatch(/^Gloss is not running on this page\. If it was open before Gloss was installed or updated, reload it\./);
    expect(disabled('open-panel')).toBe(true);
    await act(async () => byId('reload-page')!.click());
    expect(onReload).toHaveBeenCalledTimes(1);
    // Until the reload shows, the wait starts over.
    expect(text('popup-connection')).toBe('connecting');
    expect(byId('reload-page')).toBeNull();
    await push({ ...NO_SCRIPT, page: 'loading' });
    expect(text('popup-connection')).toBe('loading');
    // Loaded, and still without Gloss: said again only once that lasts.
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('connecting');
    await wait(NOT_RUNNING_AFTER_MS);
    expect(text('popup-connection')).toBe('not running');
  });

  it('says reconnecting, as the tab does, while a tab that was connected has lost its script port', async () => {
    const { push } = await show();
    await push(STATE);
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('reconnecting');
    await push(STATE);
    expect(text('popup-connection')).toBe('live');
  });

  it('when its port drops (the background stopped): says reconnecting, opens a new port, and shows what the new background pushes', async () => {
    const { ports, port, push, connect } = await show();
    await push(STATE);
    await act(async () => byId('open-panel')!.click());
    // A request in flight when the port drops is answered: not opened.
    await act(async () => port().drop());
    expect(container!.textContent).toContain('Could not open the panel on this page');
    expect(text('popup-connection')).toBe('reconnecting');
    expect(byId('popup-viewers')).toBeNull();
    expect(disabled('open-panel')).toBe(true);
    await wait(1_000);
    expect(connect).toHaveBeenCalledTimes(2);
    expect(ports[0]!.alive).toBe(false);
    // The fresh background: the tab's script is not back yet, then it is.
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('reconnecting');
    await push({ ...STATE, viewers: 1, users: [STATE.self!] });
    expect(text('popup-connection')).toBe('live');
    expect(text('popup-viewers')).toBe('1 viewing');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps saying offline, with its reason, through a stopped background, as the tab does (Firefox suspends an idle one offline too)', async () => {
    const { push, port } = await show({ isOnline: () => false });
    await push({ ...STATE, connection: 'offline', reason: null });
    await act(async () => port().drop());
    expect(text('popup-connection')).toBe('offline');
    expect(text('popup-note')).toBe('This browser has no network connection. What you write is kept and sent once it is back.');
    // Nothing counted or opened through a background that is gone.
    expect(byId('popup-viewers')).toBeNull();
    expect(disabled('open-panel')).toBe(true);
    await wait(1_000);
    // The new background, before the tab's script is back, then once it is.
    await push({ ...NO_SCRIPT, page: 'not-running' });
    expect(text('popup-connection')).toBe('offline');
    await push({ ...STATE, connection: 'offline', reason: null });
    expect(text('popup-connection')).toBe('offline');
    // Told anything else since, a drop reads reconnecting again.
    await push(STATE);
    await act(async () => port().drop());
    expect(text('popup-connection')).toBe('reconnecting');
  });

  it('says the extension does not answer when no port can be opened (Gloss reloaded or removed)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await show({
      connect: () => {
        throw new Error('Extension context invalidated.');
      },
    });
    expect(container!.textContent).toContain('No answer from the extension');
    expect(container!.textContent).not.toContain('Checking this page…');
  });

  it('drops what the background sends in a shape it does not know', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { port, push } = await show();
    await push(STATE);
    await act(() => port().deliver({ type: 'tab-state', state: { ...STATE, viewers: 'many' } }));
    await act(() => port().deliver({ type: 'presence', viewers: 9, users: [] }));
    expect(text('popup-viewers')).toBe('2 viewing');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('lets go of its port when it goes away, and opens no other', async () => {
    const { port, push, connect } = await show();
    await push(STATE);
    const first = port();
    await act(() => render(null, container!));
    expect(first.alive).toBe(false);
    await wait(10_000);
    expect(connect).toHaveBeenCalledTimes(1);
  });

  it('tells a refused connection from an unreachable server, and explains reconnecting', async () => {
    const { push } = await show();
    await push({ ...STATE, connection: 'offline', reason: 'refused' });
    expect(text('popup-connection')).toBe('offline');
    expect(text('popup-note')).toMatch(/^The server refused Gloss\. Check the access token/);
    await push({ ...STATE, connection: 'offline', reason: null });
    expect(text('popup-note')).toMatch(/^Gloss cannot reach the server and keeps trying/);
    await push({ ...STATE, connection: 'reconnecting' });
    expect(text('popup-connection')).toBe('reconnecting');
    expect(text('popup-note')).toMatch(/^The connection to the server was interrupted/);
    // Offline, the panel still opens on what is cached.
    expect(disabled('open-panel')).toBe(false);
  });

  it('says the server is at its limit of connections from the user\'s network, and that Gloss retries by itself', async () => {
    const { push } = await show();
    await push({ ...STATE, connection: 'connecting', reason: 'busy' });
    expect(text('popup-connection')).toBe('connecting');
    expect(text('popup-note')).toMatch(/^The server is at its limit of connections from your network .*Gloss retries by itself/);
    await push({ ...STATE, connection: 'reconnecting', reason: 'busy' });
    expect(text('popup-note')).toMatch(/^The server is at its limit of connections from your network/);
    await push({ ...STATE, connection: 'connecting', reason: null });
    expect(text('popup-note')).toBeNull();
  });

  it('offline with the browser itself offline, says there is no network rather than to check the server URL, and follows the network', async () => {
    let online = false;
    const { push } = await show({ isOnline: () => online });
    await push({ ...STATE, connection: 'offline', reason: null });
    expect(text('popup-connection')).toBe('offline');
    expect(text('popup-note')).toBe('This browser has no network connection. What you write is kept and sent once it is back.');
    online = true;
    await act(() => void dispatchEvent(new Event('online')));
    expect(text('popup-note')).toMatch(/^Gloss cannot reach the server and keeps trying/);
  });

  it('says how many conversations are new since the last visit, as the bar does, and nothing once none is', async () => {
    const { push } = await show();
    await push({ ...STATE, unseen: 2 });
    expect(text('popup-conversations')).toBe('3 conversations');
    expect(text('popup-unseen')).toBe(' 2 new');
    // Seen and heard as "3 conversations · 2 new" / "3 conversations, 2 new", like "Conversations (6 · 2 new)".
    const row = byId('popup-conversations')!.parentElement!;
    expect(row.textContent).toBe('3 conversations \u00b7, 2 new');
    expect(row.querySelector('[aria-hidden="true"]')?.textContent).toBe(' \u00b7');
    expect(row.querySelector('.sr-only')?.textContent).toBe(',');
    await push({ ...STATE, unseen: 1 });
    expect(text('popup-unseen')).toBe(' 1 new');
    await push({ ...STATE, unseen: 0 });
    expect(byId('popup-unseen')).toBeNull();
    expect(byId('popup-conversations')!.parentElement!.textContent).toBe('3 conversations');
  });

  it('on a page with no conversations, says how to start one', async () => {
    const { push } = await show();
    await push({ ...STATE, conversations: 0 });
    expect(text('popup-conversations')).toBe('0 conversations');
    expect(text('popup-note')).toBe('No conversations on this page yet. Select text on the page and choose Annotate to start one.');
    expect(disabled('open-panel')).toBe(false);
  });

  it('lists a nameless viewer as Anonymous, each user once, and says how many the server did not list', async () => {
    const users = [
      { id: 'u3', name: '  ' },
      { id: 'u2', name: 'Bob' },
      { id: 'u2', name: 'Bob' },
    ];
    const { push } = await show();
    await push({ ...STATE, self: { id: 'u2', name: 'Bob' }, viewers: 150, users });
    expect([...byId('popup-users')!.querySelectorAll('[data-testid="popup-user-name"]')].map((n) => n.textContent)).toEqual(['Bob', 'Anonymous']);
    expect(container!.textContent).toContain('and 148 more');
  });

  it('keeps saying the panel could not be opened across new states, until the next click works', async () => {
    const { port, push } = await show();
    await push(STATE);
    const click = async (ok: boolean) => {
      await act(async () => byId('open-panel')!.click());
      const { request } = port().sent.at(-1) as { request: number };
      await act(async () => port().deliver({ type: 'panel-opened', request, ok }));
    };
    await click(false);
    const said = () => [...container!.querySelectorAll('.message.bad')].map((p) => p.textContent);
    expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
    await push({ ...STATE, viewers: 3, users: [...STATE.users, { id: 'u4', name: 'Dee' }] });
    expect(said()).toEqual(['Could not open the panel on this page (reload the page and try again)']);
    await click(true);
    expect(said()).toEqual([]);
    expect(port().sent).toEqual([
      { type: 'open-panel', request: 0 },
      { type: 'open-panel', request: 1 },
    ]);
  });
});
