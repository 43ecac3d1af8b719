// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ALICE, conversation } from './fixtures.js';
import { mount, recordingActions, rerender, state } from './app-harness.js';

/**
 * A card is where focus lands after an undo, a deletion nearby or a link: it has a name a screen
 * reader says (state/card-name.ts), built from untrusted text but only ever as an attribute's text.
 */
describe('card name', () => {
  Element.prototype.scrollIntoView ??= () => {};
  const cardOf = (root: HTMLElement) => root.querySelector<HTMLElement>('[data-testid="conversation"]')!;

  it('says who started it, on which words, and whether it is resolved', () => {
    const c = conversation({ author: ALICE, target: { selector: [{ type: 'TextQuoteSelector', exact: 'regression\n  testing' }] } });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    expect(cardOf(root).getAttribute('aria-label')).toBe('Conversation by Alice on “regression testing”');
    rerender(state({ anchored: [{ ...c, resolved: true }] }), actions);
    expect(cardOf(root).getAttribute('aria-label')).toBe('Conversation by Alice on “regression testing”, resolved');
  });

  it('keeps 60 characters of a long quote, never half an emoji, and names a nameless author as everywhere else', () => {
    const quote = `${'a'.repeat(59)}😀 and then a great deal more of the page's words`;
    const c = conversation({ author: { id: 'user-x', name: '   ' }, target: { selector: [{ type: 'TextQuoteSelector', exact: quote }] } });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    expect(cardOf(root).getAttribute('aria-label')).toBe(`Conversation by Anonymous on “${'a'.repeat(59)}😀…”`);
  });

  it('takes markup in the quote as text', () => {
    const c = conversation({ target: { selector: [{ type: 'TextQuoteSelector', exact: '<img src=x onerror=alert(1)>' }] } });
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    expect(cardOf(root).getAttribute('aria-label')).toBe('Conversation by Alice on “<img src=x onerror=alert(1)>”');
    expect(root.querySelector('img')).toBeNull();
  });
});
