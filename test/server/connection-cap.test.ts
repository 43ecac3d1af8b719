import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { TOLD_OVER_CAP } from '../../server/realtime/connection-cap.js';
import { connectError, type ConnectOptions } from '../support/clients.js';
import { serverPerTest, xff } from '../support/server-per-test.js';

const { start, sockets, open } = serverPerTest();
function closeAll() {
  for (const s of sockets.splice(0)) s.close();
}
/**
 * Opens connections until `n` are held. The server frees a slot when it sees the TCP socket close, a
 * moment after the client closed it, so a try may be refused until then; a slot never freed times out.
 */
async function fill(n: number, opts: ConnectOptions = {}) {
  const deadline = Date.now() + 5_000;
  while (sockets.length < n) {
    if (Date.now() > deadline) throw new Error(`only ${sockets.length} of ${n} connections were let in`);
    await open(opts).catch(() => new Promise((r) => setTimeout(r, 50)));
  }
}
type CodedError = Error & { data?: { code?: string } };

it('refuses a connection over the per-address cap with too_many_connections, and frees the slot when one closes', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
  await fill(3);
  const err = (await connectError(server.url)) as CodedError;
  expect(err.message).toBe('too_many_connections');
  expect(err.data).toEqual({ code: 'too_many_connections' });
  await expect.poll(() => server.logs.some((l) => l.includes('"handshake_refused"') && l.includes('"too_many_connections"') && l.includes('"address":"127.0.0.1"'))).toBe(true);

  sockets.shift()!.close();
  await fill(3);
  expect((await connectError(server.url)).message).toBe('too_many_connections');
});

it('a flood from one address: only the cap connects, and every slot comes back when they close', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
  const tries = await Promise.allSettled(Array.from({ length: 40 }, () => open()));
  expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(3);
  // Over the cap, a client is told why, or (past TOLD_OVER_CAP held at once) refused at the upgrade;
  // which of the two each one meets depends on how fast the server closes the told ones.
  const reasons = tries.flatMap((t) => (t.status === 'rejected' ? [(t.reason as Error).message] : []));
  expect(reasons).toHaveLength(37);
  expect(reasons).toContain('too_many_connections');
  for (const reason of reasons) expect(['too_many_connections', 'websocket error']).toContain(reason);
  closeAll();
  await fill(3);
  expect((await connectError(server.url)).message).toBe('too_many_connections');
});

it(`past ${TOLD_OVER_CAP} connections over the cap held at once, the upgrade itself is refused; once they close, the next is told why again`, async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '1' } });
  await fill(1);
  // Upgraded WebSockets that never send Socket.IO's CONNECT: each holds a told slot until it closes.
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const silent = await Promise.all(
    Array.from({ length: TOLD_OVER_CAP }, () => new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  try {
    expect((await connectError(server.url)).message).toBe('websocket error');
  } finally {
    for (const ws of silent) ws.close();
  }
  await expect.poll(async () => (await connectError(server.url)).message, { timeout: 5_000 }).toBe('too_many_connections');
});

it('a handshake refused for its token holds no slot once it is closed', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
  for (let i = 0; i < 10; i++) expect((await connectError(server.url, { auth: { token: 'not-a-token' } })).message).toMatch(/^(unauthorized|too_many_connections)$/);
  await fill(3);
  expect((await connectError(server.url)).message).toBe('too_many_connections');
});

it('X-Forwarded-For is not believed unless its sender is a trusted proxy: a client cannot walk past the cap with it', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
  await open(xff('203.0.113.1'));
  await open(xff('203.0.113.2'));
  expect((await connectError(server.url, xff('203.0.113.3'))).message).toBe('too_many_connections');
});

it('behind a trusted proxy (GLOSS_TRUSTED_PROXIES), each forwarded client has its own cap', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '2', GLOSS_TRUSTED_PROXIES: '127.0.0.1,::1' } });
  await open(xff('203.0.113.1'));
  await open(xff('203.0.113.1'));
  expect((await connectError(server.url, xff('203.0.113.1'))).message).toBe('too_many_connections');
  // Only the hop our proxy wrote (the right end) counts; what the client put before it is its own claim.
  expect((await connectError(server.url, xff('198.51.100.7, 203.0.113.1'))).message).toBe('too_many_connections');
  await open(xff('203.0.113.2'));
  await open(xff('203.0.113.1, 203.0.113.2'));
  await expect.poll(() => server.logs.some((l) => l.includes('"too_many_connections"') && l.includes('"address":"203.0.113.1"'))).toBe(true);
});

it('an IPv6 client is counted by its /64, which one host can fill with addresses of its own', async () => {
  const server = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '2', GLOSS_TRUSTED_PROXIES: '127.0.0.1' } });
  await open(xff('2001:db8:1:2::a'));
  await open(xff('2001:db8:1:2:ffff:0:0:b'));
  expect((await connectError(server.url, xff('2001:DB8:1:2::c'))).message).toBe('too_many_connections');
  await open(xff('2001:db8:1:3::a'));
});
