import { expect, it } from 'vitest';
import { isLoopback, isLoopbackHost, mayReadMetrics } from '../../server/http/metrics-access.js';

it('counts only loopback addresses as this machine', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a), a).toBe(true);
  for (const a of ['192.0.2.2', '10.0.0.1', '::ffff:192.0.2.2', 'fd00::2', '::', '0.0.0.0', '', undefined]) expect(isLoopback(a), String(a)).toBe(false);
});

it('counts only host names of this machine as local in a Host header', () => {
  for (const h of ['localhost', 'localhost:8787', 'LOCALHOST.:1', '127.0.0.1', '127.0.0.1:8787', '[::1]', '[::1]:8787']) expect(isLoopbackHost(h), h).toBe(true);
  for (const h of ['gloss.example.org', 'gloss.example.org:443', 'localhost.example.org', '127.0.0.1.nip.io', '[::2]:80', '', ':8787']) expect(isLoopbackHost(h), h).toBe(false);
});

it('serves metrics with the token to anyone who sends it, and without one to this machine only', () => {
  expect(mayReadMetrics('s3cret', { authorization: 'Bearer s3cret' }, '192.0.2.2')).toBe(true);
  expect(mayReadMetrics('s3cret', { authorization: 'Bearer s3cre' }, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics('s3cret', {}, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics(undefined, {}, '127.0.0.1')).toBe(true);
  expect(mayReadMetrics(undefined, { host: 'localhost:8787' }, '127.0.0.1')).toBe(true);
  expect(mayReadMetrics(undefined, { authorization: 'Bearer anything' }, '192.0.2.2')).toBe(false);
});

it('without the token, refuses what a same-host reverse proxy or a DNS-rebinding page sends from loopback', () => {
  expect(mayReadMetrics(undefined, { host: 'gloss.example.org' }, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics(undefined, { host: '127.0.0.1:8787', 'x-forwarded-for': '198.51.100.7' }, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics(undefined, { host: '127.0.0.1:8787', forwarded: 'for=198.51.100.7' }, '127.0.0.1')).toBe(false);
  expect(mayReadMetrics(undefined, { host: '127.0.0.1:8787', 'x-real-ip': '198.51.100.7' }, '::1')).toBe(false);
  // A token holder is let through whatever the proxy adds.
  expect(mayReadMetrics('s3cret', { host: 'gloss.example.org', 'x-forwarded-for': '198.51.100.7', authorization: 'Bearer s3cret' }, '127.0.0.1')).toBe(true);
});
