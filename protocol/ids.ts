/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Clients name new
 * conversations and comments with these rather than v4: ids that grow with time land at the end of
 * the server's indexes, so a create writes one B-tree leaf that the next create shares, instead of a
 * random leaf each (docs/benchmarks.md, "store"). The server accepts any UUID; order is only for speed.
 */
export function uuidv7(now: number = Date.now()): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
