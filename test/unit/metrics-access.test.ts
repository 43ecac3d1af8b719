import { expect, it } from 'vitest';
import { isLoopback, mayReadMetrics } from '../../server/http/metrics-access.js';

it('counts only loopback addresses as this machine', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
  for (const a of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', '::', '0.0.0.0', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
});

it('serves metrics with the token to anyone who sends it, and without one to this machine only', () => {
  expect(mayReadMetrics('s3cret', 'Bearer s3cret', '192.0.2.2')).toBe(true);
  expect(mayReadMetrics('s3cret', 'Bearer s3cre', '127.0.0.1')).toBe(false);
  expect(mayReadMetrics('s3cret', undefined, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics(undefined, undefined, '127.0.0.1')).toBe(true);
  expect(mayReadMetrics(undefined, 'Bearer anything', '192.0.2.2')).toBe(false);
});
