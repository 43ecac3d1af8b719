import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, recorder, request, typicalChat } from '../support/clients.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

const get = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

it('GET /healthz answers 200', async () => {
  const res = await get('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

it('serves no /debug/stats unless GLOSS_BENCH_STATS asks for it, with a token or without', async () => {
  const moderator = await issueToken(server, { tenant: 'acme', user: 'dee', name: 'Dee', role: 'moderator' });
  for (const res of [await get('/debug/stats'), await get('/debug/stats?reset=1', moderator)]) {
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }
});

it('counts pubSubMessageCount per recipient and pubSubBandwidth in bytes, for moderators of the tenant only', async () => {
  const [mod, member] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'mia', name: 'Mia', role: 'moderator' }),
    issueToken(server, { tenant: 'acme', user: 'max', name: 'Max' }),
  ]);
  expect((await get('/api/usage')).status).toBe(401);
  expect((await get('/api/usage', 'garbage')).status).toBe(401);
  const forbidden = await get('/api/usage', member);
  expect(forbidden.status).toBe(403);
  expect(await forbidden.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });

  const zero = (await (await get('/api/usage', mod)).json()) as { pubSubMessageCount: number; pubSubBandwidth: number };
  expect(zero).toEqual({ ok: true, tenant: 'acme', pubSubMessageCount: 0, pubSubBandwidth: 0 });

  // Three viewers of one page; one creates: two recipients of the new-text-chat.
  const url = `https://example.com/usage-${randomUUID()}`;
  const viewers = await Promise.all([member, mod, member].map((token) => connect(server.url, { token })));
  const listeners = viewers.map((v) => recorder(v.socket));
  const frameBytes: number[] = [];
  for (const v of viewers.slice(1)) {
    v.socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
      if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('2["new-text-chat"')) frameBytes.push(Buffer.byteLength(p.data) + 1);
    });
  }
  for (const v of viewers) await request(v.socket, 'page:join', { url });
  // The third socket is the first user again: it changes no one's count, so only the first two hear a presence of 2.
  await Promise.all(listeners.slice(0, 2).map((l) => l.until((e) => e.some((x) => x.event === 'presence' && x.payload.viewers === 2))));
  const afterPresence = (await (await get('/api/usage', mod)).json()) as typeof zero;
  expect(afterPresence.pubSubMessageCount).toBeGreaterThan(0);

  await request(viewers[0]!.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) });
  await Promise.all(listeners.slice(1).map((l) => l.until((e) => e.some((x) => x.event === 'new-text-chat'))));
  const after = (await (await get('/api/usage', mod)).json()) as typeof zero;
  expect(after.pubSubMessageCount - afterPresence.pubSubMessageCount).toBe(2);
  // The bytes counted are the bytes the two recipients actually received.
  expect(frameBytes).toHaveLength(2);
  expect(after.pubSubBandwidth - afterPresence.pubSubBandwidth).toBe(frameBytes[0]! + frameBytes[1]!);

  const metrics = await (await get('/metrics')).text();
  expect(metrics).toContain(`gloss_pubsub_message_count_total{tenant="acme"} ${after.pubSubMessageCount}`);
  expect(metrics).toContain(`gloss_pubsub_bandwidth_bytes_total{tenant="acme"} ${after.pubSubBandwidth}`);
  expect(metrics).toMatch(/^gloss_connections 3$/m);
  for (const v of viewers) v.socket.close();
});

/** Sends one raw HTTP/1.1 request line, as no browser or fetch() would, and resolves with the status line and body. */
function rawRequest(target: string): Promise<{ status: string; body: string }> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: answer.split('\r\n')[0]!, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) }));
  });
}

it('answers a request target that is not a URL with 400 invalid, and keeps serving', async () => {
  // Scheme-relative or absolute targets with a bad host: one request from anyone who can reach the port.
  for (const target of ['//[', 'http://[/api/usage']) {
    const { status, body } = await rawRequest(target);
    expect(status).toBe('HTTP/1.1 400 Bad Request');
    // The body is chunked (no content-length): look for the code in it.
    expect(body).toContain('"error":{"code":"invalid"');
  }
  const res = await get('/healthz');
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

it('never writes a token into its logs', async () => {
  const token = await issueToken(server, { tenant: 'acme', user: 'lea', name: 'Lea' });
  const { socket } = await connect(server.url, { token });
  await request(socket, 'page:join', { url: 'https://example.com/logs' });
  await fetch(`${server.url}/api/usage`, { headers: { authorization: `Bearer ${token}` } });
  const id = socket.id!;
  socket.close();
  // Its last line is the socket's disconnection: every line the session wrote is in by then.
  await vi.waitFor(() => expect(server.logs.some((l) => l.includes('"event":"disconnected"') && l.includes(id))).toBe(true), { timeout: 10_000, interval: 10 });
  const signature = token.split('.')[2]!;
  expect(server.logs.length).toBeGreaterThan(3);
  expect(server.logs.some((l) => l.includes(signature))).toBe(false);
  for (const line of server.logs) expect(() => JSON.parse(line)).not.toThrow();
});

it('without GLOSS_METRICS_TOKEN, /metrics answers this machine only, also when the server listens on every interface', async () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
  // Every machine this runs on has a network interface besides loopback; without one this check could not be made.
  expect(external, 'a non-loopback IPv4 address on this machine').toBeDefined();
  const open = await startServerProcess({ env: { HOST: '0.0.0.0' } });
  try {
    expect((await fetch(`http://127.0.0.1:${open.port}/metrics`)).status).toBe(200);
    const outside = await fetch(`http://${external!.address}:${open.port}/metrics`);
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await fetch(`http://${external!.address}:${open.port}/healthz`)).status).toBe(200);
  } finally {
    await open.stop();
  }
});

/** A GET with headers fetch() will not send (`Host`), as a reverse proxy or a rebound page sends them. */
function getWith(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

it('without GLOSS_METRICS_TOKEN, /metrics is refused to a same-host reverse proxy and to a DNS-rebinding page, both connecting from loopback', async () => {
  // What README's nginx set-up sends for anyone on the Internet, and what a page of evil.example
  // whose name now resolves to 127.0.0.1 sends: the tenant list must reach neither.
  for (const headers of <Record<string, string>[]>[
    { host: 'gloss.example.org' },
    { host: `evil.example:${server.port}` },
    { host: `127.0.0.1:${server.port}`, 'x-forwarded-for': '198.51.100.7' },
    { host: `127.0.0.1:${server.port}`, forwarded: 'for=198.51.100.7;proto=https' },
  ]) {
    const res = await getWith('/metrics', headers);
    expect(res.status, JSON.stringify(headers)).toBe(403);
    expect(res.body).not.toContain('gloss_pubsub');
  }
  // A scraper on this machine still gets them, by address or by name.
  for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
    const res = await getWith('/metrics', { host });
    expect(res.status, host).toBe(200);
    expect(res.body).toContain('gloss_connections');
  }
});
