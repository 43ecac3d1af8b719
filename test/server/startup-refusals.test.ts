import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runServerToExit, tempDbPath, type ServerRun } from '../support/server-process.js';

/**
 * Every start the operator must fix (a setting, the TLS files, the data folder, the port) ends as
 * the database refusals do (store-schema-version.test.ts): one `startup_refused` log line with a
 * stable code and a message naming what to change, exit status 1, nothing on stderr (no stack
 * trace), and, for what is refused before the database opens, no database file created.
 */
let dir: string;
let cert: string;
let key: string;
let otherKey: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-refusals-'));
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  otherKey = path.join(dir, 'other-key.pem');
  const subject = ['-days', '1', '-subj', '/CN=localhost'];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, ...subject], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', otherKey], { stdio: 'ignore' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expectRefused(run: ServerRun, code: string, message: RegExp): void {
  expect(run.lines).toEqual([expect.objectContaining({ level: 'error', event: 'startup_refused', code })]);
  expect(String(run.lines[0]!.message)).toMatch(message);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
}

/** A database path in a folder of its own that does not exist yet: a refusal must not create it. */
function unborn(): string {
  return path.join(path.dirname(tempDbPath()), 'data', 'gloss.sqlite');
}

it('a setting that cannot be read (PORT, GLOSS_LOG_LEVEL, a certificate without its key, GLOSS_DB_MAX_MB, GLOSS_DB_CHECK) is bad_config, before anything is created', async () => {
  const db = unborn();
  expectRefused(await runServerToExit({ GLOSS_DB: db, PORT: 'eighty' }), 'bad_config', /PORT must be an integer/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_LOG_LEVEL: 'loud' }), 'bad_config', /GLOSS_LOG_LEVEL must be/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_TLS_CERT: cert }), 'bad_config', /must be set together/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_DB_MAX_MB: 'lots' }), 'bad_config', /GLOSS_DB_MAX_MB must be an integer ≥ 1, got "lots"/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_DB_MAX_MB: '0' }), 'bad_config', /GLOSS_DB_MAX_MB must be an integer ≥ 1/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_DB_MAX_MB: '99999999' }), 'bad_config', /GLOSS_DB_MAX_MB must be at most 16777215/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_DB_CHECK: 'sometimes' }), 'bad_config', /GLOSS_DB_CHECK must be auto, always or off, got "sometimes"/);
  expect(fs.existsSync(path.dirname(db))).toBe(false);
});

it('a GLOSS_SECRET under 32 characters is bad_secret', async () => {
  expectRefused(await runServerToExit({ GLOSS_DB: unborn(), GLOSS_SECRET: 'short' }), 'bad_secret', /at least 32 characters/);
});

it('a TLS file that does not exist is tls_unreadable, naming the variable and the file, with no database created', async () => {
  const db = unborn();
  const missing = path.join(dir, 'missing.pem');
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_TLS_CERT: missing, GLOSS_TLS_KEY: key }), 'tls_unreadable', new RegExp(`GLOSS_TLS_CERT names ${missing}.*ENOENT`));
  expect(fs.existsSync(path.dirname(db))).toBe(false);
});

it('TLS files that are not PEM, or a key that is not the certificate\'s, are tls_invalid, with no database created', async () => {
  const db = unborn();
  const text = path.join(dir, 'notes.txt');
  fs.writeFileSync(text, 'not a certificate\n');
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_TLS_CERT: text, GLOSS_TLS_KEY: key }), 'tls_invalid', /not a PEM certificate and its private key/);
  expectRefused(await runServerToExit({ GLOSS_DB: db, GLOSS_TLS_CERT: cert, GLOSS_TLS_KEY: otherKey }), 'tls_invalid', /key values mismatch/);
  expect(fs.existsSync(path.dirname(db))).toBe(false);
});

it('a GLOSS_DB under a regular file is data_unwritable, naming the path and the system\'s code (EEXIST from mkdir, on Linux)', async () => {
  const file = path.join(dir, 'plain-file');
  fs.writeFileSync(file, 'x');
  expectRefused(await runServerToExit({ GLOSS_DB: path.join(file, 'gloss.sqlite') }), 'data_unwritable', new RegExp(`${file}: E[A-Z]+ \\(mkdir\\)`));
});

it('a port another program holds is port_in_use; the certificate and key of a good pair still start', async () => {
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  try {
    const { port } = holder.address() as net.AddressInfo;
    const run = await runServerToExit({ GLOSS_DB: tempDbPath(), PORT: String(port), GLOSS_TLS_CERT: cert, GLOSS_TLS_KEY: key, HOST: '127.0.0.1' });
    expectRefused(run, 'port_in_use', new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
  } finally {
    await new Promise<void>((r) => holder.close(() => r()));
  }
  const started = await runServerToExit({ GLOSS_DB: tempDbPath(), GLOSS_TLS_CERT: cert, GLOSS_TLS_KEY: key, HOST: '127.0.0.1' });
  expect(started.lines.map((l) => l.event)).toContain('listening');
});

it('a HOST that is not an address of this machine is listen_refused', async () => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a machine.
  expectRefused(await runServerToExit({ GLOSS_DB: tempDbPath(), HOST: '192.0.2.1' }), 'listen_refused', /cannot listen on 192\.0\.2\.1:0 \(EADDRNOTAVAIL\)/);
});
