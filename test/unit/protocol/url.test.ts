import { describe, expect, it } from 'vitest';
import { normalizePageUrl, tryNormalizePageUrl } from '../../../protocol/url.js';
import { ProtocolError } from '../../../protocol/errors.js';

describe('normalizePageUrl', () => {
  it.each([
    ['https://Example.COM/Path', 'example.com/Path'],
    ['HTTP://EXAMPLE.com/', 'example.com/'],
    ['https://example.com', 'example.com/'],
    ['https://example.com:443/a', 'example.com/a'],
    ['http://example.com:80/a', 'example.com/a'],
    ['http://example.com:443/a', 'example.com/a'],
    ['https://example.com:8443/a', 'example.com:8443/a'],
    ['https://example.com/a#section-2', 'example.com/a'],
    ['https://example.com/a?utm_source=x&utm_medium=y&UTM_Campaign=z', 'example.com/a'],
    ['https://example.com/a?gclid=1&fbclid=2&mc_eid=3&mc_cid=4&msclkid=5&id=7', 'example.com/a?id=7'],
    ['https://example.com/a?b=2&a=1&c=3', 'example.com/a?a=1&b=2&c=3'],
    ['https://example.com/a?a=2&a=1', 'example.com/a?a=1&a=2'],
    ['https://example.com/a?', 'example.com/a'],
    ['https://user:secret@example.com/a', 'example.com/a'],
    ['https://example.com./a', 'example.com/a'],
    ['https://bücher.example/ä', 'xn--bcher-kva.example/%C3%A4'],
    ['https://example.com/a%20b?q=a%20b', 'example.com/a%20b?q=a+b'],
    ['https://[::1]:8080/x', '[::1]:8080/x'],
    ['https://example.com/a/../b/./c', 'example.com/b/c'],
  ])('%s → %s', (input, key) => {
    expect(normalizePageUrl(input)).toBe(key);
  });

  it('makes http and https the same page', () => {
    expect(normalizePageUrl('http://example.com/x?b=1')).toBe(normalizePageUrl('https://example.com/x?b=1#top'));
  });

  it('keeps different paths, queries and ports apart', () => {
    const keys = new Set(['https://example.com/a', 'https://example.com/a/', 'https://example.com/A', 'https://example.com/a?x=1', 'https://example.com:8080/a', 'https://www.example.com/a'].map(normalizePageUrl));
    expect(keys.size).toBe(6);
  });

  it('gives a page the same key as Chrome shows its URL and as Firefox does', () => {
    // Chrome unescapes %7E in a path and escapes `|`; Firefox (and the URL standard) keep what was written.
    expect(normalizePageUrl('https://example.edu/%7Ealice/notes|2024')).toBe(normalizePageUrl('https://example.edu/~alice/notes%7C2024'));
    expect(normalizePageUrl('https://example.edu/%7ealice/caf%c3%a9')).toBe('example.edu/~alice/caf%C3%A9');
    expect(normalizePageUrl('https://example.edu/a^b')).toBe(normalizePageUrl('https://example.edu/a%5Eb'));
    // Reserved characters mean something else escaped: a%2Fb is one segment, a/b two.
    expect(normalizePageUrl('https://example.edu/a%2Fb')).not.toBe(normalizePageUrl('https://example.edu/a/b'));
    expect(normalizePageUrl('https://example.edu/a%3Fb')).toBe('example.edu/a%3Fb');
  });

  it('keeps apart query values whose bytes are not UTF-8 (a Latin-1 form)', () => {
    const keys = ['?name=M%FCller', '?name=M%F6ller', '?name=M%EF%BF%BDller'].map((q) => normalizePageUrl(`https://example.de/suche${q}`));
    expect(keys).toEqual(['example.de/suche?name=M%FCller', 'example.de/suche?name=M%F6ller', 'example.de/suche?name=M%EF%BF%BDller']);
    expect(normalizePageUrl('https://example.de/suche?utm_source=x&b=%E9&a=%C3%A9')).toBe('example.de/suche?a=%C3%A9&b=%E9');
  });

  it('gives every key back as itself (the extension sends its page as scheme + key)', () => {
    for (const url of ['https://example.edu/%7ealice/a|b^c?q=%FC&r=~+x%20y&%=1', 'https://example.com/a[1]/@me;v=2?x']) {
      const key = normalizePageUrl(url);
      expect(normalizePageUrl(`https://${key}`)).toBe(key);
    }
  });

  it.each([
    ['', 'invalid'],
    ['not a url', 'invalid'],
    ['/relative/path', 'invalid'],
    ['ftp://example.com/file', 'invalid'],
    ['javascript:alert(1)', 'invalid'],
    ['file:///etc/passwd', 'invalid'],
    ['chrome-extension://abc/popup.html', 'invalid'],
    [`https://example.com/${'a'.repeat(5000)}`, 'too_large'],
  ])('refuses %j with %s', (input, code) => {
    expect(() => normalizePageUrl(input)).toThrowError(ProtocolError);
    try {
      normalizePageUrl(input);
    } catch (err) {
      expect((err as ProtocolError).code).toBe(code);
    }
    expect(tryNormalizePageUrl(input)).toBeNull();
  });
});
