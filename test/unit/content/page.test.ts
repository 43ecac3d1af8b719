// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHighlighter } from '../../../extension/content/highlighter/highlights.js';
import { hitTest } from '../../../extension/content/highlighter/hit-test.js';
import { readSelection, watchSelection, type PageSelection } from '../../../extension/content/selection/watch.js';
import { createUiRoot } from '../../../extension/content/ui/root.js';

afterEach(() => {
  document.body.innerHTML = '';
  document.getSelection()?.removeAllRanges();
});

function textRange(node: Node, start: number, end: number): Range {
  const r = document.createRange();
  r.setStart(node, start);
  r.setEnd(node, end);
  return r;
}

describe('hitTest', () => {
  it('finds the conversation under a caret position, preferring the innermost range', () => {
    document.body.innerHTML = '<p>one two three four</p>';
    const text = document.querySelector('p')!.firstChild!;
    const ranges = new Map([
      ['outer', [textRange(text, 0, 18)]],
      ['inner', [textRange(text, 4, 7)]],
    ]);
    expect(hitTest(ranges, text, 5)).toBe('inner');
    expect(hitTest(ranges, text, 1)).toBe('outer');
    expect(hitTest(new Map([['inner', ranges.get('inner')!]]), text, 12)).toBeNull();
  });
});

describe('highlighter without the Custom Highlight API (jsdom)', () => {
  it('injects one style, mirrors the count on <html>, and removes both on teardown', () => {
    document.body.innerHTML = '<p>alpha beta</p>';
    const text = document.querySelector('p')!.firstChild!;
    const h = createHighlighter(document);
    h.paint(new Map([['a', [textRange(text, 0, 5)]], ['b', [textRange(text, 6, 10)]]]), 'a');
    expect(document.documentElement.dataset.glossHighlights).toBe('2');
    expect(document.querySelectorAll('#gloss-highlight-style')).toHaveLength(1);
    expect(document.getElementById('gloss-highlight-style')!.textContent).toContain('::highlight(gloss)');
    h.paint(new Map(), null);
    expect(document.documentElement.dataset.glossHighlights).toBe('0');
    h.teardown();
    expect(document.documentElement.dataset.glossHighlights).toBeUndefined();
    expect(document.getElementById('gloss-highlight-style')).toBeNull();
  });
});

describe('UI root and selection', () => {
  it('creates one fixed <gloss-root> with an open shadow root, removed on abort', () => {
    const controller = new AbortController();
    const ui = createUiRoot(document, controller.signal);
    expect(ui.host.parentNode).toBe(document.documentElement);
    expect(ui.host.shadowRoot).toBe(ui.shadow);
    expect(ui.host.style.getPropertyValue('position')).toBe('fixed');
    expect(ui.host.style.getPropertyPriority('position')).toBe('important');
    expect(ui.shadow.querySelector('style')!.textContent).toContain(':host { all: initial; }');
    controller.abort();
    expect(document.querySelector('gloss-root')).toBeNull();
  });

  it('puts the host back when the page removes it, with its shadow root, but not after teardown', async () => {
    const controller = new AbortController();
    const ui = createUiRoot(document, controller.signal);
    ui.mount.textContent = 'still here';
    ui.host.remove();
    await Promise.resolve();
    expect(ui.host.parentNode).toBe(document.documentElement);
    expect(ui.host.shadowRoot!.textContent).toContain('still here');
    controller.abort();
    await Promise.resolve();
    expect(ui.host.isConnected).toBe(false);
  });

  it('stops putting the host back against a page that removes it every time, instead of fighting it forever', async () => {
    const controller = new AbortController();
    const ui = createUiRoot(document, controller.signal);
    // A page that removes whatever is not its own as soon as it appears: each put-back is removed again
    // in the next microtask, which without a limit never ends and freezes the tab.
    let removals = 0;
    const hostile = new MutationObserver(() => {
      if (ui.host.isConnected) {
        removals += 1;
        ui.host.remove();
      }
    });
    hostile.observe(document.documentElement, { childList: true });
    ui.host.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    hostile.disconnect();
    controller.abort();
    expect(removals).toBeGreaterThan(0);
    expect(removals).toBeLessThanOrEqual(10);
  });

  it('reports a page selection, and ignores empty ones and ones outside the page root', () => {
    const controller = new AbortController();
    const ui = createUiRoot(document, controller.signal);
    document.body.innerHTML = '<p>select these words</p>';
    const text = document.querySelector('p')!.firstChild!;
    const sel = document.getSelection()!;

    sel.addRange(textRange(text, 7, 12));
    const found = readSelection(document, document.body, ui.host);
    expect(found?.range.toString()).toBe('these');

    sel.removeAllRanges();
    sel.addRange(textRange(text, 6, 7));
    expect(readSelection(document, document.body, ui.host)).toBeNull(); // whitespace only

    const inside = document.createElement('p');
    inside.textContent = 'our own text';
    ui.host.appendChild(inside);
    sel.removeAllRanges();
    sel.addRange(textRange(inside.firstChild!, 0, 3));
    expect(readSelection(document, document.body, ui.host)).toBeNull();
    controller.abort();
  });

  it('reports a keyboard selection after a pointer gesture the browser cancelled (a drag of the selected text)', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    try {
      const ui = createUiRoot(document, controller.signal);
      document.body.innerHTML = '<p>select these words</p>';
      const text = document.querySelector('p')!.firstChild!;
      const reports: (PageSelection | null)[] = [];
      watchSelection(document, () => document.body, ui.host, (s) => reports.push(s), controller.signal);

      // The pointer goes down on the page and the browser takes it over for a drag: it fires
      // pointercancel, and no pointerup ever comes for that pointer.
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
      document.body.dispatchEvent(new PointerEvent('pointercancel', { bubbles: true, composed: true }));
      await vi.advanceTimersByTimeAsync(200);

      // Then the reader selects with the keyboard.
      document.getSelection()!.addRange(textRange(text, 7, 12));
      document.dispatchEvent(new Event('selectionchange'));
      await vi.advanceTimersByTimeAsync(200);
      expect(reports.at(-1)?.range.toString()).toBe('these');
    } finally {
      controller.abort();
      vi.useRealTimers();
    }
  });
});
