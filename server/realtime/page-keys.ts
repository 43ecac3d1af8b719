import { normalizePageUrl } from '../../protocol/url.js';

/**
 * normalizePageUrl, remembered per raw URL. Every create, join and sync of a page sends the same URL
 * again, and parsing it (URL, its query sorted and rebuilt) was about 2 % of a busy server's time
 * (docs/benchmarks.md, change 18). Only keys are remembered: a URL that is refused is parsed, and
 * refused, every time. When `limit` URLs are held the memory starts over, which bounds it against a
 * client sending endless distinct URLs.
 */
export class PageKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly limit = 10_000) {}

  of(url: string): string {
    let key = this.keys.get(url);
    if (key === undefined) {
      key = normalizePageUrl(url);
      if (this.keys.size >= this.limit) this.keys.clear();
      this.keys.set(url, key);
    }
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

/** The server's one memory of page keys (the handlers are plain functions of ctx and socket). */
export const pageKeys = new PageKeys();
