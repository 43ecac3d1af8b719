import * as v from 'valibot';
import { afterEach, expect, it, vi } from 'vitest';
import { parseOrDrop } from '../../../protocol/validate.js';

const Message = v.variant('type', [
  v.object({ type: v.literal('reply'), text: v.pipe(v.string(), v.maxLength(5)), n: v.number() }),
  v.object({ type: v.literal('close') }),
]);

afterEach(() => vi.restoreAllMocks());

it('returns what passes and logs nothing', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  expect(parseOrDrop(Message, { type: 'close' }, 'a message from a page')).toEqual({ type: 'close' });
  expect(warn).not.toHaveBeenCalled();
});

it('drops what fails with one warning naming where, its type and why, but never the user text it carried', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const secret = 'my private words';
  expect(parseOrDrop(Message, { type: 'reply', text: secret, n: 1 }, 'a message from a page')).toBeNull();
  expect(parseOrDrop(Message, { type: 'reply', text: 'ok', n: secret }, 'a message from a page')).toBeNull();
  expect(parseOrDrop(Message, 'x'.repeat(100), 'a message from the background')).toBeNull();
  expect(parseOrDrop(Message, { type: 'y'.repeat(100) }, 'a message from the background')).toBeNull();
  expect(parseOrDrop(v.tuple([v.string()]), [1], 'a new-text-chat event from the server')).toBeNull();
  const lines = warn.mock.calls.map((c) => String(c[0]));
  expect(lines).toHaveLength(5);
  for (const line of lines) expect(line).not.toContain(secret);
  expect(lines[0]).toMatch(/^\[gloss\] dropped a message from a page \("reply"\) at text: /);
  expect(lines[1]).toMatch(/^\[gloss\] dropped a message from a page \("reply"\) at n: .*received a string/);
  expect(lines[2]).toMatch(/^\[gloss\] dropped a message from the background \(string\): /);
  expect(lines[3]).toContain(`("${'y'.repeat(40)}")`);
  expect(lines[3]).not.toContain('y'.repeat(41));
  expect(lines[4]).toMatch(/^\[gloss\] dropped a new-text-chat event from the server at 0: /);
});
