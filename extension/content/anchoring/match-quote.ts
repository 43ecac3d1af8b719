import type { TextIndex } from './text-model.js';
import { prefixAgreement, suffixAgreement } from './context.js';
import { stripWhitespace, stripWithOrigins, type StrippedText } from './whitespace.js';

export interface Quote {
  exact: string;
  prefix?: string | undefined;
  suffix?: string | undefined;
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Where a quote is in the text now. The old position is trusted when it still holds the quote in
 * the same context; otherwise every occurrence competes on prefix/suffix agreement, the old
 * position only breaking ties (it may come from another tool's text model, so it is a hint, not a
 * fact). When no verbatim occurrence has the whole context (or there is none), the same contest
 * also runs over a whitespace-free view of the text. A quote that is gone gives null: we never
 * guess at an edited quote.
 */
export function matchQuote(index: TextIndex, quote: Quote, hint?: Span): Span | null {
  const { text } = index;
  const { exact } = quote;
  const prefix = stripWhitespace(quote.prefix ?? '');
  const suffix = stripWhitespace(quote.suffix ?? '');
  const score = (s: Span) => prefixAgreement(text, s.start, prefix) + suffixAgreement(text, s.end, suffix);
  const full = prefix.length + suffix.length;

  if (hint && hint.end - hint.start === exact.length && text.startsWith(exact, hint.start)) {
    // The common case (page unchanged): one comparison, no search.
    if (score(hint) === full) return { start: hint.start, end: hint.end };
  }

  const pick = (candidates: Span[]) => {
    let best: Span | null = null;
    let bestScore = -1;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
      const s = score(candidate);
      const distance = hint ? Math.abs(candidate.start - hint.start) : 0;
      if (s > bestScore || (s === bestScore && distance < bestDistance)) {
        best = candidate;
        bestScore = s;
        bestDistance = distance;
      }
    }
    return { best, bestScore };
  };

  const verbatim = pick(exactOccurrences(text, exact));
  if (verbatim.best && verbatim.bestScore === full) return verbatim.best;
  // No verbatim occurrence sits in the annotated context: the annotated place may still be there
  // with its whitespace re-flowed, and a verbatim repeat elsewhere must not win over it. So the
  // tolerant occurrences compete too; they must do strictly better to beat a verbatim one.
  const tolerant = pick(tolerantOccurrences(index, exact));
  return tolerant.bestScore > verbatim.bestScore ? tolerant.best : verbatim.best;
}

function exactOccurrences(text: string, exact: string): Span[] {
  const found: Span[] = [];
  for (let i = text.indexOf(exact); i >= 0; i = text.indexOf(exact, i + 1)) found.push({ start: i, end: i + exact.length });
  return found;
}

/** The whitespace-free view of an index, built at most once however many quotes need it. */
const strippedViews = new WeakMap<TextIndex, StrippedText>();

function tolerantOccurrences(index: TextIndex, exact: string): Span[] {
  const key = stripWhitespace(exact);
  if (key.length === 0) return [];
  let view = strippedViews.get(index);
  if (!view) {
    view = stripWithOrigins(index.text);
    strippedViews.set(index, view);
  }
  const found: Span[] = [];
  for (let i = view.text.indexOf(key); i >= 0; i = view.text.indexOf(key, i + 1)) {
    const start = view.origin[i] ?? 0;
    const end = (view.origin[i + key.length - 1] ?? 0) + 1;
    found.push({ start, end });
  }
  return found;
}
