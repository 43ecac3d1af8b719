import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../protocol/errors.js';
import { Target } from '../../../protocol/model.js';
import { parse } from '../../../protocol/validate.js';

const quote = { type: 'TextQuoteSelector', exact: 'regression testing', prefix: 'on ', suffix: ' is' };
const refusal = (selector: unknown[]) => {
  try {
    parse(Target, { selector }, 'target');
  } catch (err) {
    return err as ProtocolError;
  }
  throw new Error('accepted');
};

// Selectors are told apart by their `type` (a valibot variant, not a union that tried each kind in
// turn and built the issues of every kind that did not match): the refusal names what is wrong.
describe('Selector', () => {
  it('accepts a quote with or without a position, in either order', () => {
    const position = { type: 'TextPositionSelector', start: 10, end: 28 };
    expect(parse(Target, { selector: [quote, position] })).toEqual({ selector: [quote, position] });
    expect(parse(Target, { selector: [position, quote] })).toEqual({ selector: [position, quote] });
    expect(parse(Target, { selector: [quote] })).toEqual({ selector: [quote] });
  });

  it('refuses an unknown type at its path, naming the types a selector may have', () => {
    const err = refusal([quote, { type: 'XPathSelector', value: '/html' }]);
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(/^target\.selector\.1\.type: /);
    expect(err.message).toContain('"TextQuoteSelector" | "TextPositionSelector"');
    expect(err.message).toContain('"XPathSelector"');
  });

  it('refuses a known type by the rule of that type', () => {
    expect(refusal([quote, { type: 'TextPositionSelector', start: 5, end: 1 }]).message).toBe('target.selector.1: end must be after start');
    expect(refusal([{ ...quote, exact: '' }]).message).toBe('target.selector.0.exact: quote must not be empty');
    expect(refusal([{ ...quote, colour: 'red' }]).message).toMatch(/^target\.selector\.0\.colour: /);
    expect(refusal(['a selector']).message).toMatch(/^target\.selector\.0: /);
  });
});
