// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { conversation } from './fixtures.js';
import { mount, recordingActions, rerender, state } from './app-harness.js';

/**
 * A resolved conversation says so on its card, in words: its quieter colours and the Reopen button
 * were all a sighted reader had to tell it from an open one (a UX review's finding).
 */
describe('resolved note', () => {
  Element.prototype.scrollIntoView ??= () => {};
  const noteOf = (root: HTMLElement) => root.querySelector('[data-testid="conversation"] [data-testid="resolved-note"]')?.textContent ?? null;

  it('shows "Resolved" on a resolved card, and nothing on an open one', () => {
    const c = conversation();
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    expect(noteOf(root)).toBeNull();
    rerender(state({ anchored: [{ ...c, resolved: true }] }), actions);
    expect(noteOf(root)).toBe('Resolved');
    rerender(state({ anchored: [{ ...c, resolved: false }] }), actions);
    expect(noteOf(root)).toBeNull();
  });
});
