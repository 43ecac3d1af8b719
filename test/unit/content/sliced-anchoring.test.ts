// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { locateAll, type Located } from '../../../extension/content/anchoring/index.js';
import { Anchors } from '../../../extension/content/highlighter/anchors.js';
import { observeDom } from '../../../extension/content/highlighter/observe-dom.js';
import { SlicedAnchoring, type AnchorTarget } from '../../../extension/content/highlighter/sliced-anchoring.js';
import { orderByPage } from '../../../extension/content/state/order.js';
import { uuid } from './fixtures.js';

afterEach(() => {
  document.body.innerHTML = '';
});

const PARAGRAPHS = 400;

function page(prefix = ''): void {
  document.body.innerHTML = prefix + Array.from({ length: PARAGRAPHS }, (_, i) => `<p>Paragraph ${i} says something of its own, number ${i}.</p>`).join('');
}

/** One target per paragraph, quoting its words (with a position, as the extension stores them). */
function targets(): AnchorTarget[] {
  const text = document.body.textContent ?? '';
  return Array.from({ length: PARAGRAPHS }, (_, i) => {
    const exact = `something of its own, number ${i}.`;
    const start = text.indexOf(exact);
    return { id: uuid(), target: { selector: [{ type: 'TextQuoteSelector' as const, exact }, { type: 'TextPositionSelector' as const, start, end: start + exact.length }] } };
  });
}

/** A clock that moves 1 ms every time it is read: a slice of `sliceMs` then locates a few targets. */
function ticking(): () => number {
  let t = 0;
  return () => t++;
}

/** A range's boundaries, its nodes by identity (deep equality would take a detached copy of a text node for it). */
const nodes = new Map<Node, number>();
const nodeId = (n: Node) => nodes.get(n) ?? (nodes.set(n, nodes.size), nodes.size - 1);
const boundaries = (l: Located | null | undefined) =>
  l ? [nodeId(l.range.startContainer), l.range.startOffset, nodeId(l.range.endContainer), l.range.endOffset, l.range.startContainer.isConnected, l.range.toString()] : l;

function runToEnd(job: SlicedAnchoring): { slices: number; fresh: Map<string, Located | null>; again: Map<string, Located | null> | null } {
  const fresh = new Map<string, Located | null>();
  let again: Map<string, Located | null> | null = null;
  let slices = 0;
  for (;;) {
    const slice = job.step();
    if (slice === null) break;
    slices++;
    for (const [id, l] of slice.fresh) fresh.set(id, l);
    again = slice.again ?? again;
    if (!slice.more) break;
  }
  return { slices, fresh, again };
}

describe('SlicedAnchoring', () => {
  it('finds in slices exactly what one pass over the page finds', () => {
    page();
    const list = targets();
    const oneGo = locateAll(document.body, list.map((t) => t.target.selector));
    const job = new SlicedAnchoring(() => document.body, 5, ticking());
    job.restart(list.slice(0, 300), list.slice(300));
    const { slices, fresh, again } = runToEnd(job);
    expect(slices, 'not one task').toBeGreaterThan(20);
    expect(again?.size).toBe(300);
    list.forEach((t, i) => {
      const found = i < 300 ? again!.get(t.id) : fresh.get(t.id);
      expect(boundaries(found)).toEqual(boundaries(oneGo[i]));
    });
    expect(job.running).toBe(false);
  });

  it('reads the page again when it changed between two slices, and looks again for all it was to look again for', () => {
    page();
    const list = targets();
    const job = new SlicedAnchoring(() => document.body, 5, ticking());
    job.restart(list, []);
    expect(job.step()?.more).toBe(true);
    expect(job.step()?.more).toBe(true);
    // The page puts text before everything (every offset of the first read is off by its length) and
    // renders anew a paragraph already located and one not reached yet (the first read's text nodes of them are gone).
    document.body.insertAdjacentHTML('afterbegin', '<p>A banner the page added on its own, well after it loaded.</p>');
    for (const at of [2, 351]) {
      const p = document.querySelectorAll('p')[at]!;
      p.textContent = `${p.textContent}`;
    }
    job.stale();
    const { again } = runToEnd(job);
    const oneGo = locateAll(document.body, list.map((t) => t.target.selector));
    list.forEach((t, i) => expect(boundaries(again!.get(t.id))).toEqual(boundaries(oneGo[i])));
  });
});

