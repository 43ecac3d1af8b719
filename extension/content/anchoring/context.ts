import { isWhitespace } from './whitespace.js';

/**
 * How well the text around a candidate agrees with a quote's stored prefix and suffix: the number
 * of non-whitespace characters that match, walking outwards from the candidate. Whitespace is
 * skipped on both sides because the context may have been counted by another tool's text model.
 * No strings are built, so scoring thousands of repeats of a short quote stays cheap.
 */

/** How far past the candidate we walk through whitespace before giving up on a context. */
const MAX_WALK = 4096;

/** Matching characters between the end of `prefix` (whitespace removed) and the text before `start`. */
export function prefixAgreement(text: string, start: number, strippedPrefix: string): number {
  let matched = 0;
  let p = strippedPrefix.length - 1;
  for (let i = start - 1; i >= 0 && p >= 0 && start - i <= MAX_WALK; i--) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) continue;
    if (code !== strippedPrefix.charCodeAt(p)) break;
    matched++;
    p--;
  }
  return matched;
}

/** Matching characters between the start of `suffix` (whitespace removed) and the text from `end`. */
export function suffixAgreement(text: string, end: number, strippedSuffix: string): number {
  let matched = 0;
  let p = 0;
  for (let i = end; i < text.length && p < strippedSuffix.length && i - end < MAX_WALK; i++) {
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) continue;
    if (code !== strippedSuffix.charCodeAt(p)) break;
    matched++;
    p++;
  }
  return matched;
}
