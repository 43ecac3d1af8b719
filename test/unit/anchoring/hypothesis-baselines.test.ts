// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import type { Selector } from '../../../protocol/model.js';
import { anchor, anchorAll, describe } from '../../../extension/content/anchoring/index.js';
import { loadAnnotations, loadPage, positionOf, quoteOf, resolveXPath } from './fixtures.js';

/**
 * Real annotations made with the Hypothesis client (fixtures copied from its test corpus, licence
 * beside them). Their TextPositionSelectors were counted over Hypothesis' text model (the whole
 * textContent of body, script text included), so on the Wikipedia page they are off by a few
 * hundred characters from ours: these tests show the quote carries the annotation regardless.
 *
 * The quote text is compared verbatim, not whitespace-normalised: both models take text node data
 * as it is, so the same parsed page yields the same characters. (A page saved by a browser or read
 * through innerText would differ in whitespace; the tolerant match covers that case and has its own
 * test in reanchor.test.ts.)
 */
const PAGES = ['wikipedia-regression-testing', 'minimal'];

suite.each(PAGES)('Hypothesis baseline %s', (name) => {
  const annotations = loadAnnotations(`${name}.json`);

  test('has annotations to check', () => {
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) expect(a.selectors.map((s) => s.type).sort()).toEqual(['TextPositionSelector', 'TextQuoteSelector']);
  });

  test.each(annotations.map((a) => [a.id, a] as const))('annotation %s anchors where Hypothesis put it', (_id, annotation) => {
    const doc = loadPage(`${name}.html`);
    const range = anchor(doc.body, annotation.selectors);
    expect(range?.toString()).toBe(quoteOf(annotation.selectors).exact);

    // Same place, not just same words: Hypothesis' own RangeSelector names the element and the
    // offset within its text, which must agree with where our range starts and ends.
    const { startContainer, startOffset, endContainer, endOffset } = annotation.range;
    const startElement = resolveXPath(doc.body, startContainer);
    const endElement = resolveXPath(doc.body, endContainer);
    expect(startElement.contains(range?.startContainer ?? null)).toBe(true);
    expect(endElement.contains(range?.endContainer ?? null)).toBe(true);
    const within = describe(range as Range, startElement);
    expect(positionOf(within).start).toBe(startOffset);
    if (startElement === endElement) expect(positionOf(within).end).toBe(endOffset);
  });

  test('all annotations anchor in one anchorAll pass', () => {
    const doc = loadPage(`${name}.html`);
    const ranges = anchorAll(doc.body, annotations.map((a) => a.selectors));
    expect(ranges.map((r) => r?.toString())).toEqual(annotations.map((a) => quoteOf(a.selectors).exact));
  });

  test('every annotation still anchors after its position is pushed far off', () => {
    const doc = loadPage(`${name}.html`);
    for (const annotation of annotations) {
      const expected = anchor(doc.body, annotation.selectors);
      const { start, end } = positionOf(annotation.selectors);
      const shifted: Selector[] = [quoteOf(annotation.selectors), { type: 'TextPositionSelector', start: start + 20_000, end: end + 20_000 }];
      const range = anchor(doc.body, shifted);
      expect(range?.toString()).toBe(quoteOf(annotation.selectors).exact);
      expect(range?.startContainer).toBe(expected?.startContainer);
      expect(range?.startOffset).toBe(expected?.startOffset);
    }
  });
});

suite('Hypothesis baseline, repeated quote', () => {
  test('"Regression testing" (the title) wins over its other occurrences even with a position pointing at another one', () => {
    const doc = loadPage('wikipedia-regression-testing.html');
    const title = loadAnnotations('wikipedia-regression-testing.json').find((a) => quoteOf(a.selectors).exact === 'Regression testing');
    expect(title).toBeDefined();
    const quote = quoteOf(title?.selectors ?? []);
    const text = doc.body.textContent ?? '';
    const occurrences = [...text.matchAll(/Regression testing/g)].map((m) => m.index);
    expect(occurrences.length).toBeGreaterThan(3);

    // Point the position at the last occurrence, thousands of characters away from the title.
    const last = occurrences[occurrences.length - 1] as number;
    expect(last).toBeGreaterThan(5_000);
    const range = anchor(doc.body, [quote, { type: 'TextPositionSelector', start: last, end: last + quote.exact.length }]);
    expect(range?.toString()).toBe('Regression testing');
    expect(range?.startContainer.parentNode).toBe(doc.querySelector('h1'));
    expect(range?.startOffset).toBe(0);
  });
});
