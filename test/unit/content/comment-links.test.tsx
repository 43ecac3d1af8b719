// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';
import { byId, mount, recordingActions, state } from './app-harness.js';

/**
 * Web addresses in a comment are links (extension/content/ui/CommentText.tsx); everything else in
 * it, the quote and the field of an edit stay exactly text.
 */
const REL = 'noopener noreferrer nofollow ugc';

describe('links in comments', () => {
  it('renders each address as an anchor to its serialized URL, and the rest as text nodes', () => {
    const text = 'Read <b>this</b>: https://example.org/a?q=<x>&r=1, then javascript:alert(1) or data:text/html,<i>x</i>\n(see HTTPS://Bücher.example/a_(b)).';
    const c = conversation({
      target: { selector: [{ type: 'TextQuoteSelector', exact: 'quote https://quoted.example/' }] },
      comments: [{ id: uuid(), author: BOB, text, createdAt: 1 }],
    });
    const root = mount(state({ anchored: [c] }), recordingActions().actions);
    const shown = byId(root, 'comment-text')[0]!;
    expect(shown.textContent).toBe(text);
    expect(root.querySelector('b, i, script')).toBeNull();

    const anchors = [...shown.querySelectorAll('a')];
    expect(anchors.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')])).toEqual([
      ['https://example.org/a?q=<x>&r=1', 'https://example.org/a?q=%3Cx%3E&r=1', '_blank', REL],
      ['HTTPS://Bücher.example/a_(b)', 'https://xn--bcher-kva.example/a_(b)', '_blank', REL],
    ]);
    // Nothing but text inside an anchor; between them, text nodes only.
    for (const a of anchors) expect([...a.childNodes].map((n) => n.nodeType)).toEqual([Node.TEXT_NODE]);
    const around = [...shown.childNodes].filter((n) => n.nodeName !== 'A');
    expect(around.every((n) => n.nodeType === Node.TEXT_NODE)).toBe(true);
    expect(around.map((n) => n.textContent)).toEqual(['Read <b>this</b>: ', ', then javascript:alert(1) or data:text/html,<i>x</i>\n(see ', ').']);

    // No anchor anywhere goes elsewhere than http(s), and the quote stays text.
    for (const a of root.querySelectorAll('a')) expect(new URL(a.href).protocol).toMatch(/^https?:$/);
    expect(root.querySelectorAll('a')).toHaveLength(2);
    expect(byId(root, 'quote')[0]!.querySelector('a')).toBeNull();
  });

  it('links in a comment shown, while the edit field and its conflict note keep the raw text', () => {
    const text = 'own https://example.org/ note';
    const mine = { id: uuid(), author: ALICE, text, createdAt: 1 };
    const theirs = { id: uuid(), author: BOB, text: 'theirs https://theirs.example/', createdAt: 2 };
    const c = conversation({ comments: [mine, theirs] });
    const root = mount(state({ anchored: [c], refusedEdits: new Map([[mine.id, 'mine https://refused.example/']]) }), recordingActions().actions);
    expect((byId(root, 'edit-input')[0] as HTMLTextAreaElement).value).toBe('mine https://refused.example/');
    expect(byId(root, 'edit-conflict')[0]!.textContent).toContain(text);
    expect([...root.querySelectorAll('a')].map((a) => [a.closest<HTMLElement>('[data-testid="comment"]')!.dataset.id, a.getAttribute('href')])).toEqual([[theirs.id, 'https://theirs.example/']]);
  });
});
