/**
 * Web addresses in a comment's text, found so the UI can make them links (ui/CommentText.tsx). Pure:
 * text in, parts out; the text is never parsed as HTML, and a part's `href` is always the WHATWG URL
 * parser's own serialization of an http: or https: URL.
 *
 * What becomes a link, and why:
 * - `http://` and `https://` addresses only. Every other scheme (`javascript:`, `data:`, `vbscript:`,
 *   `file:`, `chrome:`, `mailto:`...) stays text: a comment comes from anyone, and a link is a promise
 *   that clicking it only opens a web page.
 * - `www.` host names too, as `https://`: people write addresses the way they read them on a slide or
 *   in a mail, and browsers try https first when one is typed without a scheme. The host stays what the
 *   text shows, so the link cannot go somewhere the reader was not told.
 * - An address that carries a user name or password (`https://bank.example@evil.example`) stays
 *   text: the part before `@` reads as the site while the browser goes to the host after it.
 * - Whatever `new URL` refuses stays text.
 *
 * An address ends at white space, a `"`, a backtick (never raw in a URL copied from an address bar) or
 * a bidirectional control character (a right-to-left override inside a link would show its address
 * reversed; it stays in the text, where it did no more than before). Then the punctuation that usually
 * closes the sentence, not the address, goes back to the text: `.,;:!?`, quotes, and a closing bracket
 * with no opening one in the address (`(see https://x.org/a_(b))` keeps the `)` of `a_(b)` and gives
 * back the last). The work is one pass over the text plus one parse per address found; candidates do
 * not overlap, so a 10,000-character comment (LIMITS.text) costs O(length) whatever it holds. The
 * regular expressions are a literal alternation and one-character classes: nothing can backtrack.
 */
export type TextPart = { text: string; href?: undefined } | { text: string; href: string };

/** Where an address may start: a scheme we link, or `www.` (case-insensitive; no nested quantifiers). */
const START = /https?:\/\/|www\./gi;
/** Characters that end an address outright. */
const STOPS = /[\s"`\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Punctuation that, at the end of an address, belongs to the sentence around it. */
const TRAILING = new Set([...'.,;:!?\'’”»›']);
/** Closing brackets given back to the text unless the address opened as many. */
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>': '<' };
const BRACKETS = new Set([...Object.keys(PAIRS), ...Object.values(PAIRS)]);
/**
 * Before `http(s)://`: a letter or digit means the middle of a word (`xhttps://`), a colon another
 * scheme wrapping the address (`blob:https://`, `view-source:https://`), which is not what would open.
 */
const WORDISH = /[\p{L}\p{N}:]/u;
/** Before `www.`: also any character that would make it part of a longer name or address. */
const NAMEISH = /[\p{L}\p{N}._\-@/:%+~=&#]/u;

export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plainFrom = 0;
  // A copy per call: the search position (lastIndex) is this call's, moved past each address.
  const starts = new RegExp(START.source, START.flags);
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const start = m.index;
    const www = m[0].length === 4;
    let end = start + m[0].length;
    while (end < text.length && !STOPS.test(text[end]!)) end++;
    starts.lastIndex = end;
    const before = start > 0 ? text[start - 1]! : '';
    if (before !== '' && (www ? NAMEISH : WORDISH).test(before)) continue;
    end = trimTrailing(text, start + m[0].length, end);
    const href = hrefOf(text.slice(start, end), www);
    if (href === null) continue;
    if (start > plainFrom) parts.push({ text: text.slice(plainFrom, start) });
    parts.push({ text: text.slice(start, end), href });
    plainFrom = end;
  }
  if (plainFrom < text.length || parts.length === 0) parts.push({ text: text.slice(plainFrom) });
  return parts;
}

/** The end of the address in text[start, end) once sentence punctuation and unmatched closers are given back. */
function trimTrailing(text: string, bodyStart: number, end: number): number {
  // Counted once, then kept up to date as characters are given back: linear, however many there are.
  const count = new Map<string, number>();
  for (let i = bodyStart; i < end; i++) {
    const ch = text[i]!;
    if (BRACKETS.has(ch)) count.set(ch, (count.get(ch) ?? 0) + 1);
  }
  while (end > bodyStart) {
    const ch = text[end - 1]!;
    if (TRAILING.has(ch)) {
      end--;
    } else if (ch in PAIRS && (count.get(ch) ?? 0) > (count.get(PAIRS[ch]!) ?? 0)) {
      count.set(ch, count.get(ch)! - 1);
      end--;
    } else {
      break;
    }
  }
  return end;
}

/** The serialized URL a candidate links to, or null when it must stay text. */
function hrefOf(candidate: string, www: boolean): string | null {
  let url: URL;
  try {
    url = new URL(www ? `https://${candidate}` : candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  // `www.` alone, or `www.example` with no name after it, is a word more likely than an address.
  if (www && url.hostname.indexOf('.', 4) < 0) return null;
  return url.href;
}
