import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../protocol/limits.js';
import { linkParts } from '../../../extension/content/state/links.js';

/**
 * Which parts of a comment become links (extension/content/state/links.ts). Every case also checks
 * that the parts put back together are the comment exactly, and that every link is http: or https:.
 */
function split(text: string) {
  const parts = linkParts(text);
  expect(parts.map((p) => p.text).join('')).toBe(text);
  for (const p of parts) if (p.href !== undefined) expect(new URL(p.href).protocol).toMatch(/^https?:$/);
  return parts;
}
/** The links only: [what is shown, where it goes]. */
const links = (text: string) => split(text).flatMap((p) => (p.href === undefined ? [] : [[p.text, p.href]]));

describe('linkParts', () => {
  it('leaves text without an address as one text part', () => {
    expect(split('Nothing to follow here: example.org, a.b, http:/x, https:x')).toEqual([{ text: 'Nothing to follow here: example.org, a.b, http:/x, https:x' }]);
    expect(split('')).toEqual([{ text: '' }]);
  });

  it('makes one address a link, with the text around it as text', () => {
    expect(split('see https://example.org/a?b=c#d for more')).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=c#d', href: 'https://example.org/a?b=c#d' },
      { text: ' for more' },
    ]);
  });

  it('finds several, on several lines, and one that is the whole comment', () => {
    expect(links('https://a.org and http://b.org/x\nthen https://c.org:8443/p')).toEqual([
      ['https://a.org', 'https://a.org/'],
      ['http://b.org/x', 'http://b.org/x'],
      ['https://c.org:8443/p', 'https://c.org:8443/p'],
    ]);
    expect(split('https://only.example')).toEqual([{ text: 'https://only.example', href: 'https://only.example/' }]);
  });

  it('keeps the brackets the address opened and gives back the ones the sentence opened', () => {
    expect(split('(see https://x.org/a_(b))')).toEqual([{ text: '(see ' }, { text: 'https://x.org/a_(b)', href: 'https://x.org/a_(b)' }, { text: ')' }]);
    expect(links('(https://x.org/a).')).toEqual([['https://x.org/a', 'https://x.org/a']]);
    expect(links('[https://x.org/a] <https://x.org/b>')).toEqual([['https://x.org/a', 'https://x.org/a'], ['https://x.org/b', 'https://x.org/b']]);
  });

  it('gives sentence punctuation and closing quotes back to the text, and keeps it inside the address', () => {
    for (const end of ['.', ',', ';', ':', '!', '?', '?!', '...', "'", '’', '”', '»', ').']) {
      expect(links(`read https://x.org/a${end}`), end).toEqual([['https://x.org/a', 'https://x.org/a']]);
    }
    expect(links('“https://x.org/a”, "https://x.org/b"')).toEqual([['https://x.org/a', 'https://x.org/a'], ['https://x.org/b', 'https://x.org/b']]);
    expect(links('https://x.org/a.b,c;d:e!f?g=1.')).toEqual([['https://x.org/a.b,c;d:e!f?g=1', 'https://x.org/a.b,c;d:e!f?g=1']]);
  });

  it('never links another scheme', () => {
    const hostile = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'javascript://%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:someone@example.org',
      'ftp://example.org/file',
      'chrome://settings',
      'blob:https://example.org/0000',
    ];
    for (const text of hostile) expect(split(`try ${text} now`), text).toEqual([{ text: `try ${text} now` }]);
  });

  it('links an address written in capitals to its lower-case form, showing it as written', () => {
    expect(split('HTTPS://EXAMPLE.ORG')).toEqual([{ text: 'HTTPS://EXAMPLE.ORG', href: 'https://example.org/' }]);
    expect(links('HTTP://Example.ORG/Path')).toEqual([['HTTP://Example.ORG/Path', 'http://example.org/Path']]);
  });

  it('shows an international host name as written and links its ASCII form', () => {
    expect(links('https://bücher.example/straße')).toEqual([['https://bücher.example/straße', 'https://xn--bcher-kva.example/stra%C3%9Fe']]);
    expect(links('https://例え.テスト/パス')).toEqual([['https://例え.テスト/パス', 'https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9']]);
  });

  it('escapes markup in an address through the URL serialization', () => {
    expect(links('https://x.org/?q=<script>alert(1)</script>')).toEqual([
      ['https://x.org/?q=<script>alert(1)</script>', 'https://x.org/?q=%3Cscript%3Ealert(1)%3C/script%3E'],
    ]);
    // A quote ends the address: an attribute written in a comment does not run on into it.
    expect(links('<a href="https://x.org/a" onclick="x()">')).toEqual([['https://x.org/a', 'https://x.org/a']]);
  });

  it('links www. host names as https, only where they start a name', () => {
    expect(split('at www.example.org/path.')).toEqual([{ text: 'at ' }, { text: 'www.example.org/path', href: 'https://www.example.org/path' }, { text: '.' }]);
    expect(links('WWW.Example.ORG')).toEqual([['WWW.Example.ORG', 'https://www.example.org/']]);
    for (const text of ['awww.example.org', 'me@www.example.org', 'sub.www.example.org', 'www.', 'www.example', 'www..', 'www.<b>.org']) expect(links(text), text).toEqual([]);
  });

  it('leaves as text what the URL parser refuses, what carries credentials, and addresses inside words', () => {
    for (const text of ['https://', 'https://exa<mple.org', 'http://[::1', 'https://x.org%0aalert(1)', 'https://bank.example@evil.example/', 'https://user:pw@x.org', 'xhttps://x.org', 'émhttps://x.org', 'view-source:https://x.org']) {
      expect(links(text), text).toEqual([]);
    }
  });

  it('ends an address at a bidirectional control, which stays in the text', () => {
    expect(split('https://x.org/\u202egnp.exe')).toEqual([{ text: 'https://x.org/', href: 'https://x.org/' }, { text: '\u202egnp.exe' }]);
  });

  it(`handles ${LIMITS.text} characters of pathological input in one pass`, () => {
    const n = LIMITS.text;
    const fill = (unit: string, prefix = '', suffix = '') => (prefix + unit.repeat(n) + suffix).slice(0, n);
    const inputs = [
      fill('https://'),
      fill('www.'),
      fill('(', '', 'https://x.org'),
      fill(')', 'https://x.org/'),
      fill('.', 'https://x.org/'),
      fill('(', 'https://x.org/'),
      fill('a', 'https://x.org/'),
      fill('https://a.b '),
      fill('javascript:'),
      fill('h'),
      fill('ht'),
      fill('http:/'),
      fill('www.a'),
      fill('\u202e', 'https://x.org/'),
      fill('"https://x.org"'),
      fill('a.'),
      // The shape that makes a backtracking pattern like /https?:\/\/(\w+\.?)+\// exponential.
      `https://${'a'.repeat(n - 9)}!`,
    ];
    for (const text of inputs) {
      expect(text).toHaveLength(n);
      split(text);
    }
    expect(links(fill('https://a.b '))).toHaveLength(Math.floor(n / 'https://a.b '.length));
    expect(links(fill(')', 'https://x.org/'))).toEqual([['https://x.org/', 'https://x.org/']]);
  });
});
