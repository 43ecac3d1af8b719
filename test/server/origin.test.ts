import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, connectError } from '../support/clients.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_ORIGINS: 'https://gloss.example.org' } });
});
afterAll(async () => server.stop());

it('refuses a web page Origin (cross-site WebSocket hijacking)', async () => {
  const err = await connectError(server.url, { extraHeaders: { origin: 'https://evil.example.com' } });
  expect(err.message).toMatch(/websocket error/);
  // The server's log line travels through a pipe: wait for it rather than race it.
  await expect.poll(() => server.logs.some((l) => l.includes('"origin_refused"') && l.includes('evil.example.com'))).toBe(true);
});

it("refuses the opaque origin `null` (a sandboxed frame, a file: page) and an allowed origin's look-alikes", async () => {
  for (const origin of ['null', 'https://gloss.example.org.evil.example', 'http://gloss.example.org', 'https://gloss.example.org:444', 'chrome-extension://abc.evil.example']) {
    expect((await connectError(server.url, { extraHeaders: { origin } })).message, origin).toMatch(/websocket error/);
  }
});

it('accepts extension origins, the configured allow-list, and no Origin at all', async () => {
  for (const origin of ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://0b8d6e3c-1f7b-4c6a-9d1e-2a4b6c8d0e1f', 'https://gloss.example.org']) {
    const { socket } = await connect(server.url, { extraHeaders: { origin } });
    expect(socket.connected).toBe(true);
    socket.close();
  }
  const { socket } = await connect(server.url);
  socket.close();
});
