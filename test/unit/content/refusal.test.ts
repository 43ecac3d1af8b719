import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../protocol/errors.js';
import { refusalText } from '../../../extension/content/state/refusal.js';

describe('refusalText', () => {
  it('says for every code that the change was not saved, and why', () => {
    for (const code of ERROR_CODES) expect(refusalText({ code, message: 'server words' })).toMatch(/^Not saved: /);
    expect(refusalText({ code: 'gone', message: 'x' })).toMatch(/deleted/);
    expect(refusalText({ code: 'conflict', message: 'x' })).toMatch(/their version/);
    expect(refusalText({ code: 'invalid', message: 'text must not be blank' })).toBe('Not saved: text must not be blank');
  });
});
