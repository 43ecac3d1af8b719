/**
 * A lone surrogate (half of a UTF-16 pair, alone) is no character: it has no UTF-8 form. JSON carries
 * it (`"\ud800"`), but a SQLite text column stores it as replacement bytes, so a comment or a name
 * holding one was acknowledged and broadcast as sent and read back by the next join as something
 * else (and a retry of the same create or reply was then `conflict`). Comment texts and display names
 * are refused with one (model.ts). A target is kept as JSON, which keeps it as sent: a quote of a page
 * whose own text holds one (a script that cut a string in the middle of a pair) stays annotatable.
 * With the `u` flag a whole pair is one code point above U+FFFF, so only a half alone falls in this class.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
