import { describe, expect, it } from 'vitest';
import { tabPageWithoutScript } from '../../../extension/background/tab-page.js';

describe('tabPageWithoutScript: why a tab has no Gloss script', () => {
  it('a tab still loading is loading, whatever its address', () => {
    expect(tabPageWithoutScript({ status: 'loading', url: 'https://example.com/' })).toBe('loading');
    expect(tabPageWithoutScript({ status: 'loading' })).toBe('loading');
  });

  it('a tab whose address the browser hides from Gloss is a page Gloss cannot run on', () => {
    expect(tabPageWithoutScript({ status: 'complete' })).toBe('unsupported');
    expect(tabPageWithoutScript(null)).toBe('unsupported');
  });

  it('a page that is not http(s) cannot be annotated', () => {
    for (const url of ['file:///home/a/notes.html', 'about:blank', 'moz-extension://x/page.html', 'data:text/html,hi']) {
      expect(tabPageWithoutScript({ status: 'complete', url }), url).toBe('unsupported');
    }
  });

  it('the extension stores and the sites Firefox keeps extensions off are unsupported', () => {
    for (const url of ['https://chromewebstore.google.com/detail/x', 'https://chrome.google.com/webstore/category', 'https://addons.mozilla.org/en-US/firefox/', 'https://accounts.firefox.com/']) {
      expect(tabPageWithoutScript({ status: 'complete', url }), url).toBe('unsupported');
    }
    expect(tabPageWithoutScript({ status: 'complete', url: 'https://chrome.google.com/search' })).toBe('not-running');
  });

  it('a loaded web page without the script is one where Gloss is not running', () => {
    expect(tabPageWithoutScript({ status: 'complete', url: 'https://example.com/a.svg' })).toBe('not-running');
  });
});
