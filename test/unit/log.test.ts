import { expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.signature-that-must-not-be-logged';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (line) => lines.push(line)) };
}

it('redacts credential fields at the top level and nested', () => {
  const { lines, log } = capture();
  log.info('handshake', { token: SECRET, auth: { token: SECRET, anonymousId: SECRET }, headers: [{ authorization: `Bearer ${SECRET}` }] });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain(SECRET);
  expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'handshake', token: '[redacted]', auth: { token: '[redacted]', anonymousId: '[redacted]' } });
});

it('never writes a credential that sits deeper than the redactor looks', () => {
  const { lines, log } = capture();
  // Six levels down: what a logged request, socket or error cause can easily hold.
  log.warn('deep', { a: { b: { c: { d: { e: { f: { token: SECRET } } } } } }, list: [[[[[[{ secret: SECRET }]]]]]] });
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain(SECRET);
  expect(() => JSON.parse(lines[0]!)).not.toThrow();
});

it('keeps the line\'s own time, level and event when a field has the same name', () => {
  const { lines, log } = capture();
  log.error('handler_failed', { event: 'text-chat:create', level: 'debug', time: 'never', socket: 's1' });
  const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(entry).toMatchObject({ event: 'handler_failed', level: 'error', socket: 's1' });
  expect(entry.time).not.toBe('never');
  expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'event']);
});
