import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Settings } from '../../extension/shared/settings-rules.js';
import { issueToken } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import type { Runtime } from 'webextension-polyfill';
import { SETTINGS_PORT } from '../../protocol/runtime.js';
import { EXTENSION_BASE, RUNTIME_ID, TestEvent, TestPopup, TestTab, WorkerStorage } from '../support/worker.js';
import { useServerWithWorkers } from '../support/worker-server.js';

/**
 * A save of the popup's settings form, as the worker takes it (socket-start.ts, sign-in.ts): the
 * real Hub and ServerConnection against the real server. The socket's id is the server's: a new one
 * is a new handshake.
 */

const { server, worker } = useServerWithWorkers();

async function livePage(settings: Settings, storage = new WorkerStorage()) {
  const url = `https://example.com/settings-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const w = worker(settings.serverUrl, storage, { anonymousId: randomUUID(), name: settings.name, ...(settings.token ? { token: settings.token } : {}) });
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  return { url, pageKey, w, tab, storage };
}

/** The names the server lists as viewing the tab's page, in its latest presence. */
function viewers(tab: TestTab): string[] {
  const last = tab.messages.filter((m) => m.type === 'presence').at(-1);
  return last?.type === 'presence' ? last.users.map((u) => u.name) : [];
}

/** The connection states the tab was told, in order, from its `from`th message on. */
function states(tab: TestTab, from = 0): string[] {
  return tab.messages.slice(from).flatMap((m) => (m.type === 'connection' ? [m.state] : []));
}

/** The viewer counts the tab was told, in order, from its `from`th message on. */
function counts(tab: TestTab, from = 0): number[] {
  return tab.messages.slice(from).flatMap((m) => (m.type === 'presence' ? [m.viewers] : []));
}

it('saving the settings unchanged keeps the socket: no new handshake, and the tab never stops reading live', async () => {
  const settings = { serverUrl: server().url, name: 'Ann' };
  const { w, tab, storage } = await livePage(settings);
  const socket = w.connection.live!.id;
  const reads = storage.settingsReads;
  const told = tab.messages.length;

  await w.useSettings({ ...settings });
  expect(storage.settingsReads).toBe(reads + 1);
  expect(w.connection.live?.id).toBe(socket);
  expect(tab.messages.slice(told).filter((m) => m.type === 'connection').map((m) => m.type === 'connection' && m.state)).not.toContain('offline');
  expect(tab.connection).toBe('live');
});

it('a new display name of a token\'s user keeps the socket: the server takes the name from the token', async () => {
  const token = await issueToken(server(), { tenant: 'acme', user: `tom-${randomUUID()}`, name: 'Tom' });
  const settings = { serverUrl: server().url, name: 'Tom', token };
  const { w, tab, storage } = await livePage(settings);
  const socket = w.connection.live!.id;
  const reads = storage.settingsReads;

  await w.useSettings({ ...settings, name: 'Tommy' });
  expect(storage.settingsReads).toBe(reads + 1);
  expect(w.connection.live?.id).toBe(socket);
  expect(viewers(tab)).toEqual(['Tom']);
});

it('a new name of an anonymous user starts the socket over, as the server learns it from the handshake only; nothing the worker kept is dropped', async () => {
  const settings = { serverUrl: server().url, name: 'Ann' };
  const { url, pageKey, w, tab, storage } = await livePage(settings);
  const { url: _url, ...chat } = typicalChat(url);
  w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
  await tab.until(() => storage.outbox.size === 0 && w.hub.pages.get(pageKey)?.state.seq === 1, 'the create to be confirmed');
  await tab.until(() => viewers(tab).includes('Ann'), 'the server to list Ann');
  const socket = w.connection.live!.id;
  const scope = storage.scope;

  await w.useSettings({ ...settings, name: 'Annie' });
  await tab.until(() => tab.connection === 'live' && viewers(tab).includes('Annie'), 'the server to list the new name');
  expect(w.connection.live?.id).not.toBe(socket);
  expect(viewers(tab)).toEqual(['Annie']);
  // The same user in the same scope: the cache, its seq and the conversation stay.
  expect(storage.scope).toBe(scope);
  expect(w.hub.pages.get(pageKey)?.view().has(chat.id)).toBe(true);
  expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
});

it('an anonymous user\'s new name is no outage: their tabs and popup read connecting, never offline, and the others\' count of viewers holds', async () => {
  const settings = { serverUrl: server().url, name: 'Ann' };
  const { url, pageKey, w, tab } = await livePage(settings);
  const popup = new TestPopup(tab.tabId);
  w.popups.add(popup);
  await popup.until((s) => s.connection === 'live', 'the popup to read live');
  // Bob views the page in another browser; Cy with a bare socket, whose close later marks the end of
  // the presence grace of Ann's old socket (closed before Cy's, with the same grace).
  const bob = worker(server().url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Bob' });
  const bobTab = new TestTab(2);
  await bob.hub.attach(bobTab, pageKey, url);
  const cy = await connect(server().url, { name: 'Cy' });
  await request(cy.socket, 'page:join', { url });
  await bobTab.until(() => counts(bobTab).at(-1) === 3, 'Bob to see three viewers');
  const told = tab.messages.length;
  const shown = popup.states.length;
  const bobTold = bobTab.messages.length;

  await w.useSettings({ ...settings, name: 'Annie' });
  await tab.until(() => tab.connection === 'live' && viewers(tab).includes('Annie'), 'the page to be live with the new name');
  await popup.until((s) => s.connection === 'live', 'the popup to read live again');
  await bobTab.until(() => viewers(bobTab).includes('Annie'), 'Bob to see the new name');
  cy.socket.close();
  await bobTab.until(() => viewers(bobTab).sort().join() === 'Annie,Bob', 'Cy to be counted out once the grace is over');

  expect(states(tab, told)).not.toContain('offline');
  // Nothing was interrupted: not `reconnecting` with its note that the connection was, until the new socket is up.
  expect(states(tab, told)[0]).toBe('connecting');
  expect(popup.states.slice(shown).map((s) => s.connection)).not.toContain('offline');
  // Bob's bar: three viewers throughout (Ann's new name came with a count of three), two once Cy has gone.
  const seen = counts(bobTab, bobTold);
  expect(seen.slice(0, -1)).toEqual(seen.slice(0, -1).map(() => 3));
  expect(seen.at(-1)).toBe(2);
});

it('a switch of account that cannot drop the old data starts no socket: the tabs read offline, not a connecting that nothing follows', async () => {
  const { w, tab, storage } = await livePage({ serverUrl: server().url, name: 'Flo' });
  const token = await issueToken(server(), { tenant: 'acme', user: `flo-${randomUUID()}`, name: 'Flo' });
  storage.onClear = () => Promise.reject(new Error('the disk is full'));

  await w.useSettings({ serverUrl: server().url, name: 'Flo', token });
  expect(w.connection.open).toBe(false);
  expect(tab.connection).toBe('offline');
});

it('a worker\'s first socket, on its way while the settings are read: the first tab reads connecting, not offline, unless the network goes', async () => {
  const storage = new WorkerStorage();
  const release = storage.holdSettings();
  const url = `https://example.com/settings-${randomUUID()}`;
  // As index.ts on a tab's port: the socket starts, then the tab is attached.
  const w = worker(server().url, storage, { anonymousId: randomUUID(), name: 'Gus' });
  const tab = new TestTab(1);
  const attached = w.hub.attach(tab, url.replace('https://', ''), url);
  expect(tab.connection).toBe('connecting');
  // The network goes and comes back meanwhile: offline while it is gone, as any socket.
  w.connection.offline();
  expect(tab.connection).toBe('offline');
  w.connection.online();
  expect(tab.connection).toBe('connecting');
  release();
  await attached;
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  // Each change once (the hub tells a tab its state again when it has news of the page).
  expect(states(tab).filter((state, i, all) => state !== all[i - 1])).toEqual(['connecting', 'offline', 'connecting', 'live']);
});

