import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadSecret } from '../../server/auth/secret.js';

const freshDb = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-secret-')), 'gloss.sqlite');

it('generates the key once beside the database, readable by its owner only, and keeps it', () => {
  const db = freshDb();
  const first = loadSecret(db);
  const file = path.join(path.dirname(db), 'secret');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(first.length).toBeGreaterThanOrEqual(32);
  expect(loadSecret(db)).toEqual(first);
});

it('refuses a secret file that is empty or shorter than GLOSS_SECRET may be, instead of signing with it', () => {
  // An empty file is what a crash between creating the file and writing it leaves, or what a second
  // process reads when it looks in between; a short one is a weak key nobody would accept in GLOSS_SECRET.
  for (const content of ['', '\n', 'abc']) {
    const db = freshDb();
    fs.writeFileSync(path.join(path.dirname(db), 'secret'), content, { mode: 0o600 });
    expect(() => loadSecret(db)).toThrow(/secret/);
  }
});

it('still refuses a GLOSS_SECRET under 32 characters', () => {
  expect(() => loadSecret(freshDb(), 'short')).toThrow(/at least 32/);
});
