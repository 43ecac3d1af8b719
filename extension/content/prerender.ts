/**
 * Runs `shown` once the user is shown the document: at once, or, for a page prerendered by
 * Speculation Rules (the browser loads it, content scripts included, before the user opens it, and
 * may never show it), when it is activated. Until then the page must not open its port: the
 * worker would join the page and count the user among its viewers.
 */
export function whenShown(doc: Document, shown: () => void, signal: AbortSignal): void {
  if ((doc as Document & { prerendering?: boolean }).prerendering !== true) return shown();
  doc.addEventListener('prerenderingchange', shown, { once: true, signal });
}
