import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol/errors.js';
import { normalizePageUrl } from '../../protocol/url.js';
import { PageKeys } from '../../server/realtime/page-keys.js';

describe('PageKeys', () => {
  const urls = [
    'https://en.wikipedia.org/wiki/Regression_testing?utm_source=newsletter#History',
    'http://EN.wikipedia.org:80/wiki/Regression_testing',
    'https://example.com:8443/a?b=2&a=1',
  ];

  it('answers what normalizePageUrl answers, the first time and the next', () => {
    const keys = new PageKeys();
    for (const url of [...urls, ...urls]) expect(keys.of(url)).toBe(normalizePageUrl(url));
    expect(keys.size).toBe(urls.length);
  });

  it('refuses a bad URL every time with its code, and remembers nothing of it', () => {
    const keys = new PageKeys();
    for (let i = 0; i < 2; i++) {
      expect(() => keys.of('javascript:alert(1)')).toThrow(ProtocolError);
      expect(() => keys.of('/relative')).toThrow(expect.objectContaining({ code: 'invalid' }));
    }
    expect(keys.size).toBe(0);
  });

  it('holds at most its limit of URLs and still answers right past it', () => {
    const keys = new PageKeys(2);
    for (const url of urls) expect(keys.of(url)).toBe(normalizePageUrl(url));
    expect(keys.size).toBeLessThanOrEqual(2);
    expect(keys.of(urls[0]!)).toBe(normalizePageUrl(urls[0]!));
  });
});
