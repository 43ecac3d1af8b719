import { describe, expect, it } from 'vitest';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { findIn, foldForSearch, isFiltering, isMine, MAX_QUERY, matches, matchingIds, NO_FILTER, queryWords, searchTextOf, type FilterMode } from '../../../extension/content/state/search.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/** The panel's search (extension/content/state/search.ts): what a query finds, and what it costs. */

const CAROL = { id: 'user-carol', name: 'Zoë Ørsted' };
const withQuote = (exact: string, rest: Partial<LocalConversation> = {}) => conversation({ target: { selector: [{ type: 'TextQuoteSelector', exact }] }, ...rest });
const comment = (author: typeof ALICE, text: string) => ({ id: uuid(), author, text, createdAt: 1 });
const finds = (c: LocalConversation, query: string, mode: FilterMode = 'all', self = ALICE) => matches(c, queryWords(query), mode, self);

describe('foldForSearch', () => {
  it('ignores case, accents and compatibility forms, by the same rule for the text and the query', () => {
    expect(foldForSearch('Éléphant NAÏVE Café')).toBe('elephant naive cafe');
    expect(foldForSearch('ﬁnance ＡＢＣ ㎒')).toBe('finance abc mhz');
    // Full case folding: ß is ss, a Turkish capital İ is a plain i (not i + a combining dot).
    expect(foldForSearch('Straße İstanbul')).toBe('strasse istanbul');
    expect(foldForSearch('ΛΌΓΟΣ')).toBe(foldForSearch('λόγος'));
  });

  it('drops what is not seen in the text read: soft hyphens, zero-width spaces and joiners, bidi marks', () => {
    expect(foldForSearch('anno\u00adta\u200btion\u200d\u200e')).toBe('annotation');
  });

  it('folds plain ASCII (its quick way) exactly as the full way does', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    // The é sends the whole string the full way.
    expect(foldForSearch(`${ascii}é`)).toBe(`${foldForSearch(ascii)}e`);
  });

  it('takes lone surrogates and control characters without throwing', () => {
    expect(() => foldForSearch('\ud800 \udfff \u0000 \u0007')).not.toThrow();
  });
});

describe('queryWords', () => {
  it('splits on any white space, folds, and drops repeats and blanks', () => {
    expect(queryWords('  Café\u00a0 CAFE\tnaïve\n\u2003 ')).toEqual(['cafe', 'naive']);
    expect(queryWords(' \t\u00a0\n')).toEqual([]);
    expect(isFiltering({ query: ' \u00a0 ', mode: 'all' })).toBe(false);
    expect(isFiltering({ query: 'x', mode: 'all' })).toBe(true);
    expect(isFiltering({ query: '', mode: 'open' })).toBe(true);
  });

  it('reads at most MAX_QUERY characters of a pasted wall of text', () => {
    const words = queryWords(`${'a'.repeat(MAX_QUERY - 1)} ${'b'.repeat(100_000)}`);
    expect(words).toEqual(['a'.repeat(MAX_QUERY - 1)]);
  });
});

