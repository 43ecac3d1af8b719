import { expect, it } from 'vitest';
import { REMEMBERED_PEERS } from '../../server/http/ignored-forwarding.js';
import { connect, connectError, type ConnectOptions } from '../support/clients.js';
import { serverPerTest, xff } from '../support/server-per-test.js';

const { start, server, open } = serverPerTest();
const headers = (extraHeaders: Record<string, string>, localAddress?: string): ConnectOptions => ({ extraHeaders, localAddress });

type Line = Record<string, unknown>;
const parsed = (): Line[] => server().logs.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Line] : []));
const lines = (event: string) => parsed().filter((e) => e.event === event);
/** Waits for a `too_many_connections` refusal line: the lines of the handshakes before it are written by then. */
async function refusalLine(): Promise<Line> {
  await expect.poll(() => lines('handshake_refused').filter((l) => l.reason === 'too_many_connections').length).toBeGreaterThan(0);
  return lines('handshake_refused').find((l) => l.reason === 'too_many_connections')!;
}
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server().url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

it('behind a proxy not in GLOSS_TRUSTED_PROXIES: one warning naming the peer and the setting, and the refusal over the cap names it as the likely cause', async () => {
  const { url } = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '2' } });
  await open(xff('203.0.113.1'));
  await open(xff('203.0.113.2'));
  expect((await connectError(url, xff('203.0.113.3'))).message).toBe('too_many_connections');

  const refusal = await refusalLine();
  expect(refusal).toMatchObject({ level: 'info', address: '127.0.0.1', likelyCause: 'forwarded_header_ignored' });
  expect(refusal.fix).toContain('GLOSS_TRUSTED_PROXIES');

  // Three handshakes carried the header; the first alone is a warning.
  const warnings = lines('forwarded_header_ignored');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ level: 'warn', peer: '127.0.0.1', headers: ['x-forwarded-for'], cause: 'peer_not_trusted', setting: 'GLOSS_TRUSTED_PROXIES' });
  expect(warnings[0]!.fix).toContain('GLOSS_TRUSTED_PROXIES');
  // The header's values are the client's text: no line repeats them.
  expect(server().logs.filter((l) => l.includes('203.0.113.'))).toEqual([]);

  expect(await metric('gloss_forwarded_header_ignored_total')).toBe(3);
});

it('Forwarded and X-Real-IP are noticed too, once per peer address: each peer is named in a warning of its own', async () => {
  await start();
  await open(headers({ forwarded: 'for=192.0.2.60;proto=https', 'x-real-ip': '192.0.2.60' }));
  await open(headers({ forwarded: 'for=192.0.2.61' }));
  await open(headers({ 'x-real-ip': '192.0.2.62' }, '127.0.0.2'));
  await open(xff('192.0.2.63', '127.0.0.2'));
  // A connection without any forwarding header is neither warned about nor counted.
  await open();

  await expect.poll(() => lines('forwarded_header_ignored').length).toBe(2);
  const warnings = lines('forwarded_header_ignored');
  expect(warnings.map((w) => [w.peer, w.headers])).toEqual([
    ['127.0.0.1', ['forwarded', 'x-real-ip']],
    ['127.0.0.2', ['x-real-ip']],
  ]);
  expect(server().logs.filter((l) => l.includes('192.0.2.'))).toEqual([]);
  expect(await metric('gloss_forwarded_header_ignored_total')).toBe(4);
  expect(lines('forwarded_header_ignored')).toHaveLength(2);
});

it('a refusal over the cap from an address that never sent a forwarding header names no such cause, and nothing is warned', async () => {
  const { url } = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '1' } });
  await open();
  expect((await connectError(url)).message).toBe('too_many_connections');
  const refusal = await refusalLine();
  expect(refusal).toMatchObject({ address: '127.0.0.1' });
  expect(refusal).not.toHaveProperty('likelyCause');
  expect(lines('forwarded_header_ignored')).toEqual([]);
  expect(await metric('gloss_forwarded_header_ignored_total')).toBe(0);
});

it('a trusted proxy sending X-Forwarded-For is believed and not warned about; one sending only X-Real-IP is, as its clients share its cap', async () => {
  const { url } = await start({ env: { GLOSS_MAX_CONNECTIONS_PER_ADDRESS: '1', GLOSS_TRUSTED_PROXIES: '127.0.0.1,127.0.0.2' } });
  await open(xff('203.0.113.1'));
  await open(xff('203.0.113.2'));
  await open(headers({ 'x-real-ip': '203.0.113.3' }, '127.0.0.2'));
  expect((await connectError(url, headers({ 'x-real-ip': '203.0.113.4' }, '127.0.0.2'))).message).toBe('too_many_connections');

  const refusal = await refusalLine();
  expect(refusal).toMatchObject({ address: '127.0.0.2', likelyCause: 'forwarded_header_ignored' });
  expect(refusal.fix).toContain('X-Forwarded-For');
  const warnings = lines('forwarded_header_ignored');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ peer: '127.0.0.2', headers: ['x-real-ip'], cause: 'no_x_forwarded_for' });
  expect(warnings[0]).not.toHaveProperty('setting');
  expect(await metric('gloss_forwarded_header_ignored_total')).toBe(2);
});

it(`remembers at most ${REMEMBERED_PEERS} peers: past them, one line says further peers go unnamed, and they are still counted`, async () => {
  const { url } = await start();
  const peers = Array.from({ length: REMEMBERED_PEERS + 2 }, (_, i) => `127.0.${2 + Math.floor(i / 250)}.${1 + (i % 250)}`);
  // In batches, each connection closed once it is in: what is counted is the handshake.
  for (let i = 0; i < peers.length; i += 50) {
    const batch = await Promise.all(peers.slice(i, i + 50).map((peer) => connect(url, xff('198.51.100.1', peer))));
    for (const { socket } of batch) socket.close();
  }
  await expect.poll(() => lines('forwarded_header_peers_full').length).toBe(1);
  expect(lines('forwarded_header_ignored')).toHaveLength(REMEMBERED_PEERS);
  // A remembered peer is still remembered (no second warning), and a peer past the bound is still not named.
  const last = peers.at(-1)!;
  await open(xff('198.51.100.1', peers[0]));
  await open(xff('198.51.100.1', last));
  expect(await metric('gloss_forwarded_header_ignored_total')).toBe(peers.length + 2);
  expect(lines('forwarded_header_ignored')).toHaveLength(REMEMBERED_PEERS);
  expect(lines('forwarded_header_peers_full')).toHaveLength(1);
  expect(lines('forwarded_header_ignored').map((w) => w.peer)).not.toContain(last);
});