describe('the read of the page, kept between jobs', () => {
  /** Each target's boundaries and the read of the page it was found in. */
  const found = (job: SlicedAnchoring, list: AnchorTarget[]) => {
    job.add(list);
    const { fresh } = runToEnd(job);
    return list.map((t) => ({ at: fresh.get(t.id)?.at?.read, where: boundaries(fresh.get(t.id)) }));
  };

  it('locates targets that come after a job on its read, until the page changes; then on a new one, where they are now', () => {
    page();
    const list = targets();
    const job = new SlicedAnchoring(() => document.body, 5, ticking());
    const first = found(job, list.slice(0, 3));
    const second = found(job, list.slice(3, 6));
    expect(new Set([...first, ...second].map((f) => f.at)).size, 'one read for both').toBe(1);

    // The page puts text before everything and renders anew a paragraph not looked for yet.
    document.body.insertAdjacentHTML('afterbegin', '<p>A banner the page added on its own, well after it loaded.</p>');
    const p = document.querySelectorAll('p')[8]!;
    p.textContent = `${p.textContent}`;
    job.stale();
    const third = found(job, list.slice(6, 9));
    expect(third[0]!.at).not.toBe(first[0]!.at);
    const now = locateAll(document.body, list.slice(6, 9).map((t) => t.target.selector));
    expect(third.map((f) => f.where)).toEqual(now.map(boundaries));
  });

  it('is dropped by a change the page made earlier in the same task, once the DOM observer hands over what it holds', () => {
    page();
    const list = targets();
    const controller = new AbortController();
    const anchors = new Anchors(() => document.body, new SlicedAnchoring(() => document.body, 5, ticking()));
    const takeChanges = observeDom(document.documentElement, [], () => {}, controller.signal, { onStale: () => anchors.pageChanged() });
    try {
      anchors.update(list.slice(0, 5), false);
      expect(anchors.get(list[0]!.id)?.toString()).toBe('something of its own, number 0.');
      // No microtask in between: the MutationObserver has not told of these yet.
      document.body.insertAdjacentHTML('afterbegin', '<p>A banner the page added on its own, well after it loaded.</p>');
      const p = document.querySelectorAll('p')[10]!;
      p.textContent = `${p.textContent}`;
      takeChanges();
      anchors.update(list.slice(0, 10), false);
      const range = anchors.get(list[9]!.id);
      expect(range?.startContainer.isConnected, 'found in the page as it is, not in the text nodes it replaced').toBe(true);
      expect(range?.toString()).toBe('something of its own, number 9.');
    } finally {
      controller.abort();
    }
  });
});

describe('Anchors, in slices', () => {
  it('keeps painting what it found until a re-anchoring is over, then swaps it all at once, keeping the ranges that did not move', () => {
    page();
    const list = targets();
    const anchors = new Anchors(() => document.body, new SlicedAnchoring(() => document.body, 5, ticking()));
    anchors.update(list, false);
    while (anchors.busy) anchors.continueAnchoring();
    const before = new Map(list.map((t) => [t.id, anchors.get(t.id)]));
    expect([...before.values()].every((r) => r instanceof Range)).toBe(true);

    // The page's text changes in one paragraph: that one moves, the others stay where they were.
    const p = document.querySelectorAll('p')[7]!;
    p.textContent = `Changed, but still: ${p.textContent}`;
    anchors.pageChanged();
    anchors.update(list, true);
    expect(anchors.busy, 'a page of 400 takes more than the pass that asks').toBe(true);
    const during = anchors.continueAnchoring();
    expect(during).toEqual({ more: true, changed: false });
    expect(list.every((t) => anchors.get(t.id) === before.get(t.id)), 'the old anchoring stays painted meanwhile').toBe(true);
    const reanchored = anchors.reanchorings;
    let last = during;
    while (last.more) last = anchors.continueAnchoring();
    expect(last.changed).toBe(true);
    expect(anchors.reanchorings).toBe(reanchored + 1);
    const moved = list[7]!.id;
    expect(anchors.get(moved)).not.toBe(before.get(moved));
    expect(anchors.get(moved)?.toString()).toBe('something of its own, number 7.');
    expect(list.filter((t) => t.id !== moved).every((t) => anchors.get(t.id) === before.get(t.id)), 'same boundaries, same Range').toBe(true);
  });

  it('shows conversations looked for the first time slice by slice, and none of them before it is looked for', () => {
    page();
    const list = targets();
    const anchors = new Anchors(() => document.body, new SlicedAnchoring(() => document.body, 5, ticking()));
    anchors.update(list, false);
    expect(list.filter((t) => anchors.get(t.id) !== undefined), 'the pass that asks leaves so many to the slices').toEqual([]);
    expect(anchors.continueAnchoring()).toEqual({ more: true, changed: true });
    const first = list.filter((t) => anchors.get(t.id) !== undefined).length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(PARAGRAPHS);
    expect(anchors.get(list.at(-1)!.id), 'not looked for yet').toBeUndefined();
    // A pass while the rest is being located does not look for them again in one go.
    anchors.update(list, false);
    expect(list.filter((t) => anchors.get(t.id) !== undefined).length).toBeLessThan(PARAGRAPHS);
    while (anchors.busy) anchors.continueAnchoring();
    expect(list.every((t) => anchors.get(t.id)?.toString() === (t.target.selector[0] as { exact: string }).exact)).toBe(true);
  });
});

describe('page order from text offsets', () => {
  it('puts spans of one read in the order a DOM comparison of their ranges does', () => {
    page();
    const list = targets().reverse();
    const found = locateAll(document.body, list.map((t) => t.target.selector));
    const placed = found.map((l, i) => ({ item: i, range: l!.range, createdAt: i, at: l!.at }));
    const byDom = orderByPage(placed.map(({ at: _at, ...p }) => p)).anchored.map((p) => p.item);
    const bySpan = orderByPage(placed).anchored.map((p) => p.item);
    expect(placed.every((p) => p.at !== undefined)).toBe(true);
    expect(bySpan).toEqual(byDom);
    expect(bySpan[0]).toBe(PARAGRAPHS - 1);
  });
});
