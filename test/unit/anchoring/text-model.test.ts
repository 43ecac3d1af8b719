// @vitest-environment jsdom
import { describe as suite, expect, test } from 'vitest';
import { TextIndex } from '../../../extension/content/anchoring/text-model.js';
import { page } from './fixtures.js';

suite('text model', () => {
  test('joins text nodes in document order, skipping script, style, noscript, template and gloss-root', () => {
    const doc = page(
      '<p>Alpha <b>beta</b></p><script>var x = "code";</script><style>p{}</style><noscript>no js</noscript>' +
        '<template><i>tpl</i></template><p>gamma</p><gloss-root><span>our UI</span></gloss-root><p>delta</p>',
    );
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('Alpha betagammadelta');
    expect(index.nodes.map((n) => n.data)).toEqual(['Alpha ', 'beta', 'gamma', 'delta']);
    expect(index.starts).toEqual([0, 6, 10, 15]);
  });

  test('skips template children added through the DOM and text nested deep inside gloss-root', () => {
    const doc = page('<p>a</p>');
    const template = doc.createElement('template');
    template.appendChild(doc.createTextNode('hidden'));
    const gloss = doc.createElement('gloss-root');
    gloss.innerHTML = '<div><div><b>deep</b></div></div>';
    doc.body.append(template, gloss, doc.createTextNode('z'));
    expect(new TextIndex(doc.body).text).toBe('az');
  });

  test('maps global offsets to DOM points and back, passing over empty text nodes', () => {
    const doc = page('<p>one</p><p>two</p>');
    const p1 = doc.querySelectorAll('p')[0] as HTMLElement;
    const p2 = doc.querySelectorAll('p')[1] as HTMLElement;
    p2.insertBefore(doc.createTextNode(''), p2.firstChild);
    const index = new TextIndex(doc.body);
    expect(index.text).toBe('onetwo');

    const range = index.rangeOf(2, 4);
    expect(range?.toString()).toBe('et');
    expect(range?.startContainer).toBe(p1.firstChild);
    expect(range?.startOffset).toBe(2);
    // The end stays in the node holding the last character, not at offset 0 of the next one.
    expect(range?.endContainer).toBe(p2.lastChild);
    expect(range?.endOffset).toBe(1);

    const atBoundary = index.rangeOf(3, 6);
    expect(atBoundary?.startContainer).toBe(p2.lastChild);
    expect(atBoundary?.startOffset).toBe(0);
    expect(atBoundary?.toString()).toBe('two');

    expect(index.offsetOf(p2.lastChild as Text, 2)).toBe(5);
    expect(index.offsetOf(p2, 0)).toBe(3);
    expect(index.offsetOf(doc.body, 1)).toBe(3);
    expect(index.offsetOf(doc.body, 2)).toBe(6);
  });

  test('points inside skipped content map to the next model text', () => {
    const doc = page('<p>before</p><script>skipped</script><p>after</p>');
    const index = new TextIndex(doc.body);
    const script = doc.querySelector('script') as HTMLScriptElement;
    expect(index.offsetOf(script.firstChild as Text, 3)).toBe(6);
    expect(index.offsetOf(doc.documentElement, 0)).toBe(0);
    expect(index.offsetOf(doc.documentElement, doc.documentElement.childNodes.length)).toBe(11);
  });

  test('rejects offsets outside the text and points from another document', () => {
    const index = new TextIndex(page('<p>abc</p>').body);
    expect(index.rangeOf(2, 4)).toBeNull();
    expect(index.rangeOf(-1, 1)).toBeNull();
    expect(index.offsetOf(page('<p>x</p>').body, 0)).toBeNull();
  });
});
