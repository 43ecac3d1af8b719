import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';

let server: ServerProcess;
let socket: TestSocket;
let existing: ReturnType<typeof typicalChat>;
const url = `https://example.com/validation-${randomUUID()}`;
beforeAll(async () => {
  server = await startServerProcess();
  socket = (await connect(server.url, { name: 'Validator' })).socket;
  existing = typicalChat(url);
  await request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat: existing });
});
afterAll(async () => {
  socket.close();
  await server.stop();
});

const chat = () => typicalChat(url);
const quote = (exact: string) => ({ selector: [{ type: 'TextQuoteSelector', exact }] });

const cases: [string, string, () => unknown, string][] = [
  ['create: not an object', 'text-chat:create', () => 'hello', 'invalid'],
  ['create: missing chat', 'text-chat:create', () => ({ broadcastId: randomUUID() }), 'invalid'],
  ['create: broadcastId not a UUID', 'text-chat:create', () => ({ broadcastId: 'abc', chat: chat() }), 'invalid'],
  ['create: id wrongly typed', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), id: 12 } }), 'invalid'],
  ['create: text wrongly typed', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), text: ['x'] } }), 'invalid'],
  ['create: blank text', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), text: '   ' } }), 'invalid'],
  ['create: text over 10,000 characters', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), text: 'x'.repeat(10_001) } }), 'too_large'],
  ['create: quote over 5,000 characters', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), target: quote('q'.repeat(5_001)) } }), 'too_large'],
  ['create: no quote selector', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), target: { selector: [{ type: 'TextPositionSelector', start: 1, end: 5 }] } } }), 'invalid'],
  ['create: unknown selector type', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), target: { selector: [{ type: 'XPathSelector', value: '/html' }] } } }), 'invalid'],
  ['create: position end before start', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), target: { selector: [{ type: 'TextQuoteSelector', exact: 'a' }, { type: 'TextPositionSelector', start: 5, end: 1 }] } } }), 'invalid'],
  ['create: extra field', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), author: { id: 'admin', name: 'Admin' } } }), 'invalid'],
  ['create: javascript: URL', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), url: 'javascript:alert(1)' } }), 'invalid'],
  ['create: relative URL', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), url: '/relative' } }), 'invalid'],
  // A lone surrogate is no character: SQLite stores it as U+FFFD bytes, so what was acknowledged and
  // broadcast differed from what a join later reads, and a retry of the same create was `conflict`.
  ['create: text with a lone surrogate', 'text-chat:create', () => ({ broadcastId: randomUUID(), chat: { ...chat(), text: 'broken \ud800 pair' } }), 'invalid'],
  ['update: reply with a lone surrogate', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, changes: { addComment: { id: randomUUID(), text: 'r\udfff' } } }), 'invalid'],
  ['update: two changes at once', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, changes: { resolved: true, addComment: { id: randomUUID(), text: 'x' } } }), 'invalid'],
  ['update: resolved wrongly typed', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, changes: { resolved: 'yes' } }), 'invalid'],
  ['update: comment over 10,000 characters', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, changes: { addComment: { id: randomUUID(), text: 'y'.repeat(10_001) } } }), 'too_large'],
  ['update: unknown conversation', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: randomUUID(), changes: { resolved: true } }), 'not_found'],
  ['update: unknown comment', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, changes: { editComment: { id: randomUUID(), text: 'z' } } }), 'not_found'],
  ['update: baseRevision 0', 'text-chat:update', () => ({ broadcastId: randomUUID(), id: existing.id, baseRevision: 0, changes: { resolved: true } }), 'invalid'],
  ['delete: null', 'text-chat:delete', () => null, 'invalid'],
  ['delete: unknown conversation', 'text-chat:delete', () => ({ broadcastId: randomUUID(), id: randomUUID() }), 'not_found'],
  ['join: url wrongly typed', 'page:join', () => ({ url: 42 }), 'invalid'],
  ['join: negative sinceSeq', 'page:join', () => ({ url, sinceSeq: -1 }), 'invalid'],
  ['join: url over 4,096 characters', 'page:join', () => ({ url: `https://example.com/${'a'.repeat(5000)}` }), 'too_large'],
  ['sync: ftp URL', 'page:sync', () => ({ url: 'ftp://example.com/x', sinceSeq: 0 }), 'invalid'],
];

it.each(cases)('%s → %s … refused with the right code, database unchanged', async (_name, event, payload, code) => {
  const before = dbState(server.dbPath);
  const res = await request(socket, event as 'text-chat:create', payload());
  expect(res).toMatchObject({ ok: false, error: { code } });
  if (!res.ok) expect(res.error.message.length).toBeGreaterThan(0);
  expect(dbState(server.dbPath)).toEqual(before);
});