describe('matches', () => {
  const c = withQuote('The Regression  test   suite', {
    author: ALICE,
    comments: [comment(ALICE, 'Is this still true?'), comment(CAROL, 'Yes: the naïve approach fails'), comment({ id: 'anon', name: '' }, 'me too')],
  });

  it('finds a word in the quote, in any comment, and in any author\u2019s shown name', () => {
    expect(finds(c, 'regression')).toBe(true);
    expect(finds(c, 'STILL')).toBe(true);
    expect(finds(c, 'naive')).toBe(true);
    expect(finds(c, 'zoe')).toBe(true);
    expect(finds(c, 'orsted')).toBe(false); // Ø is a letter of its own, not O with a mark
    expect(finds(c, 'ørsted')).toBe(true);
    expect(finds(c, 'alice')).toBe(true);
    // An empty name shows as Anonymous, and is found as it shows.
    expect(finds(c, 'anonymous')).toBe(true);
    expect(finds(c, 'nothing-like-this')).toBe(false);
  });

  it('wants every word, each anywhere, in any order, whatever the spacing in the text', () => {
    expect(finds(c, 'suite zoe regression')).toBe(true);
    expect(finds(c, 'regression   test')).toBe(true);
    expect(finds(c, 'regression elephant')).toBe(false);
    expect(finds(c, '   ')).toBe(true);
  });

  it('takes the query as text: pattern characters match only themselves', () => {
    const odd = withQuote('cost (in $) is [1.5] * n?');
    expect(finds(odd, '(in $)')).toBe(true);
    expect(finds(odd, '[1.5]')).toBe(true);
    expect(finds(odd, '.*')).toBe(false);
    expect(finds(withQuote('plain words'), '.*')).toBe(false);
  });

  it('filters by state: open, resolved, and mine (started or replied to)', () => {
    const open = conversation({ author: BOB, comments: [comment(BOB, 'opened by Bob')] });
    const resolved = conversation({ author: BOB, resolved: true, comments: [comment(BOB, 'closed')] });
    const repliedByAlice = conversation({ author: BOB, comments: [comment(BOB, 'q'), comment(ALICE, 'a')] });
    const startedByAlice = conversation({ author: ALICE, comments: [comment(ALICE, 'mine')] });
    expect([open, resolved].map((x) => finds(x, '', 'open'))).toEqual([true, false]);
    expect([open, resolved].map((x) => finds(x, '', 'resolved'))).toEqual([false, true]);
    expect([open, repliedByAlice, startedByAlice].map((x) => finds(x, '', 'mine'))).toEqual([false, true, true]);
    // Before the session is known, nothing is anyone's.
    expect(isMine(startedByAlice, null)).toBe(false);
    // State and words together.
    expect(finds(resolved, 'closed', 'open')).toBe(false);
    expect(finds(resolved, 'closed', 'resolved')).toBe(true);
  });
});

describe('searchTextOf', () => {
  it('folds a conversation object once; a changed conversation (a new object) is folded again', () => {
    const c = withQuote('first words');
    expect(searchTextOf(c)).toContain('first words');
    // The real model never changes a conversation in place (state/store.ts): if this were read
    // again, the new quote would show.
    (c.target.selector[0] as { exact: string }).exact = 'other';
    expect(searchTextOf(c)).toContain('first words');
    expect(searchTextOf({ ...c })).toContain('other');
  });

  it('takes hostile long text: a 1 MB comment of stacked accents, and a query of many one-letter words', () => {
    const zalgo = 'e\u0301\u0302\u0303\u0304'.repeat(200_000);
    const c = withQuote('q', { comments: [comment(ALICE, `${zalgo} needle`)] });
    expect(searchTextOf(c).length).toBe(200_000 + ' needle'.length + '\n'.length * 3 + 'q'.length + 'Alice'.length * 2);
    expect(finds(c, 'eeee needle')).toBe(true);
    const many = Array.from({ length: 100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' ');
    expect(finds(c, many)).toBe(false);
  });
});

describe('matchingIds and findIn', () => {
  it('keeps nothing out when nothing is filtered, and counts what a filter keeps', () => {
    const a = withQuote('apple');
    const b = withQuote('banana', { resolved: true });
    const gone = withQuote('apple pie');
    expect(matchingIds([a, b], NO_FILTER, ALICE)).toBeNull();
    expect(matchingIds([a, b], { query: 'APPLE', mode: 'all' }, ALICE)).toEqual(new Set([a.id]));
    // One deleted while being written in is not counted, as in the top bar.
    expect(findIn([[a, b], [gone]], new Set([gone.id]), { query: 'apple', mode: 'all' }, ALICE)).toEqual({ matched: new Set([a.id, gone.id]), shown: 1, total: 2 });
    expect(findIn([[a, b], [gone]], new Set([gone.id]), NO_FILTER, ALICE)).toEqual({ matched: null, shown: 2, total: 2 });
  });
});
