/**
 * Sets one property of an element's inline style, `!important`, and returns what puts back the
 * element's own style.
 *
 * `!important` inline: the only way to win over the page's own rules, its `!important` ones included,
 * without editing them (inline important declarations come last in the cascade). Set through CSSOM
 * (`style.setProperty`), which a page's Content-Security-Policy does not restrict, where it may refuse
 * a written `style` attribute.
 *
 * Putting back, two cases:
 * - the style attribute is still exactly as we left it: the page did not touch it meanwhile, and it
 *   gets its attribute back byte for byte (no attribute if it had none; its own value and priority
 *   of the property, `!important` included, and its own spelling). Where the written attribute does not
 *   give the declarations the element had, the declarations win and are given back through CSSOM, in the
 *   browser's spelling: the page's CSP refused its own attribute (no `unsafe-inline` for styles), and a
 *   browser may apply one written from the content script's world despite that policy (Chromium 156
 *   does; Firefox ESR 153 did after an earlier change of the attribute), so the page's text would have
 *   become a style the page never had. The reader sees the page as it was; only that refused
 *   attribute's text is lost (emptied).
 * - the page changed its inline style meanwhile (a script opening a dialog sets `overflow`): its
 *   changes stay, and only our property goes back to what it was, and only if it is still ours (a
 *   page that set the property itself meanwhile keeps its newer value).
 */
export function overrideInline(el: HTMLElement, property: string, value: string): () => void {
  const attribute = el.getAttribute('style');
  const declarations = el.style.cssText;
  const own = { value: el.style.getPropertyValue(property), priority: el.style.getPropertyPriority(property) };
  el.style.setProperty(property, value, 'important');
  const ours = { attribute: el.getAttribute('style'), value: el.style.getPropertyValue(property) };

  return () => {
    if (el.getAttribute('style') === ours.attribute) {
      if (attribute === null) {
        el.removeAttribute('style');
        return;
      }
      el.setAttribute('style', attribute);
      if (el.style.cssText !== declarations) el.style.cssText = declarations;
      return;
    }
    if (el.style.getPropertyValue(property) !== ours.value || el.style.getPropertyPriority(property) !== 'important') return;
    if (own.value === '') el.style.removeProperty(property);
    else el.style.setProperty(property, own.value, own.priority);
  };
}
