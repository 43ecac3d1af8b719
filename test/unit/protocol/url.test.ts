import { describe, expect, it } from 'vitest';
import { normalizePageUrl, tryNormalizePageUrl, withoutAnchor } from '../../../protocol/url.js';
import { pagePortAddress, pagePortName } from '../../../protocol/runtime.js';
import { ProtocolError } from '../../../protocol/errors.js';
import { LIMITS } from '../../../protocol/limits.js';
import { seeded } from '../../support/seeded.js';

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

describe('hash routes (a fragment starting with / or !) are pages; anchors are not', () => {
  it.each([
    // Routes of hash-routed apps: each its own page.
    ['https://app.example/#/inbox', 'app.example/#/inbox'],
    ['https://app.example/#/settings/profile', 'app.example/#/settings/profile'],
    ['https://app.example/#!/item/42', 'app.example/#!/item/42'],
    ['https://app.example/#!item=42', 'app.example/#!item=42'],
    ['https://app.example/mail/#/inbox/', 'app.example/mail/#/inbox/'],
    // The start route is the address the app loads at: the same page as no fragment.
    ['https://app.example/#/', 'app.example/'],
    ['https://app.example/#!', 'app.example/'],
    ['https://app.example/#!/', 'app.example/'],
    ['https://app.example/#', 'app.example/'],
    // Anchors, text fragments and app state are not routes.
    ['https://app.example/doc#section-3', 'app.example/doc'],
    ['https://app.example/doc#Input/output', 'app.example/doc'],
    ['https://app.example/doc#:~:text=quick%20brown', 'app.example/doc'],
    ['https://app.example/draw#json=abc,def', 'app.example/draw'],
    // An escaped slash or bang is not what a router reads as its route.
    ['https://app.example/#%2Finbox', 'app.example/'],
    ['https://app.example/#%21/inbox', 'app.example/'],
    // The URL parser drops tabs and newlines anywhere, so `#\t/x` is `#/x`.
    ['https://app.example/#\t\n/inbox', 'app.example/#/inbox'],
    // Escapes as in a path: unreserved ones decoded, hex upper-cased, what a fragment may not hold raw escaped.
    ['https://app.example/#/caf%c3%a9/%7Euser', 'app.example/#/caf%C3%A9/~user'],
    ['https://app.example/#/café', 'app.example/#/caf%C3%A9'],
    ['https://app.example/#/a b"c<d>`e|f^g', 'app.example/#/a%20b%22c%3Cd%3E%60e%7Cf%5Eg'],
    ['https://app.example/#/a%2Fb', 'app.example/#/a%2Fb'],
    ['https://app.example/#/x#y', 'app.example/#/x%23y'],
    // The route's query is read as the page's: tracking parameters dropped, the rest sorted.
    ['https://app.example/?utm_source=x&b=1#/inbox?utm_campaign=y&z=2&a=1', 'app.example/?b=1#/inbox?a=1&z=2'],
    ['https://app.example/#/search?q=a+b&q=%E9', 'app.example/#/search?q=a+b&q=%E9'],
    ['https://app.example/#/inbox?utm_source=mail', 'app.example/#/inbox'],
    ['https://app.example/#/?utm_source=mail', 'app.example/'],
    ['https://app.example/#/?tab=2', 'app.example/#/?tab=2'],
  ])('%j → %s', (input, key) => {
    expect(normalizePageUrl(input)).toBe(key);
  });

  it('keeps routes apart from each other and from the document, and anchors together', () => {
    const routes = ['https://app.example/', 'https://app.example/#/inbox', 'https://app.example/#/settings', 'https://app.example/#!/item/42', 'https://app.example/#!/item/43', 'https://app.example/#/inbox/'];
    expect(new Set(routes.map(normalizePageUrl)).size).toBe(routes.length);
    const anchors = ['https://app.example/doc', 'https://app.example/doc#a', 'https://app.example/doc#b', 'https://app.example/doc#', 'https://app.example/doc#:~:text=x'];
    expect(new Set(anchors.map(normalizePageUrl))).toEqual(new Set(['app.example/doc']));
    // A route is kept whatever the scheme and default port, as a path is.
    expect(normalizePageUrl('https://app.example/#/inbox')).toBe(normalizePageUrl('http://app.example:80/#/inbox'));
  });

  it('gives every route key back as itself (the extension sends its page as scheme + key)', () => {
    for (const url of ['https://app.example/#/caf%c3%a9/a|b^c?q=%FC&r=~+x%20y&%=1', 'https://app.example/?b=1#!/x#y?z', 'https://app.example/#/50%', 'https://app.example/#/a?']) {
      const key = normalizePageUrl(url);
      expect(normalizePageUrl(`https://${key}`)).toBe(key);
    }
  });

  it('measures what it keeps: a long anchor or app state does not refuse the page, a long route does', () => {
    const state = `https://app.example/draw#pako:${'x'.repeat(100_000)}`;
    expect(normalizePageUrl(state)).toBe('app.example/draw');
    const route = `https://app.example/#/${'x'.repeat(LIMITS.url)}`;
    expect(() => normalizePageUrl(route)).toThrowError(expect.objectContaining({ code: 'too_large' }));
    const fits = `https://app.example/#/${'x'.repeat(LIMITS.url - 'https://app.example/#/'.length)}`;
    expect(fits.length).toBe(LIMITS.url);
    expect(normalizePageUrl(fits)).toBe(fits.slice('https://'.length));
  });

  it('names the port with the address without its anchor, and with its route', () => {
    expect(withoutAnchor('https://app.example/cb#access_token=secret')).toBe('https://app.example/cb');
    expect(pagePortAddress(pagePortName('https://app.example/cb#access_token=secret'))).toBe('https://app.example/cb');
    expect(pagePortAddress(pagePortName('https://app.example/#/inbox?x=1'))).toBe('https://app.example/#/inbox?x=1');
    expect(pagePortAddress(pagePortName('https://app.example/doc'))).toBe('https://app.example/doc');
  });
});

