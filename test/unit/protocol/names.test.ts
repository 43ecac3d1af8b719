import { describe, expect, it } from 'vitest';
import { displayName } from '../../../protocol/names.js';
import { shownName } from '../../../extension/content/state/names.js';
import { searchTextOf } from '../../../extension/content/state/search.js';
import { viewerList } from '../../../extension/popup/viewer-list.js';
import { conversation } from '../content/fixtures.js';

/** One rule for a name (protocol/names.ts): trimmed, and a name of only spaces is no name. */
describe('displayName', () => {
  it('trims, and calls a name of only spaces (or none) Anonymous', () => {
    expect(['Bob', '  Bob ', '', '   ', '\t\n', undefined].map(displayName)).toEqual(['Bob', 'Bob', 'Anonymous', 'Anonymous', 'Anonymous', 'Anonymous']);
  });

  it('is what the panel and the popup show for the same user', () => {
    const blank = { id: 'u-blank', name: '   ' };
    const padded = { id: 'u-padded', name: ' Bob ' };
    expect([shownName(blank), shownName(padded)]).toEqual(['Anonymous', 'Bob']);
    expect(viewerList([blank, padded], null).map((v) => v.name)).toEqual(['Anonymous', 'Bob']);
    // The panel's search finds them by the name it shows.
    expect(searchTextOf(conversation({ author: blank, comments: [{ id: 'c1', author: blank, text: 'hi', createdAt: 1 }] }))).toContain('anonymous');
  });
});
