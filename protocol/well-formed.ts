/**
 * A lone surrogate (half of a UTF-16 pair, alone) is no character: it has no UTF-8 form. JSON carries
 * it (`"\ud800"`), but SQLite stores it as replacement bytes, so a text holding one was acknowledged
 * and broadcast as sent and read back by the next join as something else (and a retry of the same
 * create was then `conflict`). With the `u` flag a whole pair is one code point above U+FFFF, so only
 * a half alone falls in this class.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
