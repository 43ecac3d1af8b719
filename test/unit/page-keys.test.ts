import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
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

  it('keys every route of a hash-routed app apart, and every anchor of a page together', () => {
    const keys = new PageKeys();
    expect(['https://app.example/#/inbox', 'https://app.example/#/settings', 'https://app.example/#!/item/42'].map((u) => keys.of(u))).toEqual([
      'app.example/#/inbox',
      'app.example/#/settings',
      'app.example/#!/item/42',
    ]);
    expect(['https://app.example/doc#a', 'https://app.example/doc#b'].map((u) => keys.of(u))).toEqual(['app.example/doc', 'app.example/doc']);
  });

  it('refuses a URL as sent over LIMITS.url, even where what is past it is an anchor the key leaves out', () => {
    const keys = new PageKeys();
    const url = `https://app.example/doc#${'a'.repeat(LIMITS.url)}`;
    expect(normalizePageUrl(url)).toBe('app.example/doc');
    expect(() => keys.of(url)).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(keys.size).toBe(0);
  });

  it('holds at most its limit of URLs and still answers right past it', () => {
    const keys = new PageKeys(2);
    for (const url of urls) expect(keys.of(url)).toBe(normalizePageUrl(url));
    expect(keys.size).toBeLessThanOrEqual(2);
    expect(keys.of(urls[0]!)).toBe(normalizePageUrl(urls[0]!));
  });

  it('holds a bounded number of characters when a client sends endless long URLs whose keys are longer still', () => {
    const keys = new PageKeys();
    // 4,096 characters each, and keys nine times as long: every CJK character is three %XX escapes.
    // 300 of them are about 13 M characters: the 10,000 the count allows would be 400 M.
    const long = (i: number) => `http://a.example/${i}/${'\u4e00'.repeat(4_096)}`.slice(0, 4_096);
    expect(normalizePageUrl(long(1)).length).toBeGreaterThan(30_000);
    for (let i = 0; i < 300; i++) expect(keys.of(long(i))).toMatch(/^a\.example\//);
    // Each entry is about 41,000 characters: 4 M characters (about 8 MB) is a hundred of them.
    expect(keys.size).toBeLessThanOrEqual(100);
    expect(keys.of(long(299))).toBe(normalizePageUrl(long(299)));
    // 300 normalizations of 4,096 CJK characters take ~2.5 s on a busy 2-core machine and went past
    // the default 5 s there: the limit is for a hang, not a speed check.
  }, 30_000);
});
