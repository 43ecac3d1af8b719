// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { observeDom } from '../../../extension/content/highlighter/observe-dom.js';
import { signalShadowAttach } from '../../../extension/main-world/attach-shadow.js';
import { SHADOW_ATTACHED } from '../../../extension/main-world/signal.js';

/**
 * A shadow root attached to an element already in the page, with no other change: the page-world
 * script's signal (main-world/attach-shadow.ts, installed here into jsdom's one world) and what the
 * DOM observer does with it, and with the same event forged by the page.
 */

const native = Element.prototype.attachShadow;
beforeAll(() => signalShadowAttach(window));
afterEach(() => {
  document.body.innerHTML = '';
});

/** Counts the observer's changes (debounce 5 ms, at most 20 ms) until `stop` aborts it. */
function watch(ownNodes: Node[] = []) {
  const controller = new AbortController();
  const seen = { changes: 0 };
  observeDom(document.documentElement, ownNodes, () => seen.changes++, controller.signal, { delay: 5, maxWait: 20, upgradePoll: 10 });
  return { seen, stop: () => controller.abort() };
}

/** Events of SHADOW_ATTACHED that reach the document while `act` runs. */
function signalsDuring(act: () => void): EventTarget[] {
  const targets: EventTarget[] = [];
  const listener = (e: Event) => targets.push(e.composedPath()[0]!);
  document.addEventListener(SHADOW_ATTACHED, listener, true);
  try {
    act();
  } finally {
    document.removeEventListener(SHADOW_ATTACHED, listener, true);
  }
  return targets;
}

const settle = () => new Promise((r) => setTimeout(r, 60));

describe('the page-world signal', () => {
  it('leaves attachShadow as the page knows it: same root, same errors, same name and length, no constructor', () => {
    expect(Element.prototype.attachShadow).not.toBe(native);
    const el = document.body.appendChild(document.createElement('div'));
    const root = el.attachShadow({ mode: 'open' });
    expect(el.shadowRoot).toBe(root);
    expect(root.mode).toBe('open');
    expect(() => el.attachShadow({ mode: 'open' })).toThrow(expect.objectContaining({ name: 'NotSupportedError' }));
    expect(() => Element.prototype.attachShadow.call(document.createElement('img'), { mode: 'open' })).toThrow(expect.objectContaining({ name: 'NotSupportedError' }));
    expect(Element.prototype.attachShadow.name).toBe('attachShadow');
    expect(Element.prototype.attachShadow.length).toBe(1);
    expect(() => new (Element.prototype.attachShadow as unknown as new () => unknown)()).toThrow(TypeError);
    const descriptor = Object.getOwnPropertyDescriptor(Element.prototype, 'attachShadow')!;
    expect([descriptor.writable, descriptor.enumerable, descriptor.configurable]).toEqual([true, true, true]);
  });

  it('names the host of an open root attached in the page, also inside a shadow tree; not a closed root, not a host outside the page', () => {
    const outer = document.body.appendChild(document.createElement('div'));
    const inner = outer.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
    expect(signalsDuring(() => inner.attachShadow({ mode: 'open' }))).toEqual([inner]);
    const closed = document.body.appendChild(document.createElement('div'));
    expect(signalsDuring(() => closed.attachShadow({ mode: 'closed' }))).toEqual([]);
    // Its insertion is a mutation, which the observer sees anyway.
    expect(signalsDuring(() => document.createElement('div').attachShadow({ mode: 'open' }))).toEqual([]);
  });
});

describe('observeDom and the signal', () => {
  it('sees an open root attached to an element already there, with nothing else changing, and observes it from then on', async () => {
    document.body.innerHTML = '<p>text</p><div id="late">light text a root will hide</div>';
    const { seen, stop } = watch();
    const root = document.getElementById('late')!.attachShadow({ mode: 'open' });
    await vi.waitFor(() => expect(seen.changes).toBe(1));
    root.innerHTML = '<p>drawn into the new root</p>';
    await vi.waitFor(() => expect(seen.changes).toBe(2));
    stop();
  });

  it('takes a signal forged by the page as "look at this element" only: nothing for an element without an open root of its own, a known root or our UI; an open root it missed is read', async () => {
    document.body.innerHTML = '<div id="plain"></div><div id="closed"></div><div id="known"></div><div id="missed"></div>';
    document.getElementById('closed')!.attachShadow({ mode: 'closed' }).innerHTML = '<p>private</p>';
    document.getElementById('known')!.attachShadow({ mode: 'open' });
    const ui = document.documentElement.appendChild(document.createElement('gloss-root'));
    const inUi = native.call(ui, { mode: 'open' }).appendChild(document.createElement('div'));
    native.call(inUi, { mode: 'open' });
    const { seen, stop } = watch([ui]);
    const forge = (el: EventTarget) => el.dispatchEvent(new CustomEvent(SHADOW_ATTACHED, { bubbles: true, composed: true, detail: { root: 'trust me' } }));
    for (const id of ['plain', 'closed', 'known']) for (let i = 0; i < 3; i++) forge(document.getElementById(id)!);
    forge(ui);
    forge(inUi);
    forge(document);
    await settle();
    expect(seen.changes).toBe(0);

    // A root attached where the signal did not see it (through the browser's own function here; in a
    // page, another frame's), filled, and then named: it is read, and observed from then on.
    const missed = native.call(document.getElementById('missed')!, { mode: 'open' });
    missed.innerHTML = '<p>filled before anyone said so</p>';
    await settle();
    expect(seen.changes).toBe(0);
    forge(document.getElementById('missed')!);
    await vi.waitFor(() => expect(seen.changes).toBe(1));
    missed.querySelector('p')!.append(' and edited');
    await vi.waitFor(() => expect(seen.changes).toBe(2));
    stop();
    ui.remove();
  });
});
