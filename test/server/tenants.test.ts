import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signToken } from '../../server/auth/tokens.js';
import { issueToken, startServerProcess, TEST_SECRET, type ServerProcess } from '../support/server-process.js';
import { connect, connectError, recorder, request, typicalChat } from '../support/clients.js';

let server: ServerProcess;
let acmeAlice: string;
let globexBob: string;
beforeAll(async () => {
  server = await startServerProcess();
  [acmeAlice, globexBob] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'alice', name: 'Alice' }),
    issueToken(server, { tenant: 'globex', user: 'bob', name: 'Bob' }),
  ]);
});
afterAll(async () => server.stop());

it('a token puts the user in its tenant', async () => {
  const { socket, session } = await connect(server.url, { token: acmeAlice });
  expect(session).toEqual({ tenant: 'acme', user: { id: 'alice', name: 'Alice' }, role: 'member' });
  socket.close();
});

it('a user of tenant A never receives anything of tenant B on the identical URL', async () => {
  const url = `https://example.com/shared-${randomUUID()}`;
  const a = await connect(server.url, { token: acmeAlice });
  const b = await connect(server.url, { token: globexBob });
  const anon = await connect(server.url, { name: 'Anon' });
  const aSees = recorder(a.socket);
  const anonSees = recorder(anon.socket);
  expect(await request(a.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 1 });
  expect(await request(anon.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 1 });
  expect(await request(b.socket, 'page:join', { url })).toMatchObject({ ok: true, viewers: 1, conversations: [] });
  const chat = typicalChat(url);
  expect(await request(b.socket, 'text-chat:create', { broadcastId: randomUUID(), chat })).toMatchObject({ ok: true, seq: 1 });
  // B's conversation id is invisible from A: updating or deleting it is `not_found`, re-using it `conflict`.
  expect(await request(a.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await request(a.socket, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  // A's own change on that URL is seq 1 of A's page, proving the pages are separate.
  expect(await request(a.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) })).toMatchObject({ ok: true, seq: 1 });
  await new Promise((r) => setTimeout(r, 300));
  expect(aSees.events.filter((e) => e.event !== 'presence')).toEqual([]);
  expect(aSees.of('presence').every((p) => p.viewers === 1)).toBe(true);
  expect(anonSees.events.filter((e) => e.event !== 'presence')).toEqual([]);
  expect(await request(a.socket, 'page:join', { url })).toMatchObject({ ok: true, conversations: [{ author: { id: 'alice' } }] });
  for (const c of [a, b, anon]) c.socket.close();
});

it('refuses a bad signature, an expired token and an unknown tenant with connect_error "unauthorized"', async () => {
  const wrongKey = await signToken(new TextEncoder().encode('another-secret-that-is-long-enough-to-use'), { tenant: 'acme', sub: 'eve', name: 'Eve' });
  const expired = await signToken(new TextEncoder().encode(TEST_SECRET), { tenant: 'acme', sub: 'alice', name: 'Alice' }, Math.floor(Date.now() / 1000) - 60);
  const unknownTenant = await signToken(new TextEncoder().encode(TEST_SECRET), { tenant: 'initech', sub: 'peter', name: 'Peter' });
  for (const token of [wrongKey, expired, unknownTenant, 'not-a-jwt']) {
    expect((await connectError(server.url, { token })).message).toBe('unauthorized');
  }
  expect((await connectError(server.url, { auth: { anonymousId: 'not-a-uuid', name: 'X' } })).message).toBe('unauthorized');
  expect((await connectError(server.url, { auth: { token: 42 } })).message).toBe('unauthorized');
});

it('refuses a token signed with the right secret but another algorithm (HS512, or alg none)', async () => {
  const exp = Math.floor(Date.now() / 1000) + 600;
  const hs512 = await new SignJWT({ tenant: 'acme', name: 'Eve' }).setProtectedHeader({ alg: 'HS512' }).setSubject('eve').setExpirationTime(exp).sign(new TextEncoder().encode(TEST_SECRET));
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ tenant: 'acme', sub: 'eve', name: 'Eve', exp })}.`;
  for (const token of [hs512, unsigned]) expect((await connectError(server.url, { token })).message).toBe('unauthorized');
});

it('refuses an anonymous handshake whose name has a lone surrogate (no name the server could store as sent)', async () => {
  expect((await connectError(server.url, { name: 'Ann \ud800' })).message).toBe('unauthorized');
});

it('refuses a correctly signed token that has no expiry, on the socket and on /api/usage', async () => {
  // What `npm run token -- … --expires ""` used to print: a credential that never expires, and that
  // nothing can revoke short of changing the secret.
  const forever = await new SignJWT({ tenant: 'acme', name: 'Mia', role: 'moderator' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('mia')
    .setIssuedAt()
    .sign(new TextEncoder().encode(TEST_SECRET));
  expect((await connectError(server.url, { token: forever })).message).toBe('unauthorized');
  const res = await fetch(`${server.url}/api/usage`, { headers: { authorization: `Bearer ${forever}` } });
  expect(res.status).toBe(401);
});

it('the token command refuses an empty --expires instead of issuing a token that never expires', async () => {
  await expect(issueToken(server, { tenant: 'acme', user: 'nora', name: 'Nora', expires: '' })).rejects.toThrow(/--expires/);
});

it('the token command refuses a --name or --user the server would refuse, and registers nothing', async () => {
  // Such a token used to be printed and its tenant registered, and then every connection with it was
  // refused `unauthorized` (the claims fail the server's check), with nothing saying why.
  const tenant = `long-${randomUUID().slice(0, 8)}`;
  await expect(issueToken(server, { tenant, user: 'nora', name: 'N'.repeat(81) })).rejects.toThrow(/--name/);
  await expect(issueToken(server, { tenant, user: 'u'.repeat(201), name: 'Nora' })).rejects.toThrow(/--user/);
  // The tenant was not registered: a valid token for it is still refused.
  const valid = await signToken(new TextEncoder().encode(TEST_SECRET), { tenant, sub: 'nora', name: 'Nora' });
  expect((await connectError(server.url, { token: valid })).message).toBe('unauthorized');
  // At the limits the command issues a token that connects.
  const atLimits = await issueToken(server, { tenant, user: 'u'.repeat(200), name: 'N'.repeat(80) });
  const { socket, session } = await connect(server.url, { token: atLimits });
  expect(session.user).toEqual({ id: 'u'.repeat(200), name: 'N'.repeat(80) });
  socket.close();
});

it('refuses a token that names an anonymous user, and the token command will not issue one', async () => {
  // An anonymous user's id is in every presence list; a token with it as `sub` would act as them.
  const anon = await connect(server.url, { name: 'Ann' });
  const annId = anon.session.user.id;
  anon.socket.close();
  expect(annId).toMatch(/^anon-/);
  const posing = await new SignJWT({ tenant: 'public', name: 'Ann' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(annId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_SECRET));
  expect((await connectError(server.url, { token: posing })).message).toBe('unauthorized');
  await expect(issueToken(server, { tenant: 'public', user: annId, name: 'Ann' })).rejects.toThrow(/--user may not start with anon-/);
});

it('refuses anonymous use when GLOSS_ANONYMOUS is off, and still accepts tokens', async () => {
  const closed = await startServerProcess({ env: { GLOSS_ANONYMOUS: 'off' } });
  try {
    expect((await connectError(closed.url, { name: 'Anon' })).message).toBe('unauthorized');
    const token = await issueToken(closed, { tenant: 'acme', user: 'alice', name: 'Alice' });
    const { socket } = await connect(closed.url, { token });
    socket.close();
  } finally {
    await closed.stop();
  }
});
