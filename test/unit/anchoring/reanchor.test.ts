// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import type { Selector } from '../../../protocol/model.js';
import { anchor, anchorAll, describe } from '../../../extension/content/anchoring/index.js';
import { page, positionOf, quoteOf, rangeOfText } from './fixtures.js';

/** Where a range is, as offsets into body.textContent (the fixtures here have no skipped content). */
function offsetsOf(range: Range | null, root: Element): [number, number] | null {
  if (!range) return null;
  const before = root.ownerDocument.createRange();
  before.setStart(root, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return [start, start + range.toString().length];
}

const REPEATS =
  '<p>Chapter one. The cat sat on the mat near the door of the old house by the river.</p>' +
  '<p>Chapter two. The cat sat on the mat beside the fire while the storm raged outside.</p>' +
  '<p>Chapter three. The cat sat on the mat and finally fell asleep until the morning came.</p>';

suite('anchoring after the page changed', () => {
  test('repeated quotes resolve to the annotated occurrence by prefix and suffix, without position', () => {
    const doc = page(REPEATS);
    for (const occurrence of [0, 1, 2]) {
      const original = rangeOfText(doc.body, 'The cat sat on the mat', occurrence);
      const quoteOnly = describe(original, doc.body).filter((s) => s.type === 'TextQuoteSelector');
      expect(quoteOnly).toHaveLength(1);
      expect(offsetsOf(anchor(doc.body, quoteOnly), doc.body)).toEqual(offsetsOf(original, doc.body));
    }
  });

  test('suffix alone tells repeats apart when the prefix is shared', () => {
    const doc = page('<p>see note here for details</p><p>see note here on page two</p>');
    const target = rangeOfText(doc.body, 'note here', 1);
    const selectors: Selector[] = [{ type: 'TextQuoteSelector', exact: 'note here', prefix: 'see ', suffix: ' on page' }];
    expect(offsetsOf(anchor(doc.body, selectors), doc.body)).toEqual(offsetsOf(target, doc.body));
  });

  test('text inserted before the quote shifts positions, and the quote still anchors', () => {
    const doc = page(REPEATS);
    const selectors = describe(rangeOfText(doc.body, 'The cat sat on the mat', 1), doc.body);
    const oldStart = positionOf(selectors).start;

    const inserted = doc.createElement('p');
    inserted.textContent = 'Preface: The cat sat on the mat, a story in three chapters. '.repeat(3);
    doc.body.insertBefore(inserted, doc.body.firstChild);

    const range = anchor(doc.body, selectors);
    expect(range?.toString()).toBe('The cat sat on the mat');
    expect(range?.startContainer.parentNode).toBe(doc.querySelectorAll('p')[2]);
    expect(offsetsOf(range, doc.body)?.[0]).toBe(oldStart + inserted.textContent.length);
  });

  test('a position still valid but now holding another repeat of the quote loses to the context', () => {
    const doc = page(REPEATS);
    const first = describe(rangeOfText(doc.body, 'The cat sat on the mat', 0), doc.body);
    const second = offsetsOf(rangeOfText(doc.body, 'The cat sat on the mat', 1), doc.body) as [number, number];
    // The old position points exactly at another occurrence of the same words (as if text moved).
    const misleading: Selector[] = [quoteOf(first), { type: 'TextPositionSelector', start: second[0], end: second[1] }];
    expect(offsetsOf(anchor(doc.body, misleading), doc.body)).toEqual([13, 35]);
  });

  test('old position breaks ties between repeats whose context agrees equally', () => {
    const doc = page('<p>x ab x</p><p>x ab x</p><p>x ab x</p>');
    const quote: Selector = { type: 'TextQuoteSelector', exact: 'ab', prefix: 'x ', suffix: ' x' };
    expect(offsetsOf(anchor(doc.body, [quote, { type: 'TextPositionSelector', start: 15, end: 17 }]), doc.body)).toEqual([14, 16]);
    expect(offsetsOf(anchor(doc.body, [quote, { type: 'TextPositionSelector', start: 1, end: 3 }]), doc.body)).toEqual([2, 4]);
    // Without a position the first of equals wins.
    expect(offsetsOf(anchor(doc.body, [quote]), doc.body)).toEqual([2, 4]);
  });

  test('a changed quote returns null, a removed quote returns null', () => {
    const doc = page('<p>Keep this sentence.</p><p>Edit this sentence.</p><p>Drop this sentence.</p>');
    const edited = describe(rangeOfText(doc.body, 'Edit this sentence'), doc.body);
    const dropped = describe(rangeOfText(doc.body, 'Drop this sentence'), doc.body);
    const kept = describe(rangeOfText(doc.body, 'Keep this sentence'), doc.body);

    const paragraphs = doc.querySelectorAll('p');
    (paragraphs[1] as HTMLElement).textContent = 'Edit that sentence.';
    (paragraphs[2] as HTMLElement).remove();

    expect(anchorAll(doc.body, [kept, edited, dropped]).map((r) => r?.toString() ?? null)).toEqual(['Keep this sentence', null, null]);
  });

  test('a quote whose whitespace was counted differently still anchors, to the page text', () => {
    const doc = page('<p>Tools   disagree\n\t about <b>white</b> space.</p><p>Another block</p>');
    const selectors: Selector[] = [
      // As innerText would count it: runs collapsed, a newline where blocks meet.
      { type: 'TextQuoteSelector', exact: 'disagree about white space.\nAnother', prefix: 'Tools ', suffix: ' block' },
      { type: 'TextPositionSelector', start: 6, end: 41 },
    ];
    const range = anchor(doc.body, selectors);
    expect(range?.toString()).toBe('disagree\n\t about white space.Another');
    expect(offsetsOf(range, doc.body)).toEqual([8, 44]);
  });

  test('a quote re-flowed at its place beats a verbatim repeat elsewhere whose context disagrees', () => {
    const doc = page('<p>Intro: the red fox is here.</p><p>Body with context before the red fox ran after context.</p>');
    const selectors = describe(rangeOfText(doc.body, 'the red fox', 1), doc.body);
    // The site re-indents its source: a line break now sits inside the annotated occurrence only.
    const body = doc.querySelectorAll('p')[1] as HTMLElement;
    body.textContent = 'Body with context before the red\n      fox ran after context.';
    const range = anchor(doc.body, selectors);
    expect(range?.toString()).toBe('the red\n      fox');
    expect(range?.startContainer).toBe(body.firstChild);
  });

  test('whitespace-only quotes and selectors without a quote do not anchor', () => {
    const doc = page('<p>a  b</p>');
    expect(anchor(doc.body, [{ type: 'TextQuoteSelector', exact: ' \n ' }])).toBeNull();
    expect(anchor(doc.body, [{ type: 'TextPositionSelector', start: 0, end: 1 }])).toBeNull();
    expect(anchor(doc.body, [])).toBeNull();
  });

  test('a position beyond the end of the text is ignored, not trusted', () => {
    const doc = page('<p>short page with a quote</p>');
    const range = anchor(doc.body, [
      { type: 'TextQuoteSelector', exact: 'quote' },
      { type: 'TextPositionSelector', start: 5000, end: 5005 },
    ]);
    expect(offsetsOf(range, doc.body)).toEqual([18, 23]);
  });
});
