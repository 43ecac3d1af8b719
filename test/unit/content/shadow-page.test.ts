// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { observeDom } from '../../../extension/content/highlighter/observe-dom.js';
import { orderByPage } from '../../../extension/content/state/order.js';

/** The host page's open shadow trees, as the DOM observer sees them. */

afterEach(() => {
  document.body.innerHTML = '';
});

// (Selections inside shadow trees are tested in real browsers, test/e2e/shadow-dom.test.ts: jsdom's
// Selection refuses a range whose root is not the document.)

describe('observeDom and shadow trees', () => {
  it('sees changes inside open shadow roots: those there at the start and those added with elements later', async () => {
    const controller = new AbortController();
    document.body.innerHTML = '<x-a id="a"></x-a>';
    const first = document.getElementById('a')!.attachShadow({ mode: 'open' });
    first.innerHTML = '<p>first</p>';
    let changes = 0;
    observeDom(document.documentElement, [], () => changes++, controller.signal, { delay: 5, maxWait: 20, upgradePoll: 10 });

    first.querySelector('p')!.textContent = 'first, edited';
    await vi.waitFor(() => expect(changes).toBe(1));

    const added = document.createElement('x-b');
    added.attachShadow({ mode: 'open' }).innerHTML = '<p>second</p>';
    document.body.append(added);
    await vi.waitFor(() => expect(changes).toBe(2));
    added.shadowRoot!.querySelector('p')!.append(' and more');
    await vi.waitFor(() => expect(changes).toBe(3));
    controller.abort();
  });

  it('sees a custom element upgraded late, which attaches its shadow root with no mutation of the page', async () => {
    const controller = new AbortController();
    document.body.innerHTML = '<p>text</p><x-late-upgrade></x-late-upgrade>';
    let changes = 0;
    observeDom(document.documentElement, [], () => changes++, controller.signal, { delay: 5, maxWait: 20, upgradePoll: 10 });
    customElements.define(
      'x-late-upgrade',
      class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: 'open' }).innerHTML = '<p>rendered by the component</p>';
        }
      },
    );
    await vi.waitFor(() => expect(changes).toBe(1));
    // And its shadow tree is observed from then on.
    document.querySelector('x-late-upgrade')!.shadowRoot!.querySelector('p')!.textContent = 'changed';
    await vi.waitFor(() => expect(changes).toBe(2));
    controller.abort();
  });
});

describe('panel order with shadow trees', () => {
  it('places a conversation inside a component where the component is in the page, not by creation time', () => {
    document.body.innerHTML = '<p id="before">before</p><x-card id="card"></x-card><p id="after">after</p>';
    const shadow = document.getElementById('card')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<p>inside</p>';
    const range = (node: Node) => {
      const r = document.createRange();
      r.setStart(node, 0);
      r.setEnd(node, 2);
      return r;
    };
    const after = { item: 'after', range: range(document.getElementById('after')!.firstChild!), createdAt: 1 };
    const inside = { item: 'inside', range: range(shadow.querySelector('p')!.firstChild!), createdAt: 2 };
    const before = { item: 'before', range: range(document.getElementById('before')!.firstChild!), createdAt: 3 };
    expect(orderByPage([after, inside, before]).anchored.map((p) => p.item)).toEqual(['before', 'inside', 'after']);
  });
});