it('saving unchanged settings after the server refused them tries again: the server may take them now', async () => {
  // A token for a tenant this server does not know yet (issued with the same secret on another file).
  const tenant = `beta-${randomUUID()}`;
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-elsewhere-'));
  const token = await issueToken({ dbPath: path.join(elsewhere, 'gloss.sqlite') }, { tenant, user: 'bo', name: 'Bo' });
  fs.rmSync(elsewhere, { recursive: true, force: true });
  const settings = { serverUrl: server().url, name: 'Bo', token };
  const storage = new WorkerStorage();
  const w = worker(server().url, storage, { anonymousId: randomUUID(), name: 'Bo', token });
  const tab = new TestTab(1);
  await w.hub.attach(tab, 'example.com/refused', 'https://example.com/refused');
  await tab.until(() => w.connection.refused, 'the server to refuse the token');

  // The tenant is registered on this server now; the user saves the same settings again.
  await issueToken(server(), { tenant, user: 'admin', name: 'Admin' });
  await w.useSettings({ ...settings });
  await tab.until(() => tab.connection === 'live', 'the page to be live');
});

it('settings saved while the socket\'s first read of them is on its way, with no tab yet: the socket signs in with the saved ones, not that read', async () => {
  const storage = new WorkerStorage();
  const release = storage.holdSettings();
  const url = `https://example.com/settings-${randomUUID()}`;
  // A restarted worker with an op waiting starts its socket with no tab; here the settings are read as it starts.
  const w = worker(server().url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  const saved = w.useSettings({ serverUrl: server().url, name: 'Bea' });
  release();
  await saved;
  const tab = new TestTab(1);
  await w.hub.attach(tab, url.replace('https://', ''), url);
  await tab.until(() => tab.connection === 'live' && viewers(tab).length > 0, 'the page to be live');
  expect(viewers(tab)).toEqual(['Bea']);
  expect(w.hub.self?.name).toBe('Bea');
  // The check at start and the first socket share one read; the save makes one more.
  expect(storage.settingsReads).toBe(2);
});

it('settings saved after a worker started and read them, before any socket: the first socket signs in with the saved ones', async () => {
  const storage = new WorkerStorage();
  const url = `https://example.com/settings-${randomUUID()}`;
  const w = worker(server().url, storage, { anonymousId: randomUUID(), name: 'Dee' }, { idle: true });
  // The read at start is in: the check of the stored data used it.
  await w.hub.hasOutbox();
  expect(storage.settingsReads).toBe(1);
  await w.useSettings({ serverUrl: server().url, name: 'Dell' });
  expect(w.connection.open).toBe(false);

  const tab = new TestTab(1);
  const attached = w.hub.attach(tab, url.replace('https://', ''), url);
  void w.sockets.start();
  await attached;
  await tab.until(() => tab.connection === 'live' && viewers(tab).length > 0, 'the page to be live');
  expect(viewers(tab)).toEqual(['Dell']);
});

it('settings saved with no socket and nothing that needs one start none; the socket of the next tab signs in with them', async () => {  const { url, pageKey, w, tab, storage } = await livePage({ serverUrl: server().url, name: 'Cy' });
  w.hub.detach(tab);
  // The worker's idle close.
  w.sockets.stop();
  const reads = storage.settingsReads;

  await w.useSettings({ serverUrl: server().url, name: 'Cyd' });
  expect(w.connection.open).toBe(false);
  expect(storage.settingsReads).toBe(reads);

  const next = new TestTab(2);
  const attached = w.hub.attach(next, pageKey, url);
  // What a port opening does.
  void w.sockets.start();
  await attached;
  await next.until(() => next.connection === 'live' && viewers(next).length > 0, 'the page to be live');
  expect(viewers(next)).toEqual(['Cyd']);
});

/** Lets what is already queued run (a timer's turn comes after every promise settled before it). */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The settings form's port as the worker sees it (a browser API): `close` is its page going, however it went. */
function settingsFormPort(senderUrl: string) {
  const closed = new TestEvent<() => void>();
  let disconnected = false;
  const port = {
    name: SETTINGS_PORT,
    sender: { id: RUNTIME_ID, url: senderUrl },
    onDisconnect: closed,
    onMessage: new TestEvent<(message: unknown) => void>(),
    postMessage: () => {},
    disconnect: () => void (disconnected = true),
  } as unknown as Runtime.Port;
  return { port, close: () => closed.fire(), disconnected: () => disconnected };
}

it('a popup closed in the middle of a save, after the settings were written and before the stamp the worker listens to: the worker takes them when the form\'s port closes', async () => {
  const settings = { serverUrl: server().url, name: 'Ann' };
  const { w, tab, storage } = await livePage(settings);
  const socket = w.connection.live!.id;
  const form = settingsFormPort(`${EXTENSION_BASE}extension/popup/index.html`);
  w.connectPort(form.port);

  // The settings are in the private store; `settingsSavedAt` is never written: the popup is gone.
  storage.settings = { ...settings, name: 'Annie' };
  form.close();
  await tab.until(() => tab.connection === 'live' && viewers(tab).includes('Annie'), 'the server to list the new name');
  expect(w.connection.live?.id).not.toBe(socket);
});

it('a settings form\'s port closing with nothing changed keeps the socket; one not opened by an extension page is disconnected and unheard', async () => {
  const settings = { serverUrl: server().url, name: 'Ann' };
  const { w, storage } = await livePage(settings);
  const socket = w.connection.live!.id;

  const form = settingsFormPort(`${EXTENSION_BASE}extension/popup/index.html?view=settings`);
  w.connectPort(form.port);
  const reads = storage.settingsReads;
  const read = new Promise<void>((resolve) => (storage.onStep = (what) => void (what === 'read settings' && resolve())));
  form.close();
  await read;
  // What follows the read is the start's check against the socket's handshake, then nothing.
  await flush();
  expect(storage.settingsReads, 'read again on the close').toBe(reads + 1);
  expect(w.connection.live?.id).toBe(socket);

  // A content script shares the extension's id, not its pages' address.
  const page = settingsFormPort('https://example.com/');
  w.connectPort(page.port);
  expect(page.disconnected()).toBe(true);
  storage.settings = { ...settings, name: 'Mallory' };
  page.close();
  await flush();
  expect(storage.settingsReads).toBe(reads + 1);
  expect(w.connection.live?.id).toBe(socket);
});
