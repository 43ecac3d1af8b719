// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import { anchor, anchorAll, describe } from '../../../extension/content/anchoring/index.js';
import { page, positionOf, quoteOf, rangeOfText } from './fixtures.js';

suite('describe then anchor', () => {
  test('a range inside one text node gives quote, 32-character context and position', () => {
    const doc = page('<p>The quick brown fox jumps over the lazy dog, and then the quick brown fox sleeps all afternoon long.</p>');
    const selectors = describe(rangeOfText(doc.body, 'fox jumps'), doc.body);
    expect(selectors).toEqual([
      { type: 'TextQuoteSelector', exact: 'fox jumps', prefix: 'The quick brown ', suffix: ' over the lazy dog, and then the' },
      { type: 'TextPositionSelector', start: 16, end: 25 },
    ]);
    const range = anchor(doc.body, selectors);
    expect(range?.toString()).toBe('fox jumps');
    expect(range?.startContainer).toBe(doc.querySelector('p')?.firstChild);
    expect(range?.startOffset).toBe(16);
  });

  test('a range that starts and ends mid text node across elements', () => {
    const doc = page('<div><p>First para<em>graph with</em> emphasis.</p><ul><li>item one</li><li>item two</li></ul></div>');
    const em = doc.querySelector('em') as HTMLElement;
    const li2 = doc.querySelectorAll('li')[1] as HTMLElement;
    const range = doc.createRange();
    range.setStart(em.firstChild as Text, 6); // "with</em> emphasis.item oneitem t|wo"
    range.setEnd(li2.firstChild as Text, 6);
    const selectors = describe(range, doc.body);
    expect(quoteOf(selectors).exact).toBe('with emphasis.item oneitem t');
    expect(quoteOf(selectors).prefix).toBe('First paragraph ');
    expect(quoteOf(selectors).suffix).toBe('wo');
    expect(positionOf(selectors)).toEqual({ type: 'TextPositionSelector', start: 16, end: 44 });

    const back = anchor(doc.body, selectors);
    expect(back?.toString()).toBe(range.toString());
    expect(back?.startContainer).toBe(range.startContainer);
    expect(back?.startOffset).toBe(6);
    expect(back?.endContainer).toBe(range.endContainer);
    expect(back?.endOffset).toBe(6);
  });

  test('ranges whose boundaries sit in element child lists are counted from the text they enclose', () => {
    const doc = page('<p>aaa</p><p id="t">bbb <b>ccc</b></p><p>ddd</p>');
    const range = doc.createRange();
    range.selectNodeContents(doc.getElementById('t') as HTMLElement);
    const selectors = describe(range, doc.body);
    expect(quoteOf(selectors).exact).toBe('bbb ccc');
    expect(positionOf(selectors)).toMatchObject({ start: 3, end: 10 });
    expect(anchor(doc.body, selectors)?.toString()).toBe('bbb ccc');
  });

  test('offsets are relative to the root given, and script text inside it is not counted', () => {
    const doc = page('<header>Site name</header><main><script>track()</script><p>Body text here</p></main>');
    const main = doc.querySelector('main') as HTMLElement;
    const selectors = describe(rangeOfText(main, 'text'), main);
    expect(positionOf(selectors)).toMatchObject({ start: 5, end: 9 });
    expect(quoteOf(selectors).prefix).toBe('Body ');
    expect(anchor(main, selectors)?.toString()).toBe('text');
  });

  test('context is cut to 32 characters and never splits a surrogate pair', () => {
    const doc = page(`<p>${'x'.repeat(31)}😀HERE😀${'y'.repeat(40)}</p>`);
    const quote = quoteOf(describe(rangeOfText(doc.body, 'HERE'), doc.body));
    // 31 x + the 2 code units of 😀 is 33; the cut would leave half an emoji at the front.
    expect(quote.prefix).toBe(`${'x'.repeat(30)}😀`);
    expect(quote.suffix).toBe(`😀${'y'.repeat(30)}`);
  });

  test('a collapsed range, or one over skipped content only, describes nothing', () => {
    const doc = page('<p>abc</p><script>code</script>');
    const collapsed = doc.createRange();
    collapsed.setStart(doc.querySelector('p')?.firstChild as Text, 1);
    expect(describe(collapsed, doc.body)).toEqual([]);
    const script = doc.createRange();
    script.selectNodeContents(doc.querySelector('script') as HTMLElement);
    expect(describe(script, doc.body)).toEqual([]);
  });

  test('anchorAll resolves many targets against one reading of the page, in order', () => {
    const doc = page('<p>alpha beta gamma</p><p>delta epsilon</p>');
    const a = describe(rangeOfText(doc.body, 'beta'), doc.body);
    const b = describe(rangeOfText(doc.body, 'epsilon'), doc.body);
    const gone = [{ type: 'TextQuoteSelector' as const, exact: 'omega' }];
    const ranges = anchorAll(doc.body, [b, gone, a]);
    expect(ranges.map((r) => r?.toString() ?? null)).toEqual(['epsilon', null, 'beta']);
    expect(anchorAll(doc.body, [])).toEqual([]);
  });
});
