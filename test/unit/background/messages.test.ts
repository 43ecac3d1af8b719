import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { BackgroundToContent, popupPortName } from '../../../protocol/runtime.js';
import { parseContentMessage, parsePopupMessage, popupPortTab, portOrigin, wireUrl } from '../../../extension/background/messages.js';
import { encodeNewTextChat, NewTextChatFromWire } from '../../../protocol/wire.js';
import { CreateAckSchema, DeleteAckSchema, PresenceSchema, SessionSchema, SyncAckSchema, UpdateAckSchema, UpdatedTextChatSchema } from '../../../extension/background/server-schemas.js';
import { handshakeAuth } from '../../../extension/background/connection.js';
import { alice, chat, target, uuid } from './fixtures.js';

const RUNTIME = 'gloss-extension-id';
let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});

describe('content → background', () => {
  it('accepts each operation', () => {
    const good = [
      { type: 'create', broadcastId: uuid(1), chat: { id: uuid(2), target, text: 'note' } },
      { type: 'update', broadcastId: uuid(1), id: uuid(2), baseRevision: 3, changes: { addComment: { id: uuid(3), text: 'reply' } } },
      { type: 'update', broadcastId: uuid(1), id: uuid(2), changes: { resolved: false } },
      { type: 'delete', broadcastId: uuid(1), id: uuid(2) },
    ];
    for (const message of good) expect(parseContentMessage(message)).toEqual(message);
    expect(warn).not.toHaveBeenCalled();
  });

  it('drops and logs unknown or malformed messages, without their text', () => {
    const bad: unknown[] = [
      null,
      'create',
      { type: 'page:join', url: 'https://evil.example/' },
      { type: 'create', broadcastId: 'not-a-uuid', chat: { id: uuid(2), target, text: 'note' } },
      // The url is the worker's to fill in, from the port's sender.
      { type: 'create', broadcastId: uuid(1), chat: { id: uuid(2), target, text: 'note', url: 'https://other.example/' } },
      { type: 'create', broadcastId: uuid(1), chat: { id: uuid(2), target, text: '   ' } },
      { type: 'update', broadcastId: uuid(1), id: uuid(2), changes: { resolved: true, addComment: { id: uuid(3), text: 'x' } } },
      { type: 'delete', broadcastId: uuid(1), id: uuid(2), token: 'secret-token' },
      // A string where another type belongs: valibot's own message quotes what it received.
      { type: 'update', broadcastId: uuid(1), id: uuid(2), baseRevision: 'secret-token', changes: { resolved: true } },
      { type: 'create', broadcastId: uuid(1), chat: { id: uuid(2), target: { selector: [{ type: `secret-token ${'x'.repeat(40)}`, exact: 'x' }] }, text: 'note' } },
      { type: 'delete', broadcastId: uuid(1), id: uuid(2), madeOn: ['secret-token'] },
    ];
    for (const message of bad) expect(parseContentMessage(message)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(bad.length);
    for (const call of warn.mock.calls) expect(String(call[0])).not.toContain('secret-token');
  });
});

describe('popup → background', () => {
  const BASE = `chrome-extension://${RUNTIME}/`;
  const popup = { id: RUNTIME, url: `${BASE}extension/popup/index.html` };

  it('takes the tab named by a popup port from the extension’s own pages, in the popup or in a tab', () => {
    expect(popupPortTab(popupPortName(4), popup, RUNTIME, BASE)).toBe(4);
    expect(popupPortTab(popupPortName(0), popup, RUNTIME, BASE)).toBe(0);
    // The popup page opened in a tab has a tab of its own: the tab it describes is the one it names.
    const settingsTab = { ...popup, url: `${popup.url}?view=settings`, tab: { id: 9 } };
    expect(popupPortTab(popupPortName(4), settingsTab, RUNTIME, BASE)).toBe(4);
    // Not a popup port at all: not this door's to refuse, and nothing to warn about.
    expect(popupPortTab('gloss-page https://example.com/', popup, RUNTIME, BASE)).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses popup ports from content scripts and other extensions, and names that are no tab', () => {
    const contentScript = { id: RUNTIME, url: 'https://example.com/', tab: { id: 4 } };
    expect(popupPortTab(popupPortName(4), contentScript, RUNTIME, BASE)).toBeNull();
    expect(popupPortTab(popupPortName(4), { id: RUNTIME }, RUNTIME, BASE)).toBeNull();
    expect(popupPortTab(popupPortName(4), undefined, RUNTIME, BASE)).toBeNull();
    expect(popupPortTab(popupPortName(4), { id: 'another-extension', url: 'chrome-extension://another-extension/x.html' }, RUNTIME, BASE)).toBeNull();
    for (const name of ['gloss-popup -1', 'gloss-popup 1.5', 'gloss-popup ', 'gloss-popup 4 5', 'gloss-popup 0x10', 'gloss-popup 99999999999999999999']) {
      expect(popupPortTab(name, popup, RUNTIME, BASE)).toBeNull();
    }
    expect(warn).toHaveBeenCalledTimes(10);
  });

  it('checks what the popup sends over its port', () => {
    expect(parsePopupMessage({ type: 'open-panel', request: 3 })).toEqual({ type: 'open-panel', request: 3 });
    expect(parsePopupMessage({ type: 'open-panel', request: 3, tabId: 7 })).toBeNull();
    expect(parsePopupMessage({ type: 'open-panel' })).toBeNull();
    expect(parsePopupMessage({ type: 'tab-state', tabId: 4 })).toBeNull();
    expect(parsePopupMessage('open-panel')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(4);
  });
});

describe('port origin', () => {
  it('takes the tab and page from the sender and sends only the normalised address', () => {
    const address = 'https://user:pw@Example.com/a?utm_source=x&b=1#top';
    const origin = portOrigin({ id: RUNTIME, tab: { id: 7 }, frameId: 0, url: address }, RUNTIME, address);
    expect(origin).toEqual({ tabId: 7, pageKey: 'example.com/a?b=1', url: 'https://example.com/a?b=1' });
  });

  it('takes the address a same-document navigation moved to, within the sender\'s origin only', () => {
    const loaded = { id: RUNTIME, tab: { id: 7 }, frameId: 0, url: 'https://example.com/app?view=a' };
    expect(portOrigin(loaded, RUNTIME, 'https://example.com/app?view=b#x')).toEqual({ tabId: 7, pageKey: 'example.com/app?view=b', url: 'https://example.com/app?view=b' });
    expect(portOrigin(loaded, RUNTIME, 'https://example.org/app?view=b')).toBeNull();
    expect(portOrigin(loaded, RUNTIME, 'http://example.com/app?view=b')).toBeNull();
    expect(portOrigin(loaded, RUNTIME, 'https://example.com:8443/app')).toBeNull();
    expect(portOrigin(loaded, RUNTIME, 'not a url')).toBeNull();
    expect(portOrigin({ ...loaded, url: 'about:blank' }, RUNTIME, 'https://example.com/')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('takes a hash route the tab moved to as its page, and sends it; an anchor it does not', () => {
    const loaded = { id: RUNTIME, tab: { id: 7 }, frameId: 0, url: 'https://example.com/app#/inbox' };
    expect(portOrigin(loaded, RUNTIME, 'https://example.com/app?utm_source=x#/settings?utm_medium=y&b=2&a=1')).toEqual({
      tabId: 7,
      pageKey: 'example.com/app#/settings?a=1&b=2',
      url: 'https://example.com/app#/settings?a=1&b=2',
    });
    expect(portOrigin(loaded, RUNTIME, 'https://example.com/app#!/item/42')).toMatchObject({ pageKey: 'example.com/app#!/item/42', url: 'https://example.com/app#!/item/42' });
    expect(portOrigin(loaded, RUNTIME, 'https://example.com/app#section-3')).toMatchObject({ pageKey: 'example.com/app', url: 'https://example.com/app' });
    expect(portOrigin(loaded, RUNTIME, 'https://example.org/app#/inbox')).toBeNull();
  });

  it('skips pages that cannot be annotated, sub-frames, and other senders', () => {
    expect(portOrigin({ id: RUNTIME, tab: { id: 7 }, frameId: 0, url: 'file:///home/me/a.html' }, RUNTIME, 'file:///home/me/a.html')).toBeNull();
    expect(portOrigin({ id: RUNTIME, tab: { id: 7 }, frameId: 0, url: 'chrome://settings/' }, RUNTIME, 'chrome://settings/')).toBeNull();
    expect(portOrigin({ id: RUNTIME, tab: { id: 7 }, frameId: 3, url: 'https://example.com/' }, RUNTIME, 'https://example.com/')).toBeNull();
    expect(portOrigin({ id: RUNTIME, frameId: 0, url: 'https://example.com/' }, RUNTIME, 'https://example.com/')).toBeNull();
    expect(portOrigin({ id: 'another-extension', tab: { id: 7 }, frameId: 0, url: 'https://example.com/' }, RUNTIME, 'https://example.com/')).toBeNull();
    expect(portOrigin(undefined, RUNTIME, 'https://example.com/')).toBeNull();
  });

  it('rebuilds a URL that normalises to the same key', () => {
    expect(wireUrl('http://localhost:8080/x/y?b=2&a=1', 'localhost:8080/x/y?a=1&b=2')).toBe('http://localhost:8080/x/y?a=1&b=2');
  });
});

describe('background → content', () => {
  it('what the worker sends passes the content side’s check', () => {
    const sent: unknown[] = [
      { type: 'connection', state: 'live', reason: null, self: alice, role: 'moderator' },
      { type: 'connection', state: 'offline', reason: null, self: null, role: null },
      { type: 'connection', state: 'offline', reason: 'refused', self: null, role: null },
      { type: 'connection', state: 'connecting', reason: 'busy', self: alice, role: null },
      { type: 'presence', viewers: 2, users: [alice, { id: 'b', name: 'Bob' }] },
      { type: 'snapshot', pageKey: 'example.com/a', conversations: [chat(uuid(1)), { ...chat(uuid(2)), pending: true }] },
      { type: 'upsert', conversation: chat(uuid(1)) },
      { type: 'remove', id: uuid(1) },
      { type: 'op-failed', broadcastId: uuid(3), id: uuid(1), error: { code: 'conflict', message: 'stale revision' } },
      { type: 'open-panel' },
    ];
    for (const message of sent) expect(v.is(BackgroundToContent, message)).toBe(true);
  });

  it('the content side rejects what the worker must never send', () => {
    expect(v.is(BackgroundToContent, { type: 'connection', state: 'live', reason: null, self: alice, role: null, token: 'secret' })).toBe(false);
    // The reason is a word from a fixed list, never what the server said (its message could carry anything).
    expect(v.is(BackgroundToContent, { type: 'connection', state: 'offline', reason: 'unauthorized: bad token', self: null, role: null })).toBe(false);
    expect(v.is(BackgroundToContent, { type: 'connection', state: 'offline', refused: true, self: null, role: null })).toBe(false);
    // A role from a fixed list: a tab shown anything else offers no one else's Delete.
    expect(v.is(BackgroundToContent, { type: 'connection', state: 'live', reason: null, self: alice, role: 'admin' })).toBe(false);
    expect(v.is(BackgroundToContent, { type: 'upsert', conversation: { ...chat(uuid(1)), url: 'https://example.com' } })).toBe(false);
  });
});

describe('server → background', () => {
  it('accepts the protocol’s events and answers', () => {
    expect(v.is(NewTextChatFromWire, encodeNewTextChat({ broadcastId: uuid(1), seq: 1, pageKey: 'p', id: uuid(2), chat: { target, text: 'x', author: alice, createdAt: 1 } }))).toBe(true);
    expect(v.is(UpdatedTextChatSchema, { broadcastId: uuid(1), seq: 2, pageKey: 'p', id: uuid(2), revision: 2, by: alice, resolved: true })).toBe(true);
    expect(v.is(PresenceSchema, { pageKey: 'p', viewers: 1, users: [alice] })).toBe(true);
    expect(v.is(SessionSchema, { tenant: 't', user: alice, role: 'member' })).toBe(true);
    expect(v.is(SyncAckSchema, { ok: true, pageKey: 'p', seq: 3, viewers: 1, users: [alice], conversations: [chat(uuid(1))] })).toBe(true);
    expect(v.is(SyncAckSchema, { ok: true, pageKey: 'p', seq: 3, viewers: 1, users: [], changes: [{ type: 'deleted-text-chat', broadcastId: uuid(1), seq: 3, id: uuid(2) }] })).toBe(true);
    expect(v.is(CreateAckSchema, { ok: true, seq: 4, author: alice, createdAt: 1 })).toBe(true);
    expect(v.is(CreateAckSchema, { ok: true, seq: 4, chat: chat(uuid(1)), duplicate: true })).toBe(true);
    expect(v.is(UpdateAckSchema, { ok: false, error: { code: 'conflict', message: 'stale', current: chat(uuid(1)) } })).toBe(true);
    expect(v.is(UpdateAckSchema, { ok: true, seq: 5, revision: 1, chat: chat(uuid(1)), unchanged: true })).toBe(true);
    expect(v.is(DeleteAckSchema, { ok: true, seq: 5, unchanged: true })).toBe(true);
  });

  it('rejects malformed ones', () => {
    expect(v.is(NewTextChatFromWire, encodeNewTextChat({ broadcastId: uuid(1), seq: -1, pageKey: 'p', id: uuid(2), chat: { target, text: 'x', author: alice, createdAt: 1 } }))).toBe(false);
    expect(v.is(UpdatedTextChatSchema, { broadcastId: uuid(1), seq: 2, pageKey: 'p', id: uuid(2), revision: 2, by: alice })).toBe(false);
    expect(v.is(SyncAckSchema, { ok: true, pageKey: 'p', seq: 3, viewers: 1, users: [] })).toBe(false);
    expect(v.is(CreateAckSchema, { ok: false, error: { code: 'teapot', message: 'x' } })).toBe(false);
    expect(v.is(CreateAckSchema, { ok: true, seq: 4 })).toBe(false);
    expect(v.is(CreateAckSchema, { ok: true, seq: 4, author: alice, createdAt: -1 })).toBe(false);
    expect(v.is(CreateAckSchema, { ok: true, seq: 4, chat: chat(uuid(1)) })).toBe(false);
    expect(v.is(UpdateAckSchema, { ok: true, seq: 5, revision: 1, chat: chat(uuid(1)), unchanged: false })).toBe(false);
    expect(v.is(DeleteAckSchema, { ok: true, seq: 5, unchanged: 'yes' })).toBe(false);
  });
});

describe('handshake', () => {
  it('sends the token when there is one, else the anonymous identity — never both', () => {
    expect(handshakeAuth({ serverUrl: 'https://g.example', name: 'Ann', token: 't0k' }, uuid(1))).toEqual({ token: 't0k' });
    expect(handshakeAuth({ serverUrl: 'https://g.example', name: 'Ann' }, uuid(1))).toEqual({ anonymousId: uuid(1), name: 'Ann' });
  });
});
