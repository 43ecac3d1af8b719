import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { createPrivateFolder } from '../store/private-files.js';
import { StartupError } from '../startup-error.js';

/**
 * The token signing key: GLOSS_SECRET when set, otherwise a random key generated on first start and
 * kept beside the database (mode 0600), so tokens stay valid across restarts without any set-up.
 */
export function loadSecret(dbPath: string, configured?: string): Uint8Array {
  if (configured) {
    if (configured.length < 32) throw new StartupError('bad_secret', 'GLOSS_SECRET must be at least 32 characters');
    return new TextEncoder().encode(configured);
  }
  // An in-memory database keeps nothing across restarts, so neither does its generated key.
  if (dbPath === ':memory:') return new TextEncoder().encode(crypto.randomBytes(48).toString('base64url'));
  const file = path.join(path.dirname(dbPath), 'secret');
  createPrivateFolder(path.dirname(file));
  // Written aside and linked into place: `secret` never exists half-written, so the server and
  // `npm run token` starting together on a fresh directory read the same whole key.
  const draft = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(draft, crypto.randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.unlinkSync(draft);
  }
  // An empty or short file (a crash before its data reached the disk, a hand edit) is no key to sign with.
  const key = fs.readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new StartupError('bad_secret', `${file} holds no usable secret (under 32 characters): remove it to generate a new one`);
  return new TextEncoder().encode(key);
}
