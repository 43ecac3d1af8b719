import { foldForSearch } from './search.js';

/**
 * Where the panel's search words are in a text it shows (a quote, a comment, a name), to mark them
 * (ui/Marked.tsx). What is marked is what matched: the words are found in the text as search folds
 * it (foldForSearch, the same function that decided the card matches), and each place found is
 * taken back to the characters of the text it came from. A search for "cafe" marks "Café", "ss"
 * marks the "ß" of "Straße", "fi" the ligature "ﬁ"; an accent written as a combining mark after its
 * letter is marked with it.
 */

/** A part of a text, [start, end) in UTF-16 units, as String.slice takes them. */
export type Span = readonly [start: number, end: number];

export const NO_SPANS: readonly Span[] = [];

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING = /^\p{M}$/u;

/** The combining mark at `at` in text, if one is there. */
function nextMark(text: string, at: number): string | null {
  const code = text.codePointAt(at);
  if (code === undefined) return null;
  const ch = String.fromCodePoint(code);
  return COMBINING.test(ch) ? ch : null;
}

/**
 * The text folded, and for each folded unit the span of the text it came from. Plain ASCII folds
 * unit for unit (no span table). Otherwise code point by code point: a piece may fold to more units
 * (ß → ss, each of them the whole ß), to fewer (é → e) or to none (an accent, a soft hyphen). Folded
 * whole, the text may differ from its pieces folded one by one where a case change depends on the
 * letters around (Greek final sigma: ΛΟΓΟΣ is λογος, its Σ alone σ): the words are then looked for
 * in the text folded whole, which is what search did, while the places come from the pieces, which
 * line up with it unit for unit as long as both are as long. Were they ever not, nothing is marked
 * rather than the wrong letters.
 */
function foldedWithSpans(text: string): { folded: string; spans: Span[] | null } | null {
  if (!NON_ASCII.test(text)) return { folded: foldForSearch(text), spans: null };
  const spans: Span[] = [];
  let at = 0;
  for (const piece of text) {
    const folded = foldForSearch(piece);
    for (let i = 0; i < folded.length; i++) spans.push([at, at + piece.length]);
    at += piece.length;
  }
  const folded = foldForSearch(text);
  return folded.length === spans.length ? { folded, spans } : null;
}

/**
 * The spans of `text` where any of `words` (queryWords: folded, none blank) is found, in order, those
 * that overlap or touch merged into one. Every place each word is found is marked, not only the first.
 */
export function markedSpans(text: string, words: readonly string[]): readonly Span[] {
  if (words.length === 0 || text.length === 0) return NO_SPANS;
  const source = foldedWithSpans(text);
  if (source === null) return NO_SPANS;
  const { folded, spans } = source;
  const found: [number, number][] = [];
  for (const word of words) {
    for (let i = folded.indexOf(word); i >= 0; i = folded.indexOf(word, i + 1)) found.push([i, i + word.length]);
  }
  if (found.length === 0) return NO_SPANS;
  found.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of found) {
    const start = spans === null ? from : spans[from]![0];
    let end = spans === null ? to : spans[to - 1]![1];
    // The accents that follow the last letter found belong to it.
    for (let next = nextMark(text, end); next !== null; next = nextMark(text, end)) end += next.length;
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) {
      last[1] = Math.max(last[1], end);
      continue;
    }
    out.push([start, end]);
  }
  return out;
}

export interface Piece {
  text: string;
  marked: boolean;
}

/** text.slice(from, to) cut where `spans` begin and end, each piece marked or not. */
export function markedPieces(text: string, spans: readonly Span[], from = 0, to = text.length): Piece[] {
  const pieces: Piece[] = [];
  let at = from;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start >= to) break;
    if (start > at) pieces.push({ text: text.slice(at, start), marked: false });
    const stop = Math.min(end, to);
    pieces.push({ text: text.slice(Math.max(start, at), stop), marked: true });
    at = stop;
  }
  if (at < to) pieces.push({ text: text.slice(at, to), marked: false });
  return pieces;
}