describe('normalizePageUrl and the platform read a query alike', () => {
  /**
   * The query of a key, for any query whose escapes are UTF-8, is what the platform's own form
   * reader and writer make of it (URLSearchParams: the pairs read, tracking ones dropped, sorted by
   * name then value, written back): protocol/url.ts reads queries byte by byte for speed, and this
   * holds it to the standard's reading, pieces chosen to trip a hand-written reader.
   */
  const PIECES = ['a', 'Z', '0', '~', '*', '-', '.', '_', '!', "'", '(', '/', ':', '@', '?', '+', ' ', '=', '&', '&&', '%', '%4', '%41', '%4g', '%2B', '%2b', '%26', '%3D', '%25', '%20',
    '%C3%A9', '%c3%a9', '%F0%9F%98%80', 'é', 'ß', '😀', '\u00a0', 'utm_x=1', 'gclid=2', '%E2%80%8B', 'x%'];

  it.each([1, 2, 3, 4, 5])('random queries (seed %i)', (seed) => {
    const rng = seeded(seed);
    for (let n = 0; n < 300; n++) {
      const length = 1 + rng.int(12);
      const query = Array.from({ length }, () => rng.pick(PIECES)!).join('');
      const url = `https://q.example/p?${query}`;
      // The URL's own searchParams, not `new URLSearchParams(search)`, which drops a leading `?` of the query.
      const pairs = [...new URL(url).searchParams]
        .filter(([name]) => !/^utm_/i.test(name) && name.toLowerCase() !== 'gclid')
        .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
      const written = new URLSearchParams(pairs).toString();
      expect(normalizePageUrl(url), `query ${JSON.stringify(query)}`).toBe(`q.example/p${written === '' ? '' : `?${written}`}`);
    }
  });
});
