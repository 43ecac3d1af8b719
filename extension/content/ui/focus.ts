/** The focused element of the tree `node` is in (a shadow root's own, not the page's retargeted host). */
export function focusedIn(node: Node): Element | null {
  const root = node.getRootNode() as Document | ShadowRoot;
  return root.activeElement ?? null;
}

/** Focus is nowhere in particular: on the page's body or nowhere at all, as after its element was removed. */
export function focusLost(node: Node): boolean {
  const active = focusedIn(node);
  return active === null || active === node.ownerDocument?.body || active === node.ownerDocument?.documentElement;
}
