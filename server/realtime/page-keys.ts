import { ProtocolError } from '../../protocol/errors.js';
import { LIMITS } from '../../protocol/limits.js';
import { normalizePageUrl } from '../../protocol/url.js';

/**
 * Characters of URLs and keys held at most, about 2 MB for 10,000 typical entries (a ~100-character
 * URL and its key). A count alone did not bound the memory: a URL may be 4,096 characters and its
 * key nine times that (every non-ASCII character becomes three escapes), so one client sending
 * distinct long URLs, 50 a second, made 10,000 entries hold about 280 MB.
 */
const MAX_CHARS = 4_000_000;

/**
 * normalizePageUrl, remembered per raw URL. Every create, join and sync of a page sends the same URL
 * again, and parsing it (URL, its query sorted and rebuilt) was about 2 % of a busy server's time
 * (docs/benchmarks.md, change 18). Only keys are remembered: a URL that is refused is parsed, and
 * refused, every time. When `limit` URLs or `maxChars` characters are held the memory starts over,
 * which bounds it against a client sending endless distinct URLs. A URL as sent is at most LIMITS.url
 * characters, anchor included: normalizePageUrl measures only what it keeps of an address (a tab's
 * address may carry a long anchor), but the extension sends the address rebuilt from its key, without
 * one, so a longer URL is not worth parsing, nor remembering under its raw text.
 */
export class PageKeys {
  private readonly keys = new Map<string, string>();
  private chars = 0;

  constructor(
    private readonly limit = 10_000,
    private readonly maxChars = MAX_CHARS,
  ) {}

  of(url: string): string {
    let key = this.keys.get(url);
    if (key === undefined) {
      if (url.length > LIMITS.url) throw new ProtocolError('too_large', `url is longer than ${LIMITS.url} characters`);
      key = normalizePageUrl(url);
      const size = url.length + key.length;
      if (this.keys.size >= this.limit || this.chars + size > this.maxChars) {
        this.keys.clear();
        this.chars = 0;
      }
      this.keys.set(url, key);
      this.chars += size;
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The server's one memory of page keys (the handlers are plain functions of ctx and socket). */
export const pageKeys = new PageKeys();
