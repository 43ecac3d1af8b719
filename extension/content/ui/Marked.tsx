import { createContext } from 'preact';
import { useContext, useEffect, useReducer, useRef } from 'preact/hooks';
import { markedPieces, markedSpans, NO_SPANS, type Span } from '../state/search-marks.js';

const NO_WORDS: readonly string[] = [];
/** A card has three texts or more (its quote, a name and a comment each): some 150 cards a task. */
const TEXTS_PER_TASK = 500;

/**
 * What the texts of the panel's cards mark (a quote, a name, a comment): the search words, in the
 * cards the filter keeps. Kept by the App (ui/App.tsx), handed down by a context, and read by those
 * small components only, not by the cards: the cards are memoized on their conversation
 * (ConversationView.tsx sameCard), and with 5,000 of them a change of the words must not render them
 * all again. Nor every text: told of a new filter, a text works out its marks and renders again only
 * when they differ from what it shows. A card the filter hides marks nothing (typing "a" marks
 * nothing in the thousands of cards a second word then hides), and a plain `preact` context would
 * have rendered every text of every card on each pause in typing: measured in jsdom with 5,000 cards,
 * 0.6 to 1.8 s per change of the words, against 0.01 to 0.2 s without marks (docs/architecture.md,
 * "Finding a conversation", has the figures in Chromium).
 */
export class SearchMarks {
  /** The words searched for (state/search.ts queryWords); none while nothing is searched. */
  words: readonly string[] = NO_WORDS;
  /** The conversations the filter keeps (state/search.ts findIn); null when it keeps all. */
  matched: ReadonlySet<string> | null = null;
  #texts = new Set<() => void>();
  #serial = 0;

  /** What a text of the card `card` marks now. */
  wordsFor(card: string | null): readonly string[] {
    if (this.words.length === 0 || (this.matched !== null && card !== null && !this.matched.has(card))) return NO_WORDS;
    return this.words;
  }

  /** Called when the user changed the filter; returns the way to stop. */
  listen(changed: () => void): () => void {
    this.#texts.add(changed);
    return () => this.#texts.delete(changed);
  }

  /**
   * The user changed the filter: every text sees whether its marks change, TEXTS_PER_TASK at a time,
   * each slice rendered in its own task (preact renders what a slice asked for in a microtask after
   * it). Marking a word every card has is a render of every card's text: in Chromium with 5,000
   * cards all matching, done at once, it was one task of 0.35 to 1 s, a frozen page meanwhile. In
   * slices the cards first in the list are marked first and the page stays responsive. A newer
   * filter takes over from the slices left.
   */
  filterChanged(): void {
    const texts = [...this.#texts];
    const serial = ++this.#serial;
    const slice = (from: number) => {
      if (serial !== this.#serial) return;
      for (const changed of texts.slice(from, from + TEXTS_PER_TASK)) if (this.#texts.has(changed)) changed();
      if (from + TEXTS_PER_TASK < texts.length) setTimeout(() => slice(from + TEXTS_PER_TASK), 0);
    };
    slice(0);
  }
}

export const MarksContext = createContext<SearchMarks | null>(null);

function sameSpans(a: readonly Span[], b: readonly Span[]): boolean {
  return a === b || (a.length === b.length && a.every((s, i) => s[0] === b[i]![0] && s[1] === b[i]![1]));
}

/** Where the search words are in `text`, a text of the card of conversation `card`, kept up to date as the filter changes. */
export function useMarkedSpans(text: string, card: string | null): readonly Span[] {
  const marks = useContext(MarksContext);
  const [, renderAgain] = useReducer((n: number) => n + 1, 0);
  /** The last spans worked out, and for what: a render after a change of the filter does not search again. */
  const last = useRef<{ text: string; words: readonly string[]; spans: readonly Span[] }>({ text: '', words: NO_WORDS, spans: NO_SPANS });
  const spansNow = (): readonly Span[] => {
    const words = marks?.wordsFor(card) ?? NO_WORDS;
    const l = last.current;
    if (l.text === text && l.words === words) return l.spans;
    let spans = words.length === 0 ? NO_SPANS : markedSpans(text, words);
    // The same marks as before: the same object, so the text is not rendered again for them.
    if (l.text === text && sameSpans(spans, l.spans)) spans = l.spans;
    last.current = { text, words, spans };
    return spans;
  };
  const spans = spansNow();
  const shown = useRef(spans);
  shown.current = spans;
  useEffect(() => {
    if (marks === null) return undefined;
    return marks.listen(() => {
      if (spansNow() !== shown.current) renderAgain(0);
    });
  }, [marks, card, text]);
  return spans;
}

/**
 * text.slice(from, to) with what `spans` cover in `<mark>` elements. Every piece is a preact text
 * child: the words are never HTML, marked or not.
 */
export function Marked({ text, spans, from, to }: { text: string; spans: readonly Span[]; from?: number; to?: number }) {
  if (spans.length === 0) return <>{from === undefined && to === undefined ? text : text.slice(from ?? 0, to)}</>;
  return <>{markedPieces(text, spans, from, to).map((piece) => (piece.marked ? <mark>{piece.text}</mark> : piece.text))}</>;
}

/** A short text of a card (its quote, an author's name) with the search words marked. */
export function MarkedText({ text, card }: { text: string; card: string | null }) {
  return <Marked text={text} spans={useMarkedSpans(text, card)} />;
}
