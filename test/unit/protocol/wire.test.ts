import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { conversationOf, type NewTextChat } from '../../../protocol/events.js';
import { LIMITS } from '../../../protocol/limits.js';
import { Conversation, type Selector } from '../../../protocol/model.js';
import { decodeNewTextChat, encodeNewTextChat } from '../../../protocol/wire.js';
import { seeded } from '../../support/seeded.js';

const ID = '5f0c7e9a-3b1d-4c2e-9f8a-6d4b2a1c0e93';
const OTHER = 'b7e1c2d4-8a9f-4e3b-a1c5-2d6f8e0b4a71';
const quote = { type: 'TextQuoteSelector' as const, exact: 'Regression testing is re-running tests', prefix: 'The article opens by saying that ', suffix: ' performs after a change. It is a' };
const position = { type: 'TextPositionSelector' as const, start: 1200, end: 1320 };

function event(overrides: Partial<NewTextChat> = {}, chat: Partial<NewTextChat['chat']> = {}): NewTextChat {
  return {
    broadcastId: ID,
    seq: 1,
    pageKey: 'en.wikipedia.org/wiki/Regression_testing',
    id: ID,
    chat: { target: { selector: [quote, position] }, text: 'This definition misses the point.', author: { id: 'anon-KpZXnpEuB6isDBGDT69FRT', name: 'Alice' }, createdAt: 1795433562945, ...chat },
    ...overrides,
  };
}

/** Through JSON, as the socket carries it. */
const overTheWire = (e: NewTextChat) => decodeNewTextChat(JSON.parse(JSON.stringify(encodeNewTextChat(e))));
const withSelectors = (...selector: Selector[]) => event({}, { target: { selector } });

