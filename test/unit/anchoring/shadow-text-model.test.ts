// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import { anchor, describe } from '../../../extension/content/anchoring/index.js';
import { TextIndex } from '../../../extension/content/anchoring/text-model.js';
import { page } from './fixtures.js';

/** A page with `<x-card id="card">` whose open shadow root holds `shadowHtml`, and `lightHtml` as its light children. */
function withCard(before: string, shadowHtml: string, lightHtml: string, after: string, mode: ShadowRootMode = 'open'): { doc: Document; host: HTMLElement; shadow: ShadowRoot } {
  const doc = page(`<p id="before">${before}</p><x-card id="card">${lightHtml}</x-card><p id="after">${after}</p>`);
  const host = doc.getElementById('card') as HTMLElement;
  const shadow = host.attachShadow({ mode });
  shadow.innerHTML = shadowHtml;
  return { doc, host, shadow };
}

function textRange(text: Text, start: number, end: number): Range {
  const range = text.ownerDocument.createRange();
  range.setStart(text, start);
  range.setEnd(text, end);
  return range;
}

suite('text model with open shadow roots', () => {
  test("a host's open shadow tree is read in the host's place, in composed order", () => {
    const { doc, shadow } = withCard('Before.', '<p>Inside the card.</p>', '', 'After.');
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('Before.Inside the card.After.');
    expect(index.shadowRoots).toEqual([shadow]);
  });

  test('slotted light text sits at its slot; fallback content fills an empty slot; unslotted light children are left out', () => {
    const { doc } = withCard(
      'B.',
      '<h2><slot name="title">No title</slot></h2><p>Body: <slot name="text">no text</slot>. End.</p><footer><slot name="by">anonymous</slot></footer>',
      'never shown<span slot="text">slotted words</span><em>also never shown</em><b slot="title">The title</b>',
      'A.',
    );
    // Composed order: the title (given after the text in the light DOM) comes first, where it is rendered.
    expect(new TextIndex(doc.body).text).toBe('B.The titleBody: slotted words. End.anonymousA.');
  });

  test('nested open shadow roots are read inside their host, and slots forward through them', () => {
    const { doc, shadow } = withCard('B.', '<div>outer <x-inner id="inner"><slot></slot></x-inner> tail</div>', '<i>light</i>', 'A.');
    const inner = (shadow.getElementById('inner') as HTMLElement).attachShadow({ mode: 'open' });
    inner.innerHTML = '[<slot></slot>]';
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('B.outer [light] tailA.');
    expect(index.shadowRoots).toHaveLength(2);
  });

  test('a closed shadow root stays out of reach (its light children are read as before), and so does our own UI', () => {
    const { doc } = withCard('B.', '<p>secret</p>', 'light child', 'A.', 'closed');
    const gloss = doc.createElement('gloss-root');
    gloss.attachShadow({ mode: 'open' }).innerHTML = '<p>our UI</p>';
    doc.body.append(gloss);
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('B.light childA.');
    expect(index.shadowRoots).toEqual([]);
  });

  test('a shadow root attached after a first reading is in the next one', () => {
    const doc = page('<p>one</p><x-late id="late"></x-late><p>two</p>');
    expect(new TextIndex(doc.body).text).toBe('onetwo');
    (doc.getElementById('late') as HTMLElement).attachShadow({ mode: 'open' }).innerHTML = '<span>late</span>';
    expect(new TextIndex(doc.body).text).toBe('onelatetwo');
  });

  test('a selection inside a shadow tree is described over the composed text and anchors back into that tree', () => {
    const { doc, shadow } = withCard('Intro text.', '<p>The component renders this comment text.</p>', '', 'Outro text.');
    const text = (shadow.querySelector('p') as HTMLElement).firstChild as Text;
    const range = textRange(text, 4, 28);
    expect(range.toString()).toBe('component renders this c');

    const selectors = describe(range, doc.body);
    expect(selectors).toEqual([
      { type: 'TextQuoteSelector', exact: 'component renders this c', prefix: 'Intro text.The ', suffix: 'omment text.Outro text.' },
      { type: 'TextPositionSelector', start: 15, end: 39 },
    ]);

    const found = anchor(doc.body, selectors);
    expect(found?.startContainer).toBe(text);
    expect(found?.startOffset).toBe(4);
    expect(found?.endContainer).toBe(text);
    expect(found?.endOffset).toBe(28);

    // The text moves (the page adds a paragraph before the component): the quote still finds it.
    doc.body.insertBefore(page('<p>News.</p>').body.firstChild as Node, doc.body.firstChild);
    const moved = anchor(doc.body, selectors);
    expect(moved?.startContainer).toBe(text);
    expect(moved?.toString()).toBe('component renders this c');
  });

  test('slotted text is described and anchored where it is rendered', () => {
    const { doc, host } = withCard('B.', '<p>Said: <slot></slot>!</p>', '<span>light words</span>', 'A.');
    const light = (host.querySelector('span') as HTMLElement).firstChild as Text;
    const range = textRange(light, 0, 5);
    const selectors = describe(range, doc.body);
    expect(selectors[0]).toEqual({ type: 'TextQuoteSelector', exact: 'light', prefix: 'B.Said: ', suffix: ' words!A.' });
    expect(selectors[1]).toEqual({ type: 'TextPositionSelector', start: 8, end: 13 });
    expect(anchor(doc.body, selectors)?.startContainer).toBe(light);
  });

  test('a span from the light DOM into a shadow tree is one Range in the light DOM, around the host, with the shadow text in its quote', () => {
    const { doc, host, shadow } = withCard('Read this', '<p>inner words</p>', '', 'and that.');
    const before = (doc.getElementById('before') as HTMLElement).firstChild as Text;
    const inner = (shadow.querySelector('p') as HTMLElement).firstChild as Text;
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('Read thisinner wordsand that.');
    const range = index.rangeOf(5, 14);
    // Held in the document: start in the light text, end moved out to just after the host.
    expect(range?.startContainer).toBe(before);
    expect(range?.startOffset).toBe(5);
    expect(range?.endContainer).toBe(doc.body);
    expect(range?.endOffset).toBe([...doc.body.childNodes].indexOf(host) + 1);

    // Describing a range with its end inside the shadow tree counts the shadow text.
    const crossing = { startContainer: before, startOffset: 5, endContainer: inner, endOffset: 5 } as unknown as Range;
    expect(describe(crossing, doc.body)[0]).toMatchObject({ type: 'TextQuoteSelector', exact: 'thisinner' });
    // Points between nodes: before the host is where its shadow text starts, after it where it ends.
    const at = [...doc.body.childNodes].indexOf(host);
    expect(index.offsetOf(doc.body, at)).toBe(9);
    expect(index.offsetOf(doc.body, at + 1)).toBe(20);
    expect(index.offsetOf(shadow, 0)).toBe(9);
    expect(index.offsetOf(host, 0)).toBe(20);
  });
});
