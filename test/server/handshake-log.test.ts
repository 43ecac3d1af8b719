import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectError } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

const parsed = () => server.logs.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : []));
const lines = (event: string) => parsed().filter((e) => e.event === event);

it('a flood of refused handshakes writes a bounded number of lines, and a count of the rest by reason', async () => {
  const badToken = Array.from({ length: 150 }, () => connectError(server.url, { auth: { token: 'not-a-token' } }));
  const badOrigin = Array.from({ length: 150 }, () => connectError(server.url, { extraHeaders: { origin: 'https://evil.example.com' } }));
  expect(new Set((await Promise.all([...badToken, ...badOrigin])).map((e) => e.message))).toEqual(new Set(['unauthorized', 'websocket error']));

  // Suppressed lines are summed up before the next line that is written (or 10 s after the first). Every
  // refusal is then either written or counted, exactly once: refuse one more every so often (each one
  // counted in the total too) until the log accounts for all of them.
  const accounted = () => ({
    written: lines('handshake_refused').length + lines('origin_refused').length,
    counted: lines('handshake_refusals_suppressed').reduce((n, s) => n + (s.count as number), 0),
  });
  let total = 300;
  const deadline = Date.now() + 20_000;
  while (accounted().written + accounted().counted !== total && Date.now() < deadline) {
    await connectError(server.url, { auth: { token: 'not-a-token' } });
    total++;
    await new Promise((r) => setTimeout(r, 300));
  }
  const { written, counted } = accounted();
  expect(written + counted).toBe(total);
  expect(written).toBeLessThan(100);
  expect(counted).toBeGreaterThan(200);
  const summaries = lines('handshake_refusals_suppressed') as { count: number; byReason: { reason: string; count: number }[] }[];
  const byReason = new Map<string, number>();
  for (const { reason, count } of summaries.flatMap((s) => s.byReason)) byReason.set(reason, (byReason.get(reason) ?? 0) + count);
  // Both kinds were suppressed, under their own reasons (a token's is the verifier's: `token rejected: …`).
  expect(byReason.get('origin')).toBeGreaterThan(0);
  expect([...byReason.keys()].some((r) => r.startsWith('token rejected'))).toBe(true);
  for (const s of summaries) expect(s.count).toBe(s.byReason.reduce((n, r) => n + r.count, 0));
});
