import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, connectError } from '../support/clients.js';

let server: ServerProcess;
let cert: string;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-tls-'));
  cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  server = await startServerProcess({ env: { GLOSS_TLS_CERT: cert, GLOSS_TLS_KEY: key, HOST: '127.0.0.1' } });
});
afterAll(async () => server.stop());

it('with a certificate, serves WSS and refuses plain ws:// on the same port', async () => {
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const wss = server.url;
  // Trust exactly this self-signed certificate, as a client configured with its CA would.
  const ca = fs.readFileSync(cert, 'utf8');
  const { socket, session } = await connect(wss, { name: 'Secure', ca });
  expect(socket.io.engine.transport.name).toBe('websocket');
  expect(session.tenant).toBe('public');
  socket.close();
  const plain = await connectError(server.url.replace('https://', 'http://'), { name: 'Plain', ca });
  expect(plain.message).toMatch(/websocket error/);
  // And a client that does not trust the certificate is refused by TLS itself.
  const untrusted = await connectError(wss, { name: 'Untrusting', rejectUnauthorized: true });
  expect(untrusted.message).toMatch(/websocket error/);
});
