// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { orderByPage, PageOrder } from '../../../extension/content/state/order.js';

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

  it('with the last order kept, a render compares only the new ranges, into the same order a full sort gives', () => {
    document.body.innerHTML = Array.from({ length: 64 }, (_, i) => `<p>paragraph number ${i}</p>`).join('');
    const texts = [...document.querySelectorAll('p')].map((p) => p.firstChild!);
    // Created in an order unrelated to the page's, ties included (two on the same words).
    const placed = texts.map((t, i) => ({ item: `p${i}`, range: rangeOf(t, 0, 9), createdAt: (i * 37) % 64 }));
    placed.push({ item: 'p5-again', range: rangeOf(texts[5]!, 0, 9), createdAt: 100 });
    const known = new PageOrder();
    const first = orderByPage(placed, known).anchored.map((p) => p.item);
    expect(first).toEqual(orderByPage(placed).anchored.map((p) => p.item));

    const late = { item: 'late-in-p40', range: rangeOf(texts[40]!, 3, 12), createdAt: 1 };
    const next = [...placed.slice(0, 20), late, ...placed.slice(21)]; // p20 gone, one new
    const compare = vi.spyOn(Range.prototype, 'compareBoundaryPoints');
    try {
      const order = orderByPage(next, known).anchored.map((p) => p.item);
      expect(order).toEqual(orderByPage(next).anchored.map((p) => p.item).filter(() => true));
      compare.mockClear();
      orderByPage([...next, { item: 'early-in-p2', range: rangeOf(texts[2]!, 1, 4), createdAt: 2 }], known);
      // A binary search over 65 ranges: at most 7 comparisons, each one or two boundary points.
      expect(compare.mock.calls.length).toBeLessThanOrEqual(14);
    } finally {
      compare.mockRestore();
    }
  });
});
