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

/**
 * The one function that turns a page URL into the key of its room (server) and its cache (extension).
 *
 * `https://Example.COM:443/a/b?utm_source=x&b=2&a=1#top` → `example.com/a/b?a=1&b=2`
 *
 * The scheme is left out because http and https of one host are the same page to a reader; the user
 * and password are left out because they are secrets and never identify a page. Only http(s) pages
 * can be annotated: anything else is `invalid`.
 */
export function normalizePageUrl(input: string): string {
  if (typeof input !== 'string' || input.length === 0) throw new ProtocolError('invalid', 'url must be a non-empty string');
  if (input.length > LIMITS.url) throw new ProtocolError('too_large', `url is longer than ${LIMITS.url} characters`);
  let url: URL;
  try {
    url = new URL(input);
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

  const params = [...url.searchParams].filter(([name]) => !isTracking(name));
  params.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const query = params.length === 0 ? '' : `?${new URLSearchParams(params).toString()}`;

  return `${host}${port}${url.pathname}${query}`;
}

/** Same as normalizePageUrl, but null instead of an exception (for pages the extension simply skips). */
export function tryNormalizePageUrl(input: string): string | null {
  try {
    return normalizePageUrl(input);
  } catch {
    return null;
  }
}
