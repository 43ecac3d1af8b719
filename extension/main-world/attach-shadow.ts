import { SHADOW_ATTACHED } from './signal.js';

/**
 * Makes `Element.prototype.attachShadow` of the page's world signal each OPEN shadow root it attaches
 * to an element already in the page: a `SHADOW_ATTACHED` event on the host, bubbling and composed so
 * that it reaches the document from inside shadow trees, with nothing in it.
 *
 * Why (docs/architecture.md, "Web components"): attaching a shadow root changes nothing a
 * MutationObserver sees. A component that attaches its root late (on a click, after a fetch) or a page
 * script that gives a plain element one would otherwise be read only at the page's next change, and a
 * poll could not find such an element without walking the whole page each time. Only the page's own
 * world sees the call: content scripts have their own prototypes (Chromium) or Xray views (Firefox),
 * so this runs as a `world: "MAIN"` content script at `document_start`, before any script of the page.
 *
 * What it must never do is change what the page gets: the same root, the same exceptions, the same
 * `name` and `length`, not constructible, like the browser's. Nothing is signalled for a closed root
 * (the page's private business) nor for a host outside the document (its insertion is a mutation,
 * seen anyway: most components attach their roots in the constructor, before they are inserted).
 * The browser's own functions are taken here, before the page runs, so a page that replaces them
 * later cannot turn the signal into a call of its own code.
 */
export function signalShadowAttach(win: Window & typeof globalThis): void {
  const proto = win.Element.prototype;
  const own = Object.getOwnPropertyDescriptor(proto, 'attachShadow');
  const attach: unknown = own?.value;
  const isConnected = Object.getOwnPropertyDescriptor(win.Node.prototype, 'isConnected')?.get;
  const modeOf = Object.getOwnPropertyDescriptor(win.ShadowRoot.prototype, 'mode')?.get;
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const PageEvent = win.Event;
  const { apply } = Reflect;
  if (!own || typeof attach !== 'function' || !isConnected || !modeOf) return;
  const wrapped = {
    // A method, not a function: a method is not a constructor, like the browser's. The unused
    // parameter keeps `length` at 1; `arguments` passes on exactly what the page passed.
    attachShadow(this: Element, _init: ShadowRootInit): ShadowRoot {
      // eslint-disable-next-line prefer-rest-params
      const root = apply(attach, this, arguments) as ShadowRoot;
      try {
        if (apply(modeOf, root, []) === 'open' && apply(isConnected, this, [])) {
          apply(dispatch, this, [new PageEvent(SHADOW_ATTACHED, { bubbles: true, composed: true })]);
        }
      } catch {
        // The page's call succeeded; whatever went wrong here is not the page's problem.
      }
      return root;
    },
  }.attachShadow;
  Object.defineProperty(proto, 'attachShadow', { ...own, value: wrapped });
}
