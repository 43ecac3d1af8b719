import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../protocol/errors.js';
import { refusalText } from '../../../extension/content/state/refusal.js';

describe('refusalText', () => {
  it('says for every code that the change was not saved, and why', () => {
    for (const code of ERROR_CODES) expect(refusalText({ code, message: 'server words' })).toMatch(/^Not saved: /);
    expect(refusalText({ code: 'gone', message: 'x' })).toMatch(/deleted/);
    expect(refusalText({ code: 'conflict', message: 'x' })).toMatch(/their version/);
    // The limits: what they mean and what the user can do instead, not the server's technical words.
    expect(refusalText({ code: 'page_full', message: 'server words' })).toMatch(/^Not saved: this page has as many conversations .*Reply in an existing conversation/);
    expect(refusalText({ code: 'conversation_full', message: 'server words' })).toMatch(/^Not saved: this conversation has as many replies .*Start a new conversation/);
    expect(refusalText({ code: 'page_replies_full', message: 'server words' })).toMatch(/^Not saved: the replies on this page hold as much text .*Delete replies no longer needed/);
    // The server's storage: what it means for the user, never the server's words (or its SQLite code).
    expect(refusalText({ code: 'store_full', message: 'server words' })).toMatch(/^Not saved: the Gloss server is out of room .*Tell whoever runs it; deleting is still possible/);
    expect(refusalText({ code: 'store_failed', message: 'server words' })).toMatch(/^Not saved: the Gloss server could not store it .*Try again later/);
    expect(refusalText({ code: 'invalid', message: 'text must not be blank' })).toBe('Not saved: text must not be blank');
  });
});
