// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { composerTarget, currentRange } from '../../../extension/content/selection/composer-target.js';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A selection of `phrase` in the first text node of `#view`'s paragraph. */
function select(phrase: string): Range {
  const text = document.querySelector('#view p')!.firstChild as Text;
  const at = text.data.indexOf(phrase);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + phrase.length);
  return range;
}

/** What a router does: the view's nodes replaced by new ones. */
function render(text: string): void {
  const p = document.createElement('p');
  p.textContent = text;
  document.getElementById('view')!.replaceChildren(p);
}

describe('the composer\'s range when its comment is sent', () => {
  it('is the selection itself while it still holds its text', () => {
    document.body.innerHTML = '<main id="view"><p>Nobody is reading this view yet.</p></main>';
    const target = composerTarget(select('reading this view'), document.body);
    expect(currentRange(target, document.body)).toBe(target.range);
  });

  it('is the same text found again when the page re-rendered it, and null while it is gone', () => {
    document.body.innerHTML = '<main id="view"><p>Nobody is reading this view yet.</p></main>';
    const target = composerTarget(select('reading this view'), document.body);
    render('Another view, with other words.');
    expect(target.range.collapsed).toBe(true);
    expect(currentRange(target, document.body)).toBeNull();
    render('Nobody is reading this view yet.');
    const found = currentRange(target, document.body);
    expect(found?.toString()).toBe('reading this view');
    expect(found?.startContainer).toBe(document.querySelector('#view p')!.firstChild);
  });
});