describe('encodeNewTextChat / decodeNewTextChat', () => {
  it('encodes the typical event as an 8-element tuple with a compact target, and decodes it exactly', () => {
    const e = event();
    expect(encodeNewTextChat(e)).toEqual([1, e.pageKey, ID, 'anon-KpZXnpEuB6isDBGDT69FRT', 'Alice', 1795433562945, e.chat.text, [quote.exact, quote.prefix, quote.suffix, 1200, 1320]]);
    expect(overTheWire(e)).toStrictEqual(e);
  });

  it('a restored conversation travels with a tenth element, its thread, after its broadcastId, and decodes to the whole conversation', () => {
    const author = { id: 'anon-KpZXnpEuB6isDBGDT69FRT', name: 'Alice' };
    const comments = [
      { id: ID, author, text: 'This definition misses the point.', createdAt: 1795433562945, editedAt: 1795433563000 },
      { id: OTHER, author: { id: 'u-bob', name: 'Bob' }, text: 'A reply', createdAt: 1795433564000 },
    ];
    const e = event({ seq: 7 }, { restored: { revision: 4, resolved: true, comments } });
    const wire = encodeNewTextChat(e);
    expect(wire).toHaveLength(10);
    expect(wire[8]).toBe(ID);
    expect(overTheWire(e)).toStrictEqual(e);
    expect(conversationOf(e)).toEqual({ id: ID, target: e.chat.target, author, createdAt: 1795433562945, revision: 4, resolved: true, comments });
    // The tenth element is checked like the rest: a thread that is not one is no event.
    expect(decodeNewTextChat([...wire.slice(0, 9), { revision: 0, resolved: true, comments }])).toBeNull();
    expect(decodeNewTextChat([...wire.slice(0, 9), { revision: 4, resolved: true, comments: [] }])).toBeNull();
    expect(decodeNewTextChat([...wire, 'extra'])).toBeNull();
  });

  it('appends the broadcastId only when it differs from the id', () => {
    const e = event({ broadcastId: OTHER });
    const wire = encodeNewTextChat(e);
    expect(wire).toHaveLength(9);
    expect(wire[8]).toBe(OTHER);
    expect(overTheWire(e)).toStrictEqual(e);
    expect(encodeNewTextChat(event())).toHaveLength(8);
  });

  it.each<[string, Selector[], unknown]>([
    ['no prefix', [{ type: 'TextQuoteSelector', exact: 'q', suffix: 's' }, position], ['q', null, 's', 1200, 1320]],
    ['no suffix', [{ type: 'TextQuoteSelector', exact: 'q', prefix: 'p' }, position], ['q', 'p', null, 1200, 1320]],
    ['neither prefix nor suffix', [{ type: 'TextQuoteSelector', exact: 'q' }, position], ['q', null, null, 1200, 1320]],
    ['empty prefix and suffix (not the same as none)', [{ type: 'TextQuoteSelector', exact: 'q', prefix: '', suffix: '' }, position], ['q', '', '', 1200, 1320]],
    ['no position selector', [quote], [quote.exact, quote.prefix, quote.suffix]],
    ['only the quote', [{ type: 'TextQuoteSelector', exact: 'q' }], ['q', null, null]],
    ['position at 0', [quote, { type: 'TextPositionSelector', start: 0, end: 1 }], [quote.exact, quote.prefix, quote.suffix, 0, 1]],
  ])('compacts a quote with %s', (_, selector, compact) => {
    const e = withSelectors(...selector);
    expect(encodeNewTextChat(e)[7]).toEqual(compact);
    expect(overTheWire(e)).toStrictEqual(e);
  });

  it.each<[string, Selector[]]>([
    ['position before quote', [position, quote]],
    ['two quotes', [quote, { ...quote, exact: 'other' }]],
    ['quote, position, position', [quote, position, { type: 'TextPositionSelector', start: 1, end: 2 }]],
    ['four selectors', [position, quote, { type: 'TextQuoteSelector', exact: 'x' }, { type: 'TextPositionSelector', start: 5, end: 9 }]],
    ['position, quote without context', [position, { type: 'TextQuoteSelector', exact: 'q' }]],
  ])('keeps an unusual selector list (%s) as the target object, order included', (_, selector) => {
    const e = withSelectors(...selector);
    expect(encodeNewTextChat(e)[7]).toEqual({ selector });
    expect(overTheWire(e)).toStrictEqual(e);
  });

  it.each<[string, NewTextChat]>([
    ['unicode text and quote', event({}, { text: 'Ça dépend 🤔 — 回归测试\u200d👩‍💻 مرحبا e\u0301', target: { selector: [{ type: 'TextQuoteSelector', exact: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 «quoted»', prefix: '\u00a0\t', suffix: '\n' }, position] } })],
    ['JSON-hostile characters', event({ pageKey: 'example.com/a"b\\c' }, { text: '"quotes", \\backslashes\\, </script>, \u2028\u2029, \u0000', author: { id: 'anon-"x"', name: 'O\'Brien "Bob" \\' } })],
    ['a lone surrogate', event({}, { text: 'broken \ud800 pair' })],
    ['an empty author name', event({}, { author: { id: 'u', name: '' } })],
    ['seq 0 and time 0', event({ seq: 0 }, { createdAt: 0 })],
    ['the largest seq', event({ seq: Number.MAX_SAFE_INTEGER })],
    ['text at its limit', event({}, { text: 'x'.repeat(LIMITS.text) })],
    ['quote and context at their limits', withSelectors({ type: 'TextQuoteSelector', exact: 'q'.repeat(LIMITS.quote), prefix: 'p'.repeat(LIMITS.context), suffix: 's'.repeat(LIMITS.context) }, position)],
    ['broadcastId ≠ id with a target object', { ...withSelectors(position, quote), broadcastId: OTHER }],
  ])('round-trips %s', (_, e) => {
    expect(overTheWire(e)).toStrictEqual(e);
  });

  it('round-trips random valid events exactly, and each expands to a valid conversation', () => {
    const seed = 0x5eed;
    const rnd = seeded(seed);
    const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', 'é', '€', '😀', '中', '\u0301', '\u2028', '[', ']', ',', 'null', '0'];
    const str = (max: number, min = 0) => Array.from({ length: min + rnd.int(max - min + 1) }, () => rnd.pick(alphabet)).join('');
    const uuid = () => Array.from({ length: 2 }, () => rnd.int(0x10000).toString(16).padStart(4, '0')).join('') + '-0000-4000-8000-' + rnd.int(2 ** 48).toString(16).padStart(12, '0');
    const quoteSel = (): Selector => {
      const s: Selector = { type: 'TextQuoteSelector', exact: str(40, 1) };
      if (rnd.next() < 0.7) s.prefix = str(32);
      if (rnd.next() < 0.7) s.suffix = str(32);
      return s;
    };
    const positionSel = (): Selector => {
      const start = rnd.int(10_000);
      return { type: 'TextPositionSelector', start, end: start + 1 + rnd.int(500) };
    };
    for (let i = 0; i < 500; i++) {
      const selector = Array.from({ length: 1 + rnd.int(LIMITS.selectors) }, () => (rnd.next() < 0.5 ? quoteSel() : positionSel()));
      if (!selector.some((s) => s.type === 'TextQuoteSelector')) selector[rnd.int(selector.length)] = quoteSel();
      const id = uuid();
      const e: NewTextChat = {
        broadcastId: rnd.next() < 0.5 ? id : uuid(),
        seq: rnd.int(1_000_000),
        pageKey: `example.com/${str(20)}`,
        id,
        chat: { target: { selector }, text: str(300, 1), author: { id: `anon-${str(10, 1)}`, name: str(20) }, createdAt: 1_700_000_000_000 + rnd.int(1e9) },
      };
      const back = overTheWire(e);
      expect(back, `seed ${seed}, case ${i}: ${JSON.stringify(e)}`).toStrictEqual(e);
      expect(v.is(Conversation, conversationOf(back!))).toBe(true);
    }
  });
});

describe('decodeNewTextChat refuses', () => {
  const good = encodeNewTextChat(event()) as unknown[];
  const at = (i: number, value: unknown) => good.map((x, j) => (j === i ? value : x));

  it('what is not a tuple', () => {
    for (const w of [null, undefined, 1, 'x', {}, event(), [], [[]], good.slice(0, 1)]) expect(decodeNewTextChat(w)).toBeNull();
  });

  it('a tuple of the wrong length', () => {
    expect(decodeNewTextChat(good.slice(0, 7))).toBeNull();
    expect(decodeNewTextChat([...good, OTHER, OTHER])).toBeNull();
    expect(decodeNewTextChat([...good, OTHER, 'extra'])).toBeNull();
  });

  it.each<[string, number, unknown]>([
    ['a string seq', 0, '1'],
    ['a negative seq', 0, -1],
    ['a fractional seq', 0, 1.5],
    ['a seq past the safe integers', 0, 2 ** 53],
    ['a numeric pageKey', 1, 42],
    ['an id that is not a UUID', 2, 'not-a-uuid'],
    ['a null id', 2, null],
    ['an empty author id', 3, ''],
    ['an author id object', 3, { id: 'x' }],
    ['a numeric author name', 4, 7],
    ['an author name over its limit', 4, 'n'.repeat(LIMITS.name + 1)],
    ['a negative time', 5, -1],
    ['a time as a string', 5, '1795433562945'],
    ['a numeric text', 6, 5],
    ['a text over its limit', 6, 'x'.repeat(LIMITS.text + 1)],
    ['a null target', 7, null],
    ['a target of two elements', 7, ['q', null]],
    ['a target of four elements', 7, ['q', null, null, 1]],
    ['a target of six elements', 7, ['q', null, null, 1, 2, 3]],
    ['a target with an empty quote', 7, ['', null, null]],
    ['a target with a quote over its limit', 7, ['q'.repeat(LIMITS.quote + 1), null, null]],
    ['a target with a prefix over its limit', 7, ['q', 'p'.repeat(LIMITS.context + 1), null]],
    ['a target with a numeric suffix', 7, ['q', null, 3]],
    ['a target with an undefined-as-missing prefix', 7, ['q', undefined, null]],
    ['a target whose end is not after its start', 7, ['q', null, null, 5, 5]],
    ['a target with a negative start', 7, ['q', null, null, -1, 5]],
    ['a target with a fractional end', 7, ['q', null, null, 1, 5.5]],
    ['a target with positions as strings', 7, ['q', null, null, '1', '5']],
    ['a target object without a quote', 7, { selector: [position] }],
    ['a target object with five selectors', 7, { selector: [quote, quote, quote, quote, quote] }],
    ['a target object with an unknown key', 7, { selector: [quote], extra: 1 }],
    ['a target selector of an unknown type', 7, { selector: [quote, { type: 'CssSelector', value: 'p' }] }],
  ])('%s', (_, i, value) => {
    expect(decodeNewTextChat(at(i, value))).toBeNull();
  });

  it.each([['not a UUID', 'nope'], ['null', null], ['a number', 1]])('a trailing broadcastId that is %s', (_, value) => {
    expect(decodeNewTextChat([...good, value])).toBeNull();
  });

  it('accepts the non-canonical forms a valid tuple may still take', () => {
    // A trailing broadcastId equal to the id, and a target object where the compact form would do.
    expect(decodeNewTextChat([...good, ID])).toStrictEqual(event());
    expect(decodeNewTextChat(at(7, { selector: [quote, position] }))).toStrictEqual(event());
  });
});