it('a refusal names what was wrong, never a string the client sent in the wrong place, in its answer or in the log', async () => {
  const secret = `secret-${randomUUID()}`;
  const res = await request(socket, 'page:sync', { url, sinceSeq: secret } as never);
  expect(res).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('page:sync.sinceSeq') } });
  expect(JSON.stringify(res)).not.toContain(secret);
  // Logged (debug) once refused: the next refusal's line comes after it.
  expect(await request(socket, 'page:join', {} as never)).toMatchObject({ ok: false });
  await expect.poll(() => server.logs.some((l) => l.includes('"op":"page:join"') && l.includes('"event":"rejected"'))).toBe(true);
  expect(server.logs.some((l) => l.includes('"op":"page:sync"') && l.includes('"event":"rejected"'))).toBe(true);
  expect(server.logs.filter((l) => l.includes(secret))).toEqual([]);
});

it('an event over 64 KB closes that connection without changing anything', async () => {
  const { socket: big } = await connect(server.url, { name: 'Big' });
  const before = dbState(server.dbPath);
  const closed = new Promise<string>((resolve) => big.once('disconnect', resolve));
  big.emit('text-chat:create', { broadcastId: randomUUID(), chat: { ...chat(), text: 'x'.repeat(70_000) } }, () => {});
  expect(await closed).toBe('transport close');
  expect(dbState(server.dbPath)).toEqual(before);
  // The server is still fine for everyone else.
  expect(await request(socket, 'page:join', { url })).toMatchObject({ ok: true });
});

it('an operation without an acknowledgement callback is ignored', async () => {
  const before = dbState(server.dbPath);
  socket.emit('text-chat:create', { broadcastId: randomUUID(), chat: chat() } as never, undefined as never);
  expect(await request(socket, 'page:join', { url })).toMatchObject({ ok: true });
  expect(dbState(server.dbPath)).toEqual(before);
});

it('an operation with an acknowledgement but without its payload, or with two, is answered invalid, not left waiting', async () => {
  const before = dbState(server.dbPath);
  const emit = (ev: string, ...args: unknown[]) => (socket.timeout(2_000).emitWithAck as (ev: string, ...args: unknown[]) => Promise<unknown>)(ev, ...args);
  for (const event of ['page:join', 'page:sync', 'page:leave', 'text-chat:create', 'text-chat:update', 'text-chat:delete']) {
    expect(await emit(event)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  }
  expect(await emit('page:leave', { url }, { url })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  expect(await emit('text-chat:create', { broadcastId: randomUUID(), chat: chat() }, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid' } });
  expect(dbState(server.dbPath)).toEqual(before);
});

it('limits the operations of one connection (rate_limited) without changing anything', async () => {
  const limited = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1', GLOSS_RATE_BURST: '3' } });
  try {
    const { socket: s } = await connect(limited.url);
    const results = await Promise.all(Array.from({ length: 6 }, () => request(s, 'text-chat:create', { broadcastId: randomUUID(), chat: chat() })));
    const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(3);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(3);
    expect(dbState(limited.dbPath).liveConversations).toBe(3);
    s.close();
  } finally {
    await limited.stop();
  }
});

it('events without an acknowledgement are within the rate limit too: a loop of them cannot flood the log', async () => {
  const limited = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1', GLOSS_RATE_BURST: '3' } });
  try {
    const { socket: s } = await connect(limited.url);
    const before = dbState(limited.dbPath);
    for (let i = 0; i < 500; i++) s.emit('page:leave', { url } as never, undefined as never);
    // A refused operation (rate_limited, or else invalid) is logged: once its line is in, so is every line before it.
    expect(await request(s, 'page:join', {})).toMatchObject({ ok: false });
    const marker = (l: string) => l.includes('"event":"rejected"') && l.includes('"op":"page:join"');
    for (let waited = 0; !limited.logs.some(marker) && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(limited.logs.some(marker)).toBe(true);
    const warned = limited.logs.filter((l) => l.includes('"event":"event_without_ack"')).length;
    expect(warned).toBeGreaterThan(0);
    expect(warned).toBeLessThanOrEqual(5);
    expect(dbState(limited.dbPath)).toEqual(before);
    s.close();
  } finally {
    await limited.stop();
  }
});

it('an event that is not in the protocol is answered invalid when it asks for an answer, and changes nothing', async () => {
  const before = dbState(server.dbPath);
  const emit = (ev: string, ...args: unknown[]) => (socket.timeout(2_000).emitWithAck as (ev: string, ...args: unknown[]) => Promise<unknown>)(ev, ...args);
  for (const event of ['text-chat:nuke', 'toString', '__proto__', 'hasOwnProperty', 'page:join ']) {
    expect(await emit(event, { url })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('no such event') } });
  }
  // Without an acknowledgement it is dropped, and the connection goes on.
  (socket.emit as (ev: string, ...args: unknown[]) => unknown)('text-chat:nuke', { url });
  expect(await request(socket, 'page:join', { url })).toMatchObject({ ok: true });
  expect(dbState(server.dbPath)).toEqual(before);
});
