// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { orderByPage } from '../../../extension/content/state/order.js';

function rangeOf(node: Node, start: number, end: number): Range {
  const r = document.createRange();
  r.setStart(node, start);
  r.setEnd(node, end);
  return r;
}

describe('orderByPage', () => {
  it('orders anchored conversations by their position in the page, orphans last by creation time', () => {
    document.body.innerHTML = '<p id="a">first paragraph</p><div><p id="b">second paragraph</p></div>';
    const a = document.getElementById('a')!.firstChild!;
    const b = document.getElementById('b')!.firstChild!;
    const { anchored, orphaned } = orderByPage([
      { item: 'late-in-b', range: rangeOf(b, 7, 16), createdAt: 1 },
      { item: 'orphan-new', range: null, createdAt: 50 },
      { item: 'start-of-a', range: rangeOf(a, 0, 5), createdAt: 9 },
      { item: 'orphan-old', range: null, createdAt: 10 },
      { item: 'mid-a', range: rangeOf(a, 6, 15), createdAt: 2 },
    ]);
    expect(anchored.map((p) => p.item)).toEqual(['start-of-a', 'mid-a', 'late-in-b']);
    expect(orphaned.map((p) => p.item)).toEqual(['orphan-old', 'orphan-new']);
  });

  it('breaks ties (same start) by the shorter range, then creation time', () => {
    document.body.innerHTML = '<p id="a">same start here</p>';
    const a = document.getElementById('a')!.firstChild!;
    const { anchored } = orderByPage([
      { item: 'long', range: rangeOf(a, 0, 10), createdAt: 1 },
      { item: 'short', range: rangeOf(a, 0, 4), createdAt: 2 },
      { item: 'short-later', range: rangeOf(a, 0, 4), createdAt: 3 },
    ]);
    expect(anchored.map((p) => p.item)).toEqual(['short', 'short-later', 'long']);
  });
});
