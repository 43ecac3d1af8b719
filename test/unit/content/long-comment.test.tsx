// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';
import { byId, mount, recordingActions, state } from './app-harness.js';

/**
 * A comment may be 2,000 characters: shown whole, one card took several screens. A long one is folded
 * to its first lines with a button that says so; the whole text stays in the DOM.
 */
describe('a long comment', () => {
  const long = `${'A long thought about regression suites. '.repeat(50)}https://example.org/end`;
  const c = conversation({
    comments: [
      { id: uuid(), author: ALICE, text: 'short opening', createdAt: 1 },
      { id: uuid(), author: BOB, text: long, createdAt: 2 },
      { id: uuid(), author: BOB, text: Array.from({ length: 14 }, (_, i) => `line ${i}`).join('\n'), createdAt: 3 },
    ],
  });

  it('is folded with a Show more button that unfolds and folds it; a short one has none', () => {
    const root = mount(state({ anchored: [c] }), recordingActions().actions);
    const texts = byId(root, 'comment-text');
    expect(texts.map((t) => t.classList.contains('folded'))).toEqual([false, true, true]);
    expect(texts[1]!.textContent, 'the whole text is there').toBe(long);
    const buttons = byId(root, 'comment-more');
    expect(buttons).toHaveLength(2);
    const more = buttons[0]!;
    expect(more.textContent).toBe('Show more');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(document.getElementById(more.getAttribute('aria-controls')!)).toBe(texts[1]);
    act(() => more.click());
    expect(texts[1]!.classList.contains('folded')).toBe(false);
    expect(more.textContent).toBe('Show less');
    expect(more.getAttribute('aria-expanded')).toBe('true');
    act(() => more.click());
    expect(texts[1]!.classList.contains('folded')).toBe(true);
  });

  it('unfolds when focus reaches a link in it, so the focused link is not out of sight', () => {
    const root = mount(state({ anchored: [c] }), recordingActions().actions);
    const text = byId(root, 'comment-text')[1]!;
    expect(text.classList.contains('folded')).toBe(true);
    act(() => text.querySelector('a')!.focus());
    expect(text.classList.contains('folded')).toBe(false);
  });
});
