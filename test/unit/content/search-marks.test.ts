import { describe, expect, it } from 'vitest';
import { markedPieces, markedSpans } from '../../../extension/content/state/search-marks.js';
import { matches, queryWords } from '../../../extension/content/state/search.js';
import { conversation } from './fixtures.js';

/** What is marked, as the text shows it: each marked piece of `text` for the query. */
const marked = (text: string, query: string) => markedPieces(text, markedSpans(text, queryWords(query))).filter((p) => p.marked).map((p) => p.text);

describe('search marks (state/search-marks.ts)', () => {
  it('marks what matched, whatever the case and the accents', () => {
    expect(marked('Café au lait', 'cafe')).toEqual(['Café']);
    expect(marked('CREME brûlée', 'crème BRULEE')).toEqual(['CREME', 'brûlée']);
    // An accent written as its own combining mark is marked with its letter.
    expect(marked('cafe\u0301 noir', 'cafe')).toEqual(['cafe\u0301']);
    expect(marked('Crème', 'cre')).toEqual(['Crè']);
  });

  it('marks every place, and one mark where places overlap or touch', () => {
    expect(marked('Budget: the budget, BUDGET.', 'budget')).toEqual(['Budget', 'budget', 'BUDGET']);
    expect(marked('abcdef', 'abc cd def')).toEqual(['abcdef']);
    expect(marked('nothing here', 'budget')).toEqual([]);
    expect(marked('nothing here', '')).toEqual([]);
  });

  it('takes a match inside a letter that folds to more (ß, ﬁ, full-width) back to the whole letter', () => {
    expect(marked('Straße', 'strass')).toEqual(['Straß']);
    expect(marked('Straße', 'se')).toEqual(['ße']);
    expect(marked('a ﬁne day', 'fine')).toEqual(['ﬁne']);
    expect(marked('ＦＵＬＬ width', 'full')).toEqual(['ＦＵＬＬ']);
    expect(marked('emoji 😀 then cafe', 'cafe')).toEqual(['cafe']);
  });

  it('marks what search matched where a letter folds by the letters around it (Greek final sigma)', () => {
    const text = 'ΛΌΓΟΣ';
    const words = queryWords('λογος');
    expect(matches(conversation({ comments: [{ id: 'c', author: { id: 'u', name: 'U' }, text, createdAt: 1 }] }), words, 'all', null)).toBe(true);
    expect(marked(text, 'λογος')).toEqual(['ΛΌΓΟΣ']);
  });

  it('cuts a part of the text (a link) at the marks', () => {
    const text = 'see https://example.org/budget now';
    const spans = markedSpans(text, queryWords('budget see'));
    expect(markedPieces(text, spans, 4, 30)).toEqual([
      { text: 'https://example.org/', marked: false },
      { text: 'budget', marked: true },
    ]);
    expect(markedPieces(text, spans, 0, 4)).toEqual([
      { text: 'see', marked: true },
      { text: ' ', marked: false },
    ]);
  });
});
