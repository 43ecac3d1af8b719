/**
 * The CSS `zoom` of the page's root element (`html { zoom: 1.5 }`), 1 when none: lengths set on or
 * under it are scaled by it, so what must measure N viewport pixels is given as N / zoom.
 */
export function rootZoom(doc: Document): number {
  const zoom = parseFloat(doc.defaultView?.getComputedStyle(doc.documentElement).zoom ?? '');
  return Number.isFinite(zoom) && zoom > 0 ? zoom : 1;
}
