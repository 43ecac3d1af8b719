// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Anchors } from '../../../extension/content/highlighter/anchors.js';
import { uuid } from './fixtures.js';

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

const quoting = (exact: string) => ({ id: uuid(), target: { selector: [{ type: 'TextQuoteSelector' as const, exact }] } });

describe('Anchors', () => {
  it('finds each conversation once, keeps what it found until asked to look again, and forgets what went', () => {
    document.body.innerHTML = '<p>alpha beta gamma</p>';
    const anchors = new Anchors(() => document.body);
    const beta = quoting('beta');
    const lost = quoting('delta');
    anchors.update([beta, lost], false);
    expect(anchors.get(beta.id)?.toString()).toBe('beta');
    expect(anchors.get(lost.id), 'looked for, not found').toBeNull();
    expect([...anchors.anchored().keys()]).toEqual([beta.id]);

    // The page rewrites its text: the range found before stands until a full pass.
    const found = anchors.get(beta.id);
    document.body.innerHTML = '<p>delta beta</p>';
    anchors.update([beta, lost], false);
    expect(anchors.get(beta.id)).toBe(found);
    expect(anchors.get(lost.id)).toBeNull();
    anchors.update([beta, lost], true);
    expect(anchors.get(lost.id)?.toString()).toBe('delta');

    anchors.update([lost], false);
    expect(anchors.get(beta.id), 'not in the list any more').toBeUndefined();
    anchors.clear();
    expect(anchors.anchored().size).toBe(0);
  });

  it('keeps a range it was given without searching, and leaves a failed search as not found', () => {
    document.body.innerHTML = '<p>alpha beta</p>';
    let failing = false;
    const anchors = new Anchors(() => {
      if (failing) throw new Error('the page broke its DOM');
      return document.body;
    });
    const made = quoting('alpha');
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('p')!);
    anchors.set(made.id, range);
    failing = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const other = quoting('beta');
    anchors.update([made, other], false);
    expect(anchors.get(made.id)).toBe(range);
    expect(anchors.get(other.id)).toBeNull();
    expect(warn).toHaveBeenCalledWith('[gloss] anchoring failed:', 'the page broke its DOM');
  });
});
