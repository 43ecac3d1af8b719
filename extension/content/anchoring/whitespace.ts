/**
 * Whitespace-tolerant comparison. Tools disagree on whitespace: a saved page re-indents, innerText
 * inserts newlines between blocks where textContent has none, other annotators collapse runs. So
 * the tolerant match compares text with every whitespace character removed, which keeps every
 * visible character exact while ignoring how the gaps between them were counted.
 */

/** Exactly the characters JavaScript's `\s` matches. */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

export function stripWhitespace(s: string): string {
  return s.replace(/\s+/g, '');
}

/** A text with its whitespace removed, and where each remaining character came from. */
export interface StrippedText {
  readonly text: string;
  /** origin[i] is the offset in the original text of the stripped text's character i. */
  readonly origin: Uint32Array;
}

export function stripWithOrigins(text: string): StrippedText {
  const origin = new Uint32Array(text.length);
  const parts: string[] = [];
  let count = 0;
  let runStart = -1;
  for (let i = 0; i < text.length; i++) {
    if (isWhitespace(text.charCodeAt(i))) {
      if (runStart >= 0) {
        parts.push(text.slice(runStart, i));
        runStart = -1;
      }
    } else {
      if (runStart < 0) runStart = i;
      origin[count++] = i;
    }
  }
  if (runStart >= 0) parts.push(text.slice(runStart));
  return { text: parts.join(''), origin: origin.subarray(0, count) };
}
