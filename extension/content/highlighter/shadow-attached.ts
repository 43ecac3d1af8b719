import { SHADOW_ATTACHED } from '../../main-world/signal.js';

/**
 * Calls `look` with each element the page-world script (main-world/attach-shadow.ts) names as the
 * host of a shadow root attached just now.
 *
 * The event comes from the page's world, where every script can dispatch it, on any element, as
 * often as it likes: it is taken as "look at this element" and nothing more. Nothing of the event
 * but the element it starts at is read (composedPath()[0]: the host itself in an open tree; for a
 * host inside a closed tree the browser names that tree's host, whose own root stays closed to us),
 * and `look` must check for itself what is there, cheaply, since a page can repeat it at will.
 */
export function onShadowAttached(doc: Document, look: (el: Element) => void, signal: AbortSignal): void {
  doc.addEventListener(
    SHADOW_ATTACHED,
    (event) => {
      const first = event.composedPath()[0] as Node | undefined;
      if (first?.nodeType === 1) look(first as Element);
    },
    { capture: true, signal },
  );
}
