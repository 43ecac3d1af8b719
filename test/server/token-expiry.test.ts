import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signToken } from '../../server/auth/tokens.js';
import { connect, connectError, request } from '../support/clients.js';
import { issueToken, startServerProcess, TEST_SECRET, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let longLived: string;
beforeAll(async () => {
  server = await startServerProcess();
  // Registers the tenant, and is a token of the default lifetime (30 days, beyond setTimeout's longest delay).
  longLived = await issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' });
});
afterAll(async () => server.stop());

it('a connection ends when its token expires, and the reconnection is refused "unauthorized"', async () => {
  const url = `https://example.com/expiry-${randomUUID()}`;
  const expiresAt = Math.floor(Date.now() / 1000) + 3;
  const token = await signToken(new TextEncoder().encode(TEST_SECRET), { tenant: 'acme', sub: 'temp', name: 'Temp' }, expiresAt);
  const short = await connect(server.url, { token });
  const other = await connect(server.url, { token: longLived });
  const ended = new Promise<string>((resolve) => {
    short.socket.once('disconnect', (reason) => resolve(reason));
    // A bound for a clear failure, far past the expiry: not a measure of speed.
    setTimeout(() => resolve('still connected 15 s after its token expired'), 18_000).unref();
  });
  const otherEnded = { reason: '' };
  other.socket.once('disconnect', (reason) => (otherEnded.reason = reason));
  // Valid until then.
  expect(await request(short.socket, 'page:join', { url })).toMatchObject({ ok: true });

  expect(await ended).toBe('transport close');
  expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000);
  expect(server.logs.some((l) => l.includes('"event":"token_expired"') && l.includes('"user":"temp"'))).toBe(true);
  expect((await connectError(server.url, { token })).message).toBe('unauthorized');

  // The token of the default lifetime is not ended with it (a delay past setTimeout's limit fires at once).
  expect(await request(other.socket, 'page:join', { url })).toMatchObject({ ok: true });
  expect(otherEnded.reason).toBe('');
  other.socket.close();
});
