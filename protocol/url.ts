import { LIMITS } from './limits.js';
import { ProtocolError } from './errors.js';

/**
 * Query parameters that only track where a visitor came from. They never change what a page shows,
 * so two people on the same article with different campaign links must meet in the same room.
 */
const TRACKING_PARAMS = new Set([
  'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'mc_eid', 'mc_cid', 'igshid', '_ga', '_gl', '_hsenc', '_hsmi', 'mkt_tok', 'oly_anon_id', 'oly_enc_id',
  'vero_id', 'wickedid', 'rb_clickid', 's_cid', 'ref_src', 'ref_url',
]);

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function escaped(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * The path as RFC 3986 (6.2.2) compares it: an escaped unreserved character is that character, the
 * other escapes have upper-case hex, and what a URL may not hold raw (`|`, `^`) is escaped. Browsers
 * differ here: Chrome unescapes `%7E` and escapes `|`, Firefox and the URL standard keep both as
 * written, so without this one page opened in each would be two pages.
 */
function canonicalPath(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%[\]]/g, (match, hex?: string) => {
    if (hex === undefined) return [...encoder.encode(match)].map(escaped).join('');
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

const FORM_SAFE = /^[A-Za-z0-9*\-._]$/;

/**
 * A query name or value, as URLSearchParams reads it (`text`, to match and sort by) and writes it
 * (`wire`). `wire` is written from the bytes, not from `text`: bytes that are not UTF-8 (a query
 * from a Latin-1 form, `?q=M%FCller`) all read as U+FFFD, and rebuilt from the text they would
 * make different pages one.
 */
interface Field {
  text: string;
  wire: string;
}

/** Escaped as a form writes each byte: `+` for a space, the safe characters as they are, `%XX` else. */
const FORM_WIRE = Array.from({ length: 256 }, (_, b) => (b === 0x20 ? '+' : FORM_SAFE.test(String.fromCharCode(b)) ? String.fromCharCode(b) : escaped(b)));

/** A field that reads and writes as it is: most names and values (`id=123`, `page=2`). */
const PLAIN_FIELD = /^[A-Za-z0-9*\-._]*$/;

/**
 * Cost matters here as much as the result: the server reads the query of every address a socket
 * joins or leaves, up to LIMITS.url characters, within the rate limit's budget. Written
 * byte by byte, with no iterator, regular expression or TextDecoder call per character, and none
 * at all for a plain field: a 4,096-character query of 2,000 parameters took 4.4 ms this way
 * before, the time in the per-field overheads, not in the bytes.
 */
function formField(raw: string): Field {
  if (PLAIN_FIELD.test(raw)) return { text: raw, wire: raw };
  const bytes: number[] = [];
  let ascii = true;
  for (let i = 0; i < raw.length; ) {
    const c = raw.charCodeAt(i);
    const hex = c === 0x25 ? hexByte(raw, i + 1) : -1;
    if (hex >= 0) {
      bytes.push(hex);
      if (hex > 0x7f) ascii = false;
      i += 3;
    } else if (c < 0x80) {
      bytes.push(c === 0x2b ? 0x20 : c);
      i += 1;
    } else {
      // One code point (or a lone surrogate, which TextEncoder writes as U+FFFD's bytes, as URLSearchParams reads it).
      const point = raw.codePointAt(i)!;
      for (const b of encoder.encode(String.fromCodePoint(point))) bytes.push(b);
      ascii = false;
      i += point > 0xffff ? 2 : 1;
    }
  }
  let wire = '';
  for (const b of bytes) wire += FORM_WIRE[b];
  return { text: ascii ? String.fromCharCode(...bytes) : decoder.decode(new Uint8Array(bytes)), wire };
}

/** The byte `%XX` at `at` names (the two hex digits after the `%`), or -1 when they are not two hex digits. */
function hexByte(s: string, at: number): number {
  const hi = hexDigit(s.charCodeAt(at));
  const lo = hi < 0 ? -1 : hexDigit(s.charCodeAt(at + 1));
  return lo < 0 ? -1 : hi * 16 + lo;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A query (without its `?`) as URLSearchParams reads and writes it, tracking parameters removed and
 * the rest sorted, except that bytes that are not UTF-8 are kept (formField). `?…`, or '' when
 * nothing is left. The page's query and a route's query (`#/search?q=x`) are read alike.
 */
function canonicalQuery(search: string): string {
  const params = search
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [Field, Field] => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [formField(pair), formField('')] : [formField(pair.slice(0, eq)), formField(pair.slice(eq + 1))];
    })
    .filter(([name]) => !isTracking(name.text));
  params.sort(([a, av], [b, bv]) => compare(a.text, b.text) || compare(av.text, bv.text) || compare(a.wire, b.wire) || compare(av.wire, bv.wire));
  return params.length === 0 ? '' : `?${params.map(([name, value]) => `${name.wire}=${value.wire}`).join('&')}`;
}

/**
 * Whether a fragment is a route, that is, another page of a hash-routed single-page app, rather than
 * a place in this one. A route starts with `/` or `!` (after any tabs and newlines, which the URL
 * parser drops). That is how the routers that keep their route in the fragment write it:
 * AngularJS (`#/phones`, `#!/phones` since 1.6), Vue Router's hash history (`#/about`), React
 * Router's HashRouter (`#/inbox`), Angular's HashLocationStrategy (`#/heroes`), Ember's hash location,
 * and the `#!` "hashbang" addresses of Google's old AJAX crawling scheme (Twitter's `#!/jack`). An
 * in-page anchor is an element's id (`#section-3`, `#History`, `#method.len`, `#Input/output`), a
 * text fragment is `#:~:text=`, app state is `#json=` or `#pako:`: none of them starts so, and the id
 * and slug generators of Wikipedia, GitHub, MDN, rustdoc or Docusaurus never start one with `/` or `!`.
 * The cost: an app whose routes are bare words (Gmail's `#inbox`, Backbone's default `#help`) cannot
 * be told from a page of anchors, and stays one page.
 */
const ROUTE = /^[\t\n\r]*[/!]/;

/**
 * The address with its fragment dropped unless the fragment is a route (ROUTE): what identifies the
 * page. Tabs report their address with whatever anchor the reader followed; what leaves the content
 * script (the port's name) and what is measured against LIMITS.url is this.
 */
export function withoutAnchor(input: string): string {
  const at = input.indexOf('#');
  return at < 0 || ROUTE.test(input.slice(at + 1, at + 65)) ? input : input.slice(0, at);
}

/** The start route of a hash-routed app: `https://app.example/` lands on it, so it is that page. */
const START_ROUTES = new Set(['/', '!', '!/']);

/**
 * A route fragment (`#/…` or `#!…`) as a key writes it: its path as canonicalPath writes a path (a `#`
 * in it is escaped), its query as the page's query. '' for no route and for the start route.
 */
function canonicalRoute(hash: string): string {
  if (hash === '') return '';
  const body = hash.slice(1);
  const q = body.indexOf('?');
  const route = q < 0 ? canonicalPath(body) : `${canonicalPath(body.slice(0, q))}${canonicalQuery(body.slice(q + 1))}`;
  return START_ROUTES.has(route) ? '' : `#${route}`;
}

/**
 * The one function that turns a page URL into the key of its room (server) and its cache (extension).
 *
 * `https://Example.COM:443/a/b?utm_source=x&b=2&a=1#top` → `example.com/a/b?a=1&b=2`
 * `https://app.example/?utm_source=x#/inbox?utm_campaign=y&b=2&a=1` → `app.example/#/inbox?a=1&b=2`
 *
 * The scheme is left out because http and https of one host are the same page to a reader; the user
 * and password are left out because they are secrets and never identify a page; a fragment is left
 * out unless it is a route (ROUTE). Only http(s) pages can be annotated: anything else is `invalid`.
 * The length limit applies to the address kept (withoutAnchor): a long anchor or app state in the
 * fragment does not make a page unannotatable, a long route is as too long as a long path.
 */
export function normalizePageUrl(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new ProtocolError('invalid', 'url must be a non-empty string');
  const address = withoutAnchor(input);
  if (address.length > LIMITS.url) throw new ProtocolError('too_large', `url is longer than ${LIMITS.url} characters`);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ProtocolError('invalid', 'url is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProtocolError('invalid', 'only http and https pages can be annotated');
  }
  // URL already lower-cases the host and drops the scheme's own default port; the other scheme's
  // default port is dropped too because http and https collapse into one key.
  const host = url.hostname.replace(/\.$/, '');
  if (host.length === 0) throw new ProtocolError('invalid', 'url has no host');
  const port = url.port === '' || url.port === '80' || url.port === '443' ? '' : `:${url.port}`;

  return `${host}${port}${canonicalPath(url.pathname)}${canonicalQuery(url.search.slice(1))}${canonicalRoute(url.hash)}`;
}

/** Same as normalizePageUrl, but null instead of an exception (for pages the extension simply skips). */
export function tryNormalizePageUrl(input: string): string | null {
  try {
    return normalizePageUrl(input);
  } catch {
    return null;
  }
}
