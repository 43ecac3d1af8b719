import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Settings } from '../../extension/shared/settings-rules.js';
import { issueToken } from '../support/server-process.js';
import { typicalChat } from '../support/clients.js';
import { TestTab, WorkerStorage } from '../support/worker.js';
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
