// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import { anchor, describe, locate } from '../../../extension/content/anchoring/index.js';
import { TextIndex } from '../../../extension/content/anchoring/text-model.js';
import { Anchors } from '../../../extension/content/highlighter/anchors.js';
import { hitTest } from '../../../extension/content/highlighter/hit-test.js';
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

/**
 * A span of text that crosses shadow boundaries is held by one Range in the tree around both ends
 * (moved out to hosts), which a CSS highlight paints only in that tree: it is also cut into one
 * range per tree, which are what is painted and clicked.
 */

/** Each range's text and the tree it is in (the host's id, or 'document'). */
function trees(ranges: readonly Range[] | null): { text: string; tree: string }[] | null {
  return ranges?.map((r) => {
    const root = r.startContainer.getRootNode();
    expect(r.endContainer.getRootNode(), 'a part begins and ends in one tree').toBe(root);
    return { text: r.toString(), tree: root instanceof ShadowRoot ? root.host.id : 'document' };
  }) ?? null;
}

function firstText(el: Element | null): Text {
  return el?.firstChild as Text;
}

suite('a span across shadow boundaries, cut into one range per tree', () => {
  test('from the light DOM into a shadow tree: the page part and the component part', () => {
    const { doc, shadow } = withCard('Read this', '<p>inner words</p>', '', 'and that.');
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('Read thisinner wordsand that.');
    expect(trees(index.treeParts(5, 14))).toEqual([
      { text: 'this', tree: 'document' },
      { text: 'inner', tree: 'card' },
    ]);
    const parts = index.treeParts(5, 14)!;
    expect(parts[1]!.startContainer).toBe(firstText(shadow.querySelector('p')));
    expect(parts[1]!.startOffset).toBe(0);
    expect(parts[1]!.endOffset).toBe(5);
  });

  test('through several trees: light, shadow, slotted light, shadow, light, each part in its own tree', () => {
    const { doc } = withCard('B.', '<p>Said: <slot></slot>!</p>', '<span>light words</span>', 'A.');
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('B.Said: light words!A.');
    expect(trees(index.treeParts(1, 21))).toEqual([
      { text: '.', tree: 'document' },
      { text: 'Said: ', tree: 'card' },
      // Slotted text is a node of the light DOM, painted where the slot renders it.
      { text: 'light words', tree: 'document' },
      { text: '!', tree: 'card' },
      { text: 'A', tree: 'document' },
    ]);
    // From shadow text to shadow text around a slot: the slotted words between are their own part.
    expect(trees(index.treeParts(4, 20))).toEqual([
      { text: 'id: ', tree: 'card' },
      { text: 'light words', tree: 'document' },
      { text: '!', tree: 'card' },
    ]);
  });

  test('nested shadow trees each get their part', () => {
    const { doc, shadow } = withCard('B.', '<div>outer <x-inner id="inner"></x-inner> tail</div>', '', 'A.');
    (shadow.getElementById('inner') as HTMLElement).attachShadow({ mode: 'open' }).innerHTML = '<b>deep</b>';
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('B.outer deep tailA.');
    expect(trees(index.treeParts(3, 17))).toEqual([
      { text: 'uter ', tree: 'card' },
      { text: 'deep', tree: 'inner' },
      { text: ' tail', tree: 'card' },
    ]);
  });

  test('a span in one tree, or a page without shadow roots, is painted by its one range: no parts', () => {
    const { doc } = withCard('Read this', '<p>inner words</p>', '', 'and that.');
    const index = new TextIndex(doc.body);
    expect(index.treeParts(9, 14), 'inside the shadow tree').toBeNull();
    expect(index.treeParts(0, 4), 'inside the light DOM').toBeNull();
    const plain = page('<p>one</p><p>two</p>');
    expect(new TextIndex(plain.body).treeParts(1, 5)).toBeNull();
    const found = locate(plain.body, [{ type: 'TextQuoteSelector', exact: 'netw' }]);
    expect(found?.parts).toEqual([found?.range]);
  });

  test('a conversation quoting into a component: anchored as one range, painted and clicked by its parts', () => {
    const { doc, host, shadow } = withCard('Read this', '<p>inner words</p>', '', 'and that.');
    const before = firstText(doc.getElementById('before'));
    const inner = firstText(shadow.querySelector('p'));
    // Described from the selection's own points, as a selection into the component is.
    const selector = describe({ startContainer: before, startOffset: 5, endContainer: inner, endOffset: 5 } as unknown as Range, doc.body);
    const anchors = new Anchors(() => doc.body);
    const id = 'crossing';
    anchors.update([{ id, target: { selector } }], true);

    // The one range (page order, scrolling to it) stays in the document, around the host.
    const range = anchors.get(id)!;
    expect(range.startContainer).toBe(before);
    expect(range.endContainer).toBe(doc.body);
    expect(range.endOffset).toBe([...doc.body.childNodes].indexOf(host) + 1);

    // A click on either part opens it; a click on the component's words after the quote does not.
    const painted = anchors.anchored();
    expect(hitTest(painted, inner, 2)).toBe(id);
    expect(hitTest(painted, before, 6)).toBe(id);
    expect(hitTest(painted, inner, 8)).toBeNull();
    // What is painted: the page's words and the component's, each in its tree.
    expect(trees(painted.get(id) ?? null)).toEqual([
      { text: 'this', tree: 'document' },
      { text: 'inner', tree: 'card' },
    ]);
  });
});
