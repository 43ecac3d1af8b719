import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * A storage failure at run time, for real: the server runs with no size limit of ours but may write
 * no file larger than 1 MiB (RLIMIT_FSIZE, as a full disk would stop it), and is given long
 * conversations until a write fails (SQLite: SQLITE_IOERR_WRITE or SQLITE_FULL, as the WAL or the
 * database file reaches the limit). Every such write is refused `store_failed` to its sender, nothing
 * is stored or broadcast, the server goes on serving joins, and the log names each SQLite code once.
 */
const URL = `https://example.com/failing-${randomUUID()}`;
const LONG = 'x'.repeat(10_000);
let server: ServerProcess;
let alice: TestSocket;
let bob: TestSocket;
let heard: ReturnType<typeof recorder>;
const created: string[] = [];

beforeAll(async () => {
  server = await startServerProcess({ fileSizeBlocks: 2048, env: { GLOSS_RATE_PER_SECOND: '10000', GLOSS_RATE_BURST: '10000' } });
  alice = (await connect(server.url, { name: 'Alice' })).socket;
  bob = (await connect(server.url, { name: 'Bob' })).socket;
  heard = recorder(bob);
  expect(await request(bob, 'page:join', { url: URL })).toMatchObject({ ok: true });
}, 30_000);
afterAll(async () => {
  alice.close();
  bob.close();
  await server.stop();
});

const create = () => {
  const chat = { ...typicalChat(URL), text: LONG };
  return request(alice, 'text-chat:create', { broadcastId: chat.id, chat }).then((answer) => ({ id: chat.id, answer }));
};
const failedLines = () => server.logs.filter((l) => l.includes('"event":"store_failed"')).map((l) => JSON.parse(l) as Record<string, unknown>);

it('a write the storage fails is refused store_failed, with nothing stored or broadcast, and the server goes on', async () => {
  let refused: { id: string; answer: unknown } | undefined;
  for (let i = 0; i < 1_000 && !refused; i++) {
    const c = await create();
    if ((c.answer as { ok: boolean }).ok) created.push(c.id);
    else refused = c;
  }
  expect(refused?.answer).toMatchObject({ ok: false, error: { code: 'store_failed', message: expect.stringMatching(/nothing was changed/) } });
  expect(created.length).toBeGreaterThan(10);
  // Another refusal, then what the server holds and what Bob heard: the stored creates only.
  expect((await create()).answer).toMatchObject({ ok: false, error: { code: 'store_failed' } });
  await heard.until((all) => all.filter((e) => e.event === 'new-text-chat').length === created.length);
  expect(heard.of('new-text-chat').map((e) => e.id)).toEqual(created);
  expect(dbState(server.dbPath).rows.map((r) => r.id).sort()).toEqual([...created].sort());

  const carol = (await connect(server.url, { name: 'Carol' })).socket;
  try {
    const join = (await request(carol, 'page:join', { url: URL })) as { ok: boolean; conversations: { id: string }[] };
    expect(join.ok).toBe(true);
    // A snapshot lists by creation time, then id: creates of one millisecond are in id order.
    expect(join.conversations.map((c) => c.id).sort()).toEqual([...created].sort());
  } finally {
    carol.close();
  }

  // One line per SQLite code, each naming it, none with what was written.
  const lines = failedLines();
  expect(lines.length).toBeGreaterThan(0);
  expect(new Set(lines.map((l) => l.sqliteCode)).size).toBe(lines.length);
  for (const line of lines) {
    expect(line).toMatchObject({ level: 'error', sqliteCode: expect.stringMatching(/^SQLITE_(IOERR|FULL)/), op: 'text-chat:create' });
    expect(JSON.stringify(line)).not.toContain('xxxxxxxx');
  }
  expect(server.logs.filter((l) => l.includes('handler_failed'))).toEqual([]);
}, 30_000);
